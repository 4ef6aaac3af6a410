import type { Request, Response } from "express";
import { isDomainError } from "../../../domain/errors.ts";
import type { MemberDirectoryService } from "../../../services/memberDirectory.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField, flashOf, idParam } from "../../ui.ts";
import { channelsOf, displayDay, exemptionOf, positionsOf } from "./labels.ts";
import { actorOf, field, mayManage, refusalText } from "./scope.ts";

type Member = NonNullable<Awaited<ReturnType<MemberDirectoryService["member"]>>>;
interface ExemptionForm { kind: string; reason: string; from: string; until: string }

/** The member named in the address, when the viewer manages their cell; "not found" otherwise. */
async function memberInScope(deps: ConsoleDeps, viewer: Viewer, value: unknown): Promise<Member> {
  const id = idParam(value);
  const member = id === undefined ? undefined : await deps.services.memberDirectory.member(id);
  if (!member || !mayManage(viewer, member.cell.path)) throw new NotFound();
  return member;
}

function exemptionSection(viewer: Viewer, member: Member, form: ExemptionForm, error?: string): Html {
  const { t } = viewer;
  const kind = (value: string) => html`<option value="${value}"${form.kind === value ? html` selected` : ""}>${t(`common:exemption_${value}`)}</option>`;
  const current = member.exemption === "none"
    ? t("consoleMembers:exemptionNoneNow")
    : t("consoleMembers:exemptionNow", {
      kind: t(`common:exemption_${member.exemption}`), from: displayDay(member.exemptionFrom),
      until: displayDay(member.exemptionUntil) || "—", reason: member.exemptionReason ?? "",
    });
  return html`<section class="card" aria-labelledby="exemption-title">
<h2 id="exemption-title">${t("consoleMembers:exemptionTitle")}</h2>
<p>${current}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/console/members/${member.id}/exemption">${csrfField(viewer)}
<div class="field"><label for="kind">${t("consoleMembers:exemptionKind")}</label>
<select id="kind" name="kind">${kind("temporary")}${kind("exempt")}</select></div>
<div class="field"><label for="reason">${t("consoleMembers:exemptionReason")}</label>
<textarea id="reason" name="reason" maxlength="500" required>${form.reason}</textarea></div>
<div class="field"><label for="from">${t("consoleMembers:exemptionFrom")}</label><input id="from" name="from" type="date" value="${form.from}"></div>
<div class="field"><label for="until">${t("consoleMembers:exemptionUntil")}</label><input id="until" name="until" type="date" value="${form.until}"></div>
<button type="submit" class="primary">${t("consoleMembers:exemptionSave")}</button>
</form>
${member.exemption === "none" ? "" : html`<form method="post" action="/console/members/${member.id}/exemption/clear">${csrfField(viewer)}
<button type="submit">${t("consoleMembers:exemptionClear")}</button></form>`}
</section>`;
}

function memberPage(viewer: Viewer, member: Member, options: { form: ExemptionForm; error?: string; flash?: string }): Html {
  const { t } = viewer;
  const row = (label: string, value: unknown) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  const body = html`<p><a href="/console/members">${t("consoleMembers:backToList")}</a></p>
<div class="table-wrap"><table class="members-facts"><tbody>
${row(t("consoleMembers:cell"), member.cell.name)}
${row(t("consoleMembers:phone"), member.phone ?? "—")}
${row(t("consoleMembers:birthDate"), displayDay(member.birthDate) || "—")}
${row(t("consoleMembers:status"), t(`consoleMembers:status_${member.status}`))}
${row(t("consoleMembers:positions"), positionsOf(viewer, member) || "—")}
${row(t("consoleMembers:linked"), channelsOf(viewer, member.identities))}
${row(t("consoleMembers:exemption"), exemptionOf(viewer, member))}
</tbody></table></div>
${exemptionSection(viewer, member, options.form, options.error)}
<section class="card"><h2>${t("consoleMembers:slipTitle")}</h2><p>${t("consoleMembers:slipOneIntro")}</p>
<form method="post" action="/console/members/slips">${csrfField(viewer)}
<input type="hidden" name="cell" value="${member.cell.id}"><input type="hidden" name="member" value="${member.id}">
<button type="submit">${t("consoleMembers:slipOne")}</button></form></section>`;
  return page(viewer, { title: member.fullName, area: "members", body, ...(options.flash ? { flash: options.flash } : {}) });
}

const EMPTY_FORM: ExemptionForm = { kind: "temporary", reason: "", from: "", until: "" };

/** One member's page: what the console knows of them, and their exemption from activities set or lifted. */
export function memberRoutes(deps: ConsoleDeps) {
  return {
    async show(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const member = await memberInScope(deps, viewer, req.params.id);
      await deps.services.memberDirectory.shown(member.id, deps.clock.now(), actorOf(viewer));
      const flash = flashOf(req, viewer, "consoleMembers");
      res.type("html").send(memberPage(viewer, member, { form: EMPTY_FORM, ...(flash ? { flash } : {}) }).toString());
    },

    async setExemption(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const member = await memberInScope(deps, viewer, req.params.id);
      const form: ExemptionForm = {
        kind: field(req.body, "kind"), reason: field(req.body, "reason"), from: field(req.body, "from").trim(), until: field(req.body, "until").trim(),
      };
      try {
        await deps.services.members.setExemption(String(member.id), {
          kind: form.kind, reason: form.reason, ...(form.from ? { from: form.from } : {}), ...(form.until ? { until: form.until } : {}),
        }, deps.clock.now(), actorOf(viewer));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        res.status(400).type("html").send(memberPage(viewer, member, { form, error: refusalText(viewer, error) }).toString());
        return;
      }
      res.redirect(303, `/console/members/${member.id}?ok=exemptionSaved`);
    },

    async clearExemption(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const member = await memberInScope(deps, viewer, req.params.id);
      await deps.services.members.setExemption(String(member.id), "clear", deps.clock.now(), actorOf(viewer));
      res.redirect(303, `/console/members/${member.id}?ok=exemptionCleared`);
    },
  };
}
