import { DomainError } from "../domain/errors.ts";
import { checkScheduleSettings, scheduleSettingsFrom, type ScheduleSettings } from "../domain/scheduleSettings.ts";
import { parseIsoDate } from "../domain/localTime.ts";
import { checkOrgName, checkParent, childPath, orgCode, parseCellKind, type OrgLevel } from "../domain/organization.ts";
import { validateMeetingRule, type MeetingRule } from "../domain/schedule.ts";
import { searchKey } from "../domain/text.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db, DbClient, Tx } from "../storage/database.ts";
import { ruleToRow } from "./meetingRules.ts";

export interface NewOrganization {
  level: OrgLevel;
  name: string;
  code?: string;
  parentCode?: string;
  cellKind?: string;
  maxPostponeDays?: number;
  rule?: MeetingRule & { place?: string; shiftOffDays?: boolean };
}

export interface TreeEntry {
  org: Organization;
  depth: number;
}

export function createOrganizationService(deps: { db: Db }) {
  const { db } = deps;

  async function findByCode(code: string, client: DbClient = db): Promise<Organization> {
    const org = await client.organization.findUnique({ where: { code: code.trim().toLowerCase() } });
    if (!org) throw new DomainError("org:notFound", { code });
    return org;
  }

  /** Creates an organization (and a cell's rule) in its own transaction. */
  function add(input: NewOrganization): Promise<Organization> {
    return db.$transaction((tx) => addWith(tx, input));
  }

  /** The same inside a caller's transaction. */
  async function addWith(tx: Tx, input: NewOrganization): Promise<Organization> {
    const name = checkOrgName(input.name);
    const code = orgCode(name, input.code);
    const parent = input.parentCode ? await findByCode(input.parentCode, tx) : null;
    checkParent(input.level, (parent?.level as OrgLevel | undefined) ?? null);
    const cellKind = input.level === "cell" ? parseCellKind(input.cellKind ?? "") : null;
    if (input.level !== "cell" && input.rule) throw new DomainError("org:ruleOnlyForCells");
    const rule = input.rule ? { ...validateMeetingRule(input.rule), place: input.rule.place, shiftOffDays: input.rule.shiftOffDays } : null;
    if (input.maxPostponeDays !== undefined && input.level !== "district") throw new DomainError("org:postponeLimitOnDistrict");
    checkPostponeLimit(input.maxPostponeDays);
    if (await tx.organization.findUnique({ where: { code } })) throw new DomainError("org:codeTaken", { code });

    {
      const created = await tx.organization.create({
        data: {
          level: input.level,
          cellKind,
          name,
          searchName: searchKey(name),
          code,
          parentId: parent?.id ?? null,
          maxPostponeDays: input.maxPostponeDays ?? null,
        },
      });
      if (rule) await tx.meetingRule.create({ data: { cellId: created.id, ...ruleToRow(rule, rule) } });
      return tx.organization.update({ where: { id: created.id }, data: { path: childPath(parent?.path ?? null, created.id) } });
    }
  }

  async function setMeetingRule(cellCode: string, input: MeetingRule & { place?: string; shiftOffDays?: boolean }) {
    const cell = await findByCode(cellCode);
    if (cell.level !== "cell") throw new DomainError("org:ruleOnlyForCells");
    const row = ruleToRow(validateMeetingRule(input), input);
    return db.meetingRule.upsert({ where: { cellId: cell.id }, create: { cellId: cell.id, ...row }, update: row });
  }

  async function setPostponeLimit(districtCode: string, days: number) {
    const district = await findByCode(districtCode);
    if (district.level !== "district") throw new DomainError("org:postponeLimitOnDistrict");
    checkPostponeLimit(days);
    return db.organization.update({ where: { id: district.id }, data: { maxPostponeDays: days } });
  }

  /** A district's schedule settings as they apply (defaults for what it did not set). */
  async function scheduleSettings(districtCode: string): Promise<ScheduleSettings> {
    const district = await findByCode(districtCode);
    if (district.level !== "district") throw new DomainError("org:scheduleOnDistrict");
    return scheduleSettingsFrom(district.scheduleSettings);
  }

  /** Changes some of a district's schedule settings; the rest keep their values. */
  async function setScheduleSettings(districtCode: string, patch: unknown): Promise<ScheduleSettings> {
    const current = await scheduleSettings(districtCode);
    const next = checkScheduleSettings(patch, current);
    await db.organization.update({ where: { code: districtCode.trim().toLowerCase() }, data: { scheduleSettings: JSON.stringify(next) } });
    return next;
  }

  async function addHoliday(orgCodeValue: string, date: string, name: string) {
    const org = await findByCode(orgCodeValue);
    if (!parseIsoDate(date)) throw new DomainError("org:invalidHolidayDate", { value: date });
    const label = checkOrgName(name);
    return db.holiday.upsert({
      where: { organizationId_date: { organizationId: org.id, date } },
      create: { organizationId: org.id, date, name: label },
      update: { name: label },
    });
  }

  /** The organization and everything under it, parents before children, with depth. */
  async function tree(rootCode?: string): Promise<TreeEntry[]> {
    const root = rootCode ? await findByCode(rootCode) : null;
    const orgs = await db.organization.findMany({
      where: root ? { path: { startsWith: root.path } } : {},
      orderBy: [{ path: "asc" }],
    });
    const baseDepth = root ? root.path.split("/").length : 3;
    return orgs
      .sort((a, b) => comparePaths(a.path, b.path))
      .map((org) => ({ org, depth: org.path.split("/").length - baseDepth }));
  }

  async function cellsUnder(code: string): Promise<Organization[]> {
    const root = await findByCode(code);
    return db.organization.findMany({
      where: { path: { startsWith: root.path }, level: "cell" },
      orderBy: { id: "asc" },
    });
  }

  return { add, addWith, findByCode, setMeetingRule, setPostponeLimit, scheduleSettings, setScheduleSettings, addHoliday, tree, cellsUnder };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;

function checkPostponeLimit(days: number | undefined): void {
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > 31)) {
    throw new DomainError("schedule:invalidMaxPostponeDays", { value: String(days), max: 31 });
  }
}

/** Paths compare by their numeric ids, so "/1/10/" sorts after "/1/9/". */
function comparePaths(a: string, b: string): number {
  const pa = a.split("/").filter(Boolean).map(Number);
  const pb = b.split("/").filter(Boolean).map(Number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return pa.length - pb.length;
}
