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

export async function passOrganizations(db: Db): Promise<PassOrganizations> {
  const index = await loadWholeOrgIndex(db);
  return { index, tops: index.all.filter((org) => org.parentId === null) };
}

/**
 * Every cell's next meetings after `from`, with the schedule settings of its cell: what the
 * time-based jobs plan from. A fixed number of queries per tree, whatever its size.
 */
export async function plannedMeetings(deps: { db: Db; services: Services }, from: Date, count = 2, orgs?: PassOrganizations): Promise<PlannedMeeting[]> {
  const { index, tops } = orgs ?? (await passOrganizations(deps.db));
  const planned: PlannedMeeting[] = [];
  for (const top of tops) {
    const { meetings } = await deps.services.meetings.upcoming(top.code, { from, count });
    for (const meeting of meetings) planned.push({ ...meeting, settings: index.settings(meeting.cell.id).schedule });
  }
  return planned;
}
