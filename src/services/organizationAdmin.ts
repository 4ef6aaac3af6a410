import { administers } from "../domain/consoleAccess.ts";
import type { MemberRoles } from "../domain/authorization.ts";
import { DomainError, NotAllowedError } from "../domain/errors.ts";
import type { SettingKey } from "../domain/orgSettings.ts";
import type { MeetingRule } from "../domain/schedule.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db, Tx } from "../storage/database.ts";
import { audit, type Actor, type AuditAction } from "./audit.ts";
import { MAX_PLACE_LENGTH } from "./meetingSetup.ts";
import { createOrganizationService, type OrganizationService } from "./organizations.ts";
import { sameTransaction } from "./sameTransaction.ts";

/** Who changes an organization: the person (for the audit) and their roles (for the scope). */
export interface OrgAdministrator {
  actor: Actor;
  roles: MemberRoles;
}

export type RuleInput = MeetingRule & { place?: string; shiftOffDays?: boolean };

/** An organization added under another from the console: a cell or a sub-branch. */
export type ChildInput =
  | { level: "cell"; name: string; code?: string; cellKind: string }
  | { level: "sub_branch"; name: string; code?: string };

/**
 * Administrators hold the organization area for their subtree: the same grant as the console's
 * table (domain/consoleAccess.ts), checked again here so no caller can act outside it.
 */
export const administersPath = administers;

/**
 * An administrator's changes to an organization of their subtree: the organization service's own
 * use cases (the CLI's), each run in one transaction with its audit row, so a change is saved
 * with the record of who made it, or not at all.
 */
export function createOrganizationAdminService(deps: { db: Db }) {
  const { db } = deps;

  function change<T>(by: OrgAdministrator, orgId: number, now: Date, what: { action?: AuditAction; detail: string },
    work: (orgs: OrganizationService, org: Organization, tx: Tx) => Promise<T>): Promise<T> {
    return db.$transaction(async (tx) => {
      const org = await tx.organization.findUnique({ where: { id: orgId } });
      if (!org || !administersPath(by.roles, org.path)) throw new NotAllowedError();
      const result = await work(createOrganizationService({ db: sameTransaction(tx) }), org, tx);
      const subjectId = (result as { created?: Organization } | undefined)?.created?.id ?? org.id;
      await audit(tx, now, { actor: by.actor, action: what.action ?? "update", subjectType: "Organization", subjectId, detail: what.detail });
      return result;
    });
  }

  const rename = (by: OrgAdministrator, orgId: number, name: string, now: Date) =>
    change(by, orgId, now, { detail: "rename" }, (orgs, org) => orgs.rename(org.code, name));

  const setUnitKind = (by: OrgAdministrator, orgId: number, kind: string, now: Date) =>
    change(by, orgId, now, { detail: `kind ${kind}` }, (orgs, org) => orgs.setUnitKind(org.code, kind));

  const setMeetingRule = (by: OrgAdministrator, cellId: number, rule: RuleInput, now: Date) =>
    change(by, cellId, now, { detail: "meeting rule" }, async (orgs, org) => {
      if (rule.place && [...rule.place].length > MAX_PLACE_LENGTH) throw new DomainError("meetingSetup:tooLong", { max: MAX_PLACE_LENGTH });
      await orgs.setMeetingRule(org.code, rule);
    });

  /** Sets one value for the subtree: the postponement limit or a schedule setting (addressees have their own). */
  const setSetting = (by: OrgAdministrator, orgId: number, key: Exclude<SettingKey, "addressees">, value: unknown, now: Date) =>
    change(by, orgId, now, { detail: `setting ${key}` }, async (orgs, org) => {
      if (key === "maxPostponeDays") await orgs.setPostponeLimit(org.code, value as number);
      else await orgs.setScheduleSettings(org.code, { [key]: value });
    });

  /** The organization stops setting the value: it is inherited again. Answers whether it had set it. */
  const unsetSetting = (by: OrgAdministrator, orgId: number, key: string, now: Date) =>
    change(by, orgId, now, { detail: `unset ${key}` }, (orgs, org) => orgs.unsetSetting(org.code, key));

  const addHoliday = (by: OrgAdministrator, orgId: number, date: string, name: string, now: Date) =>
    change(by, orgId, now, { detail: `day off ${date}` }, (orgs, org) => orgs.addHoliday(org.code, date, name));

  const removeHoliday = (by: OrgAdministrator, orgId: number, date: string, now: Date) =>
    change(by, orgId, now, { detail: `working day ${date}` }, (orgs, org) => orgs.removeHoliday(org.code, date));

  const addAddressee = (by: OrgAdministrator, orgId: number, name: string, now: Date) =>
    change(by, orgId, now, { detail: "addressee added" }, (orgs, org) => orgs.addFeedbackAddressee(org.code, name));

  const removeAddressee = (by: OrgAdministrator, orgId: number, key: string, now: Date) =>
    change(by, orgId, now, { detail: `addressee ${key} removed` }, (orgs, org) => orgs.removeFeedbackAddressee(org.code, key));

  /** Adds a cell or a sub-branch under the organization (the level rules of org add-cell / add-sub-branch). */
  const addChild = (by: OrgAdministrator, parentId: number, input: ChildInput, now: Date) =>
    change(by, parentId, now, { action: "create", detail: `add ${input.level}` }, async (orgs, parent, tx) => {
      const code = input.code?.trim() || undefined;
      const created = await orgs.addWith(tx, { ...input, code, parentCode: parent.code });
      return { created };
    });

  return { rename, setUnitKind, setMeetingRule, setSetting, unsetSetting, addHoliday, removeHoliday, addAddressee, removeAddressee, addChild };
}

export type OrganizationAdminService = ReturnType<typeof createOrganizationAdminService>;
