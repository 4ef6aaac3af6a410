import type { Db } from "../storage/database.ts";
import type { AttendanceService } from "./attendance.ts";
import { createAttendanceYearService } from "./attendanceYear.ts";
import { createMeetingHeldService } from "./meetingHeld.ts";
import { createMeetingMinutesService } from "./meetingMinutes.ts";
import { createMeetingMonthService } from "./meetingMonth.ts";
import { createMeetingRecordService } from "./meetingRecord.ts";
import type { MeetingService } from "./meetings.ts";
import { createMeetingViewService } from "./meetingView.ts";
import type { Messaging } from "./messaging.ts";
import type { OrganizationService } from "./organizations.ts";
import { createPostponementService } from "./postponements.ts";

/**
 * The committee console's meetings: the month's calendar, one meeting with its roll call, the
 * leaders' changes, the year's attendance and the minutes draft. Postponing and "held?" run
 * through the chat's own use cases, made here over the same database and messaging (they keep
 * no state, so a second instance is the same rule, not a copy of it).
 */
export function createMeetingConsoleService(deps: {
  db: Db; organizations: OrganizationService; meetings: MeetingService; attendance: AttendanceService; messaging: Messaging;
}) {
  const postponements = createPostponementService(deps);
  const meetingHeld = createMeetingHeldService(deps);
  return {
    calendar: createMeetingMonthService(deps),
    view: createMeetingViewService({ ...deps, postponements }),
    record: createMeetingRecordService({ ...deps, postponements, meetingHeld }),
    attendanceYear: createAttendanceYearService(deps),
    minutes: createMeetingMinutesService(deps),
  };
}

export type MeetingConsoleService = ReturnType<typeof createMeetingConsoleService>;
