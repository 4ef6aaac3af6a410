import { addresseesFrom } from "../domain/addressees.ts";
import { isHoliday, type MeetingPolicy } from "../domain/meetingCalendar.ts";
import { pathIds } from "../domain/organization.ts";
import { ownScheduleFrom, resolveListedDays, resolveSettings, type EffectiveSettings, type ListedDay } from "../domain/orgSettings.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { DbClient } from "../storage/database.ts";

/** Past this many organizations, reading whole subtrees costs less than naming each id. */
const MAX_IDS_PER_QUERY = 500;

/**
 * The organizations around some others (their chains up to the top) with what was set on each:
 * settings and listed days resolved for any of them, nearest wins, without another query.
 */
export interface OrgIndex {
  get(id: number): Organization | undefined;
  /** The organization and those above it, top first. */
  chain(id: number): Organization[];
  settings(id: number): EffectiveSettings;
  /** Days off that apply at the organization beyond weekends: statutory, listed above, minus working days listed. */
  isDayOff(id: number): (isoDate: string) => boolean;
  /** The meeting policy of a cell, for its rule's shift setting. */
  meetingPolicy(id: number, shiftOffDays: boolean): MeetingPolicy;
  /** The listed days deciding at the organization (for showing where a day off comes from). */
  listedDays(id: number): ReturnType<typeof resolveListedDays>;
  /** The kind of unit the organization belongs to (its nearest base organization's or province's): "commune", "ward", … */
  unitKind(id: number): string | null;
}

/** Reads the chains above the given organizations (and the organizations themselves) in a bounded number of queries. */
export async function loadOrgIndex(db: DbClient, orgs: readonly Pick<Organization, "path">[]): Promise<OrgIndex> {
  const ids = [...new Set(orgs.flatMap((o) => pathIds(o.path)))];
  let rows: Organization[];
  let listed: ListedDay[];
  if (ids.length <= MAX_IDS_PER_QUERY) {
    [rows, listed] = await Promise.all([
      db.organization.findMany({ where: { id: { in: ids } } }),
      db.holiday.findMany({ where: { organizationId: { in: ids } }, select: { organizationId: true, date: true, name: true, dayOff: true } }),
    ]);
  } else {
    // Many organizations share a few tops: read the tops' subtrees.
    const tops = [...new Set(orgs.map((o) => pathIds(o.path)[0]!))].map((id) => `/${id}/`);
    const inTrees = { OR: tops.map((top) => ({ path: { startsWith: top } })) };
    [rows, listed] = await Promise.all([
      db.organization.findMany({ where: inTrees }),
      db.holiday.findMany({ where: { organization: inTrees }, select: { organizationId: true, date: true, name: true, dayOff: true } }),
    ]);
  }
  return indexOf(rows, listed);
}

/** Every organization of the database: for the scheduler's passes, which look at all of them. */
export async function loadWholeOrgIndex(db: DbClient): Promise<OrgIndex & { all: Organization[] }> {
  const [rows, listed] = await Promise.all([
    db.organization.findMany({ orderBy: { id: "asc" } }),
    db.holiday.findMany({ select: { organizationId: true, date: true, name: true, dayOff: true } }),
  ]);
  return { ...indexOf(rows, listed), all: rows };
}

function indexOf(rows: Organization[], listed: ListedDay[]): OrgIndex {
  const byId = new Map(rows.map((o) => [o.id, o]));
  const listedByOrg = new Map<number, ListedDay[]>();
  for (const day of listed) {
    const days = listedByOrg.get(day.organizationId);
    if (days) days.push(day);
    else listedByOrg.set(day.organizationId, [day]);
  }
  const settingsCache = new Map<number, EffectiveSettings>();
  const daysCache = new Map<number, ReturnType<typeof resolveListedDays>>();

  const chain = (id: number): Organization[] => {
    const org = byId.get(id);
    if (!org) return [];
    return pathIds(org.path).map((i) => byId.get(i)).filter((o): o is Organization => o !== undefined);
  };
  const settings = (id: number): EffectiveSettings => {
    let found = settingsCache.get(id);
    if (!found) {
      found = resolveSettings(chain(id).map((org) => ({
        org,
        own: { maxPostponeDays: org.maxPostponeDays, schedule: ownScheduleFrom(org.scheduleSettings), addressees: addresseesFrom(org.feedbackAddressees) },
      })));
      settingsCache.set(id, found);
    }
    return found;
  };
  const meetingPolicy = (id: number, shiftOffDays: boolean): MeetingPolicy => {
    const { off, working } = listedDays(id);
    return { shiftOffDays, holidays: off, workingDays: working, statutory: true };
  };
  function listedDays(id: number) {
    let found = daysCache.get(id);
    if (!found) {
      const ids = chain(id).map((o) => o.id);
      found = resolveListedDays(ids, ids.flatMap((i) => listedByOrg.get(i) ?? []));
      daysCache.set(id, found);
    }
    return found;
  }
  return {
    get: (id) => byId.get(id),
    chain,
    settings,
    listedDays,
    isDayOff(id) {
      const policy = meetingPolicy(id, true);
      return (iso) => isHoliday(iso, policy);
    },
    meetingPolicy,
    unitKind(id) {
      const withKind = chain(id).reverse().find((o) => o.unitKind);
      return withKind?.unitKind ?? null;
    },
  };
}
