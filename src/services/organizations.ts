import { addAddressee, removeAddressee, type AddresseeEntry } from "../domain/addressees.ts";
import { DomainError } from "../domain/errors.ts";
import { statutoryDaysOff } from "../domain/holidays.ts";
import { parseIsoDate } from "../domain/localTime.ts";
import { checkOrgName, checkParent, childPath, isOrgLevel, orgCode, parseCellKind, parseUnitKind, pathIds, type OrgLevel } from "../domain/organization.ts";
import { ownScheduleFrom, SETTING_KEYS, type EffectiveSettings, type SettingKey } from "../domain/orgSettings.ts";
import { MAX_POSTPONE_DAYS_LIMIT } from "../domain/postponement.ts";
import { validateMeetingRule, type MeetingRule } from "../domain/schedule.ts";
import { checkScheduleSettings, type ScheduleSettings } from "../domain/scheduleSettings.ts";
import { searchKey } from "../domain/text.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db, DbClient, Tx } from "../storage/database.ts";
import { ruleToRow } from "./meetingRules.ts";
import { loadOrgIndex } from "./orgIndex.ts";

export interface NewOrganization {
  level: OrgLevel;
  name: string;
  code?: string;
  parentCode?: string;
  cellKind?: string;
  /** For a province or a base organization: what unit it is ("commune", "ward", "city", …). */
  unitKind?: string;
  maxPostponeDays?: number;
  rule?: MeetingRule & { place?: string; shiftOffDays?: boolean };
}

export interface TreeEntry {
  org: Organization;
  depth: number;
}

