import type { ScheduleSettings } from "../domain/scheduleSettings.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Services } from "../services/index.ts";
import type { UpcomingMeeting } from "../services/meetings.ts";
import { loadWholeOrgIndex, type OrgIndex } from "../services/orgIndex.ts";
import type { Db } from "../storage/database.ts";

export interface PlannedMeeting extends UpcomingMeeting {
  /** The schedule settings that apply to the meeting's cell (inherited, nearest wins). */
  settings: ScheduleSettings;
}

/** Every organization with its settings, and the tops of the trees: what a scheduler pass plans from. */
export interface PassOrganizations {
  index: OrgIndex & { all: Organization[] };
  tops: Organization[];
}

const passCache = new WeakMap<Db, { to: number; orgs: Promise<PassOrganizations> }>();

/**
 * The organizations of one scheduler pass, read once: every job of a pass asks with the same
 * window end, and the pass runs every minute.
 */
export function passOrganizations(db: Db, to: Date): Promise<PassOrganizations> {
  const cached = passCache.get(db);
  if (cached && cached.to === to.getTime()) return cached.orgs;
  const orgs = loadWholeOrgIndex(db).then((index) => ({ index, tops: index.all.filter((org) => org.parentId === null) }));
  passCache.set(db, { to: to.getTime(), orgs });
  orgs.catch(() => passCache.delete(db));
  return orgs;
}

/**
 * Every cell's next meetings after `from`, with the schedule settings of its cell: what the
 * time-based jobs plan from. A fixed number of queries per tree, whatever its size.
 */
export async function plannedMeetings(deps: { db: Db; services: Services }, window: { from: Date; to: Date }, count = 2): Promise<PlannedMeeting[]> {
  const { from } = window;
  const { index, tops } = await passOrganizations(deps.db, window.to);
  const planned: PlannedMeeting[] = [];
  for (const top of tops) {
    const { meetings } = await deps.services.meetings.upcoming(top.code, { from, count });
    for (const meeting of meetings) planned.push({ ...meeting, settings: index.settings(meeting.cell.id).schedule });
  }
  return planned;
}
