import { addAddressee, removeAddressee, type AddresseeEntry } from "../domain/addressees.ts";
import { DomainError } from "../domain/errors.ts";
import { statutoryDaysOff } from "../domain/holidays.ts";
import { parseIsoDate } from "../domain/localTime.ts";
import { checkOrgName } from "../domain/organization.ts";
import { MAX_POSTPONE_DAYS_LIMIT } from "../domain/postponement.ts";
import { ownScheduleFrom, SETTING_KEYS, type EffectiveSettings, type SettingKey } from "../domain/orgSettings.ts";
import { checkScheduleSettings, type ScheduleSettings } from "../domain/scheduleSettings.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { loadOrgIndex } from "./orgIndex.ts";

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

/**
 * What an organization sets for its subtree: the postponement limit, the schedule, the feedback
 * addressees and the days off. Each read says where a value comes from (orgIndex.ts resolves).
 */
export function createOrgSettingsService(deps: { db: Db; findByCode: (code: string) => Promise<Organization> }) {
  const { db, findByCode } = deps;

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

  return { settings, setPostponeLimit, scheduleSettings, setScheduleSettings, unsetSetting, addFeedbackAddressee, removeFeedbackAddressee, addHoliday, removeHoliday, holidays };
}

function checkHolidayDate(date: string): void {
  const day = parseIsoDate(date);
  if (!day || day.year < 1900 || day.year > 2199) throw new DomainError("org:invalidHolidayDate", { value: date });
}

export function checkPostponeLimit(days: number | undefined): void {
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > MAX_POSTPONE_DAYS_LIMIT)) {
    throw new DomainError("schedule:invalidMaxPostponeDays", { value: String(days), max: MAX_POSTPONE_DAYS_LIMIT });
  }
}
