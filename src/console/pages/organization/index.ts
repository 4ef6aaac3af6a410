import express, { type Router } from "express";
import { DomainError } from "../../../domain/errors.ts";
import { SETTING_KEYS } from "../../../domain/orgSettings.ts";
import type { RuleInput } from "../../../services/organizationAdmin.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { idParam, intParam } from "../../ui.ts";
import { act, type ActionInput } from "./actions.ts";
import { renderOrgPage } from "./orgPage.ts";
import { NS } from "./sectionKit.ts";
import { isEditableKey, settingForm } from "./settingFields.ts";
import { orgInScope } from "./scope.ts";
import { treePage } from "./treePage.ts";
import { refusal } from "./words.ts";

/** A number typed as digits becomes a number; anything else goes to the domain as typed, to be named in its refusal. */
const numberOrText = (text: string | undefined) => (text === undefined || text.trim() === "" ? undefined : /^-?\d{1,6}$/.test(text.trim()) ? Number(text) : text);

function ruleFrom(fields: Record<string, string>): RuleInput {
  const common = { time: fields.time ?? "", place: fields.place ?? "", shiftOffDays: fields.shiftOffDays === "on" };
  return (fields.kind === "nthWeekday"
    ? { weekday: numberOrText(fields.weekday), nth: numberOrText(fields.nth), ...common }
    : { dayOfMonth: numberOrText(fields.dayOfMonth), ...common }) as RuleInput;
}

function memberIdFrom(fields: Record<string, string>): number {
  const id = idParam(fields.memberId);
  if (id === undefined) throw new DomainError(`${NS}:chooseMemberFirst`);
  return id;
}

const keyOf = (req: { params: Record<string, unknown> }) => String(req.params.key);
const yearOf = ({ fields }: ActionInput) => intParam(fields.year, 0, 1900, 2199) || undefined;

/** The organization area: the administrator's tree, each organization's page, and its changes. */
export function organizationRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const admin = deps.services.organizationAdmin;
  const officers = deps.services.organizationOfficers;

  router.get("/", (req, res) => treePage(deps, req, res));
  router.get("/:id", async (req, res) => renderOrgPage(deps, req, res, await orgInScope(deps, viewerOf(res), req.params.id)));

  router.post("/:id/name", act(deps, { section: "name", anchor: "identity", work: async ({ by, org, fields, now }) => {
    await admin.rename(by, org.id, fields.name ?? "", now);
    return "renamed";
  } }));
  router.post("/:id/kind", act(deps, { section: "kind", anchor: "identity", work: async ({ by, org, fields, now }) => {
    await admin.setUnitKind(by, org.id, fields.kind ?? "", now);
    return "kindSet";
  } }));
  router.post("/:id/rule", act(deps, { section: "rule", work: async ({ by, org, fields, now }) => {
    await admin.setMeetingRule(by, org.id, ruleFrom(fields), now);
    return "ruleSet";
  } }));

  router.post("/:id/settings/:key", (req, res, next) => (isEditableKey(keyOf(req)) ? next() : next(new NotFound())), act(deps, {
    section: ({ req }) => `setting-${keyOf(req)}`,
    labels: ({ req, viewer }) => ({ label: viewer.t(`${NS}:setting_${keyOf(req)}`) }),
    work: async ({ req, by, org, fields, now }) => {
      const key = keyOf(req) as Parameters<typeof admin.setSetting>[2];
      await admin.setSetting(by, org.id, key, settingForm(key).parse(fields), now);
      return "settingSet";
    },
  }));
  router.post("/:id/settings/:key/unset", (req, res, next) => ((SETTING_KEYS as readonly string[]).includes(keyOf(req)) ? next() : next(new NotFound())), act(deps, {
    section: ({ req }) => (keyOf(req) === "addressees" ? "addressees" : `setting-${keyOf(req)}`),
    work: async ({ req, by, org, now }) => ((await admin.unsetSetting(by, org.id, keyOf(req), now)) ? "settingUnset" : "settingWasNotSet"),
  }));

  router.post("/:id/holidays", act(deps, { section: "holidays", work: async (input) => {
    await admin.addHoliday(input.by, input.org.id, (input.fields.date ?? "").trim(), input.fields.name ?? "", input.now);
    return { ok: "holidayAdded", year: yearOf(input) };
  } }));
  router.post("/:id/holidays/remove", act(deps, { section: "holidays", work: async (input) => {
    const result = await admin.removeHoliday(input.by, input.org.id, (input.fields.date ?? "").trim(), input.now);
    return { ok: `holiday_${result}`, year: yearOf(input) };
  } }));

  router.post("/:id/addressees", act(deps, { section: "addressees", work: async ({ by, org, fields, now }) => {
    await admin.addAddressee(by, org.id, fields.name ?? "", now);
    return "addresseeAdded";
  } }));
  router.post("/:id/addressees/remove", act(deps, { section: "addressees", work: async ({ by, org, fields, now }) => {
    await admin.removeAddressee(by, org.id, fields.key ?? "", now);
    return "addresseeRemoved";
  } }));

  router.post("/:id/children", act(deps, {
    section: ({ fields }) => (fields.level === "sub_branch" ? "addSubBranch" : "addCell"),
    anchor: "children",
    work: async ({ by, org, fields, now }) => {
      const input = fields.level === "sub_branch"
        ? { level: "sub_branch" as const, name: fields.name ?? "", code: fields.code }
        : { level: "cell" as const, name: fields.name ?? "", code: fields.code, cellKind: fields.cellKind ?? "" };
      const { created } = await admin.addChild(by, org.id, input, now);
      return { ok: "added", to: created.id };
    },
  }));

  router.post("/:id/officers/search", async (req, res) => {
    const viewer = viewerOf(res);
    const org = await orgInScope(deps, viewer, req.params.id);
    const query = typeof req.body?.q === "string" ? req.body.q.slice(0, 80) : "";
    try {
      const results = await officers.search(org, query, { kind: "console", memberId: viewer.id }, deps.clock.now());
      await renderOrgPage(deps, req, res, org, { search: { query, results } });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await renderOrgPage(deps, req, res, org, { problem: { section: "officers", message: refusal(viewer.t, error), fields: { q: query } }, status: 400 });
    }
  });
  router.post("/:id/officers/grant", act(deps, { section: "officers", work: async ({ by, org, fields, now }) =>
    ((await officers.grant(by, org.id, memberIdFrom(fields), fields.role ?? "", now)) ? "granted" : "roleHad") }));
  router.post("/:id/officers/revoke", act(deps, { section: "officers", work: async ({ by, org, fields, now }) =>
    ((await officers.revoke(by, org.id, memberIdFrom(fields), fields.role ?? "", now)) ? "revoked" : "roleNotHeld") }));

  // A refused form is shown at its action's address; opening that address again (a reload, the
  // language switch) leads back to the organization's page.
  router.get("/:id/*rest", async (req, res) => {
    const org = await orgInScope(deps, viewerOf(res), req.params.id);
    res.redirect(303, `/console/organization/${org.id}`);
  });

  return router;
}