/** One day off that applies at an organization, and who decided it (null: the Labour Code). */
export interface EffectiveDay {
  date: string;
  name: string;
  /** A statutory holiday key ("tet", …) when the day is a built-in one. */
  statutoryKey?: string;
  compensating?: boolean;
  dayOff: boolean;
  decidedBy: { code: string; name: string } | null;
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
    if (!isOrgLevel(input.level)) throw new DomainError("org:unknownLevel", { value: String(input.level) });
    const name = checkOrgName(input.name);
    const code = orgCode(name, input.code);
    const parent = input.parentCode ? await findByCode(input.parentCode, tx) : null;
    checkParent(input.level, (parent?.level as OrgLevel | undefined) ?? null);
    const cellKind = input.level === "cell" ? parseCellKind(input.cellKind ?? "") : null;
    const unitKind = parseUnitKind(input.level, input.unitKind);
    if (input.level !== "cell" && input.rule) throw new DomainError("org:ruleOnlyForCells");
    const rule = input.rule ? { ...validateMeetingRule(input.rule), place: input.rule.place, shiftOffDays: input.rule.shiftOffDays } : null;
    checkPostponeLimit(input.maxPostponeDays);
    if (await tx.organization.findUnique({ where: { code } })) throw new DomainError("org:codeTaken", { code });
    const created = await tx.organization.create({
      data: { level: input.level, cellKind, unitKind, name, searchName: searchKey(name), code, parentId: parent?.id ?? null, maxPostponeDays: input.maxPostponeDays ?? null },
    });
    if (rule) await tx.meetingRule.create({ data: { cellId: created.id, ...ruleToRow(rule, rule) } });
    return tx.organization.update({ where: { id: created.id }, data: { path: childPath(parent?.path ?? null, created.id) } });
  }

  async function rename(code: string, name: string): Promise<Organization> {
    const org = await findByCode(code);
    const clean = checkOrgName(name);
    return db.organization.update({ where: { id: org.id }, data: { name: clean, searchName: searchKey(clean) } });
  }

  async function setUnitKind(code: string, kind: string): Promise<Organization> {
    const org = await findByCode(code);
    return db.organization.update({ where: { id: org.id }, data: { unitKind: parseUnitKind(org.level as OrgLevel, kind) } });
  }

  async function setMeetingRule(cellCode: string, input: MeetingRule & { place?: string; shiftOffDays?: boolean }) {
    const cell = await findByCode(cellCode);
    if (cell.level !== "cell") throw new DomainError("org:ruleOnlyForCells");
    const row = ruleToRow(validateMeetingRule(input), input);
    return db.meetingRule.upsert({ where: { cellId: cell.id }, create: { cellId: cell.id, ...row }, update: row });
  }

  /** The settings that apply at an organization, each with the organization it comes from. */
  async function settings(code: string): Promise<{ org: Organization; settings: EffectiveSettings }> {
    const org = await findByCode(code);
    const index = await loadOrgIndex(db, [org]);
    return { org, settings: index.settings(org.id) };
  }

  async function setPostponeLimit(code: string, days: number) {
    const org = await findByCode(code);
    checkPostponeLimit(days);
    return db.organization.update({ where: { id: org.id }, data: { maxPostponeDays: days } });
  }

  /** The schedule settings that apply at an organization (inherited, defaults for what nobody set). */
  async function scheduleSettings(code: string): Promise<ScheduleSettings> {
    return (await settings(code)).settings.schedule;
  }

  /** Sets some schedule settings on an organization for its subtree; the rest stay inherited. */
  async function setScheduleSettings(code: string, patch: unknown): Promise<ScheduleSettings> {
    const { org, settings: current } = await settings(code);
    const next = checkScheduleSettings(patch, current.schedule);
    const keys = Object.keys(patch as object) as (keyof ScheduleSettings)[];
    const own = { ...ownScheduleFrom(org.scheduleSettings), ...Object.fromEntries(keys.map((k) => [k, next[k]])) };
    await db.organization.update({ where: { id: org.id }, data: { scheduleSettings: JSON.stringify(own) } });
    return next;
  }

  /** Stops setting a value on an organization: it inherits it again. Answers whether it had set it. */
  async function unsetSetting(code: string, key: string): Promise<boolean> {
    const org = await findByCode(code);
    if (!(SETTING_KEYS as readonly string[]).includes(key)) throw new DomainError("org:settingUnknown", { field: key, keys: SETTING_KEYS.join(", ") });
    const setting = key as SettingKey;
    if (setting === "maxPostponeDays") {
      await db.organization.update({ where: { id: org.id }, data: { maxPostponeDays: null } });
      return org.maxPostponeDays !== null;
    }
    if (setting === "addressees") {
      await db.organization.update({ where: { id: org.id }, data: { feedbackAddressees: null } });
      return org.feedbackAddressees !== null;
    }
    const own: Record<string, unknown> = ownScheduleFrom(org.scheduleSettings);
    const had = setting in own;
    delete own[setting];
    await db.organization.update({ where: { id: org.id }, data: { scheduleSettings: Object.keys(own).length ? JSON.stringify(own) : null } });
    return had;
  }

  /** Adds a body of the organization's own to the feedback addressees of its subtree. */
  async function addFeedbackAddressee(code: string, name: string): Promise<AddresseeEntry[]> {
    const { org, settings: current } = await settings(code);
    const list = addAddressee(current.addressees, name);
    await db.organization.update({ where: { id: org.id }, data: { feedbackAddressees: JSON.stringify(list) } });
    return list;
  }

  async function removeFeedbackAddressee(code: string, key: string): Promise<AddresseeEntry[]> {
    const { org, settings: current } = await settings(code);
    const list = removeAddressee(current.addressees, key);
    await db.organization.update({ where: { id: org.id }, data: { feedbackAddressees: JSON.stringify(list) } });
    return list;
  }

  async function addHoliday(orgCodeValue: string, date: string, name: string) {
    const org = await findByCode(orgCodeValue);
    checkHolidayDate(date);
    const label = checkOrgName(name);
    return db.holiday.upsert({
      where: { organizationId_date: { organizationId: org.id, date } },
      create: { organizationId: org.id, date, name: label, dayOff: true },
      update: { name: label, dayOff: true },
    });
  }

  /**
   * Makes a day a working day in the organization's subtree: its own listed day off is removed,
   * and a day off that still applies (statutory, or listed above) is marked a working day there.
   */
  async function removeHoliday(orgCodeValue: string, date: string): Promise<"removed" | "working" | "notOff"> {
    const org = await findByCode(orgCodeValue);
    checkHolidayDate(date);
    return db.$transaction(async (tx) => {
      const own = await tx.holiday.findUnique({ where: { organizationId_date: { organizationId: org.id, date } } });
      if (own) await tx.holiday.delete({ where: { id: own.id } });
      const index = await loadOrgIndex(tx, [org]);
      if (!index.isDayOff(org.id)(date)) return own?.dayOff ? "removed" : "notOff";
      await tx.holiday.create({ data: { organizationId: org.id, date, name: own?.name ?? "", dayOff: false } });
      return "working";
    });
  }

  /** The days off of a year at an organization (statutory and listed), and the working days listed there. */
  async function holidays(code: string, year: number): Promise<EffectiveDay[]> {
    const org = await findByCode(code);
    if (!Number.isInteger(year) || year < 1900 || year > 2199) throw new DomainError("org:invalidYear", { value: String(year) });
    const index = await loadOrgIndex(db, [org]);
    const { decidedBy } = index.listedDays(org.id);
    const days = new Map<string, EffectiveDay>();
    for (const day of statutoryDaysOff(year)) {
      days.set(day.date, { date: day.date, name: "", statutoryKey: day.key, compensating: day.compensating, dayOff: true, decidedBy: null });
    }
    for (const [date, listed] of decidedBy) {
      if (!date.startsWith(`${year}-`)) continue;
      const decider = index.get(listed.organizationId)!;
      days.set(date, { ...days.get(date), date, name: listed.name, dayOff: listed.dayOff, decidedBy: { code: decider.code, name: decider.name } });
    }
    return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
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

  /**
   * The superior committee of an organization: the nearest organization above it that has
   * officers (anyone with a role other than plain member). A sub-branch without officers of its
   * own is passed over for the commune's party committee; when nobody above has officers yet, the
   * organization directly above.
   */
  async function superiorOf(org: Pick<Organization, "id" | "path">, client: DbClient = db): Promise<Organization | null> {
    const above = pathIds(org.path).filter((id) => id !== org.id);
    if (above.length === 0) return null;
    const withOfficers = await client.role.findMany({
      where: { organizationId: { in: above }, role: { not: "member" } },
      select: { organizationId: true },
      distinct: ["organizationId"],
    });
    const ids = new Set(withOfficers.map((r) => r.organizationId));
    // Nobody above has officers yet (a tree still being set up): the organization directly above.
    const nearest = [...above].reverse().find((id) => ids.has(id)) ?? above.at(-1)!;
    return client.organization.findUnique({ where: { id: nearest } });
  }

  return {
    add, addWith, findByCode, rename, setUnitKind, setMeetingRule, settings, setPostponeLimit, scheduleSettings, setScheduleSettings, unsetSetting,
    addFeedbackAddressee, removeFeedbackAddressee, addHoliday, removeHoliday, holidays, tree, cellsUnder, superiorOf,
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;

function checkHolidayDate(date: string): void {
  const day = parseIsoDate(date);
  if (!day || day.year < 1900 || day.year > 2199) throw new DomainError("org:invalidHolidayDate", { value: date });
}

function checkPostponeLimit(days: number | undefined): void {
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > MAX_POSTPONE_DAYS_LIMIT)) {
    throw new DomainError("schedule:invalidMaxPostponeDays", { value: String(days), max: MAX_POSTPONE_DAYS_LIMIT });
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
