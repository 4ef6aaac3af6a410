import type { Attendance } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import type { AttendanceService } from "./attendance.ts";
import type { MeetingService, UpcomingMeeting } from "./meetings.ts";

/** A member's own answer to a meeting, with the meeting's id to answer it by. */
export interface AnswerToMeeting {
  meetingId: number;
  answer: Attendance | null;
}

/** What /lich and any page of a cell's calendar show: the next meeting, as it was moved or set. */
export function createScheduleService(deps: { db: Db; meetings: MeetingService; attendance: AttendanceService }) {
  const { db, meetings, attendance } = deps;

  /**
   * The cell's next meeting (null when it has no rule); with `memberId`, also that member's
   * answer to it (the meeting is then stored, so the answer buttons can point at it).
   */
  async function nextMeeting(input: { cellId: number; memberId?: number; now: Date }): Promise<{ cell: { id: number; name: string }; next: UpcomingMeeting | null; mine: AnswerToMeeting | null }> {
    const cell = await db.organization.findUniqueOrThrow({ where: { id: input.cellId } });
    const { meetings: upcoming } = await meetings.upcoming(cell.code, { from: input.now, count: 1 });
    const next = upcoming[0] ?? null;
    if (!next || input.memberId === undefined) return { cell, next, mine: null };
    const ahead = await attendance.nextMeeting(cell, input.now);
    if (!ahead) return { cell, next, mine: null };
    return { cell, next, mine: { meetingId: ahead.meeting.id, answer: await attendance.answerOf(ahead.meeting.id, input.memberId) } };
  }

  return { nextMeeting };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
