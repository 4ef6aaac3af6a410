import { scheduleSettingsFrom, type ScheduleSettings } from "../domain/scheduleSettings.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Services } from "../services/index.ts";
import type { UpcomingMeeting } from "../services/meetings.ts";
import type { Db } from "../storage/database.ts";

export interface PlannedMeeting extends UpcomingMeeting {
  district: Organization;
  settings: ScheduleSettings;
}

/**
 * Every cell's next meetings after `from`, with its district's schedule settings: what the
 * time-based jobs plan from. A fixed number of queries per district, whatever its size.
 */
export async function plannedMeetings(deps: { db: Db; services: Services }, from: Date, count = 2): Promise<PlannedMeeting[]> {
  const districts = await deps.db.organization.findMany({ where: { level: "district" }, orderBy: { id: "asc" } });
  const planned: PlannedMeeting[] = [];
  for (const district of districts) {
    const settings = scheduleSettingsFrom(district.scheduleSettings);
    const { meetings } = await deps.services.meetings.upcoming(district.code, { from, count });
    for (const meeting of meetings) planned.push({ ...meeting, district, settings });
  }
  return planned;
}

/** Each district's settings, by district id, for jobs that are not about one meeting. */
export async function districtSettings(db: Db): Promise<{ district: Organization; settings: ScheduleSettings }[]> {
  const districts = await db.organization.findMany({ where: { level: "district" }, orderBy: { id: "asc" } });
  return districts.map((district) => ({ district, settings: scheduleSettingsFrom(district.scheduleSettings) }));
}
