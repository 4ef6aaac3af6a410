import { rollCallClosesAt, rollCallPhase } from "../domain/attendance.ts";
import { leadsCell, type MemberRoles } from "../domain/authorization.ts";
import { NotAllowedError } from "../domain/errors.ts";
import { localDateOf, type LocalDate } from "../domain/localTime.ts";
import { latestAllowedDay } from "../domain/postponement.ts";
import type { Db } from "../storage/database.ts";
import { startOf, type AttendanceService } from "./attendance.ts";
import type { MeetingService } from "./meetings.ts";

/** What became of a leader's answer to "was the meeting held?". */
export type HeldOutcome =
  | { kind: "alreadyHeld" }
  | { kind: "notStarted" }
  /** Marked held; `correctableUntil` while its roll call can still be corrected. */
  | { kind: "held"; correctableUntil: Date | null }
  /** Not held, and it may still be moved (/doilich) to a day up to `latestDay`. */
  | { kind: "postponeOpen"; latestDay: LocalDate }
  /** Not held, and the days it could have moved to are past (the last was `latestDay`). */
  | { kind: "postponeClosed"; latestDay: LocalDate };

/**
 * After a meeting its leaders say whether it was held. "Held" marks it (heldAt: the start it had);
 * "not held" says whether it can still be postponed.
 */
export function createMeetingHeldService(deps: { db: Db; meetings: MeetingService; attendance: AttendanceService }) {
  const { db, meetings, attendance } = deps;

  /** Only a secretary or deputy of the meeting's cell may answer for it. */
  async function answer(input: { meetingId: number; held: boolean; roles: MemberRoles; now: Date }) {
    const { now } = input;
    const meeting = await attendance.meetingById(input.meetingId);
    if (!leadsCell(input.roles, meeting.cellId)) throw new NotAllowedError();
    const startsAt = startOf(meeting);
    const done = (outcome: HeldOutcome) => ({ meeting, startsAt, outcome });
    if (meeting.status === "held") return done({ kind: "alreadyHeld" });
    if (input.held) {
      if (now.getTime() < startsAt.getTime()) return done({ kind: "notStarted" });
      // Only the first answer marks it: a second leader answering at once is told it is done.
      const marked = await db.meeting.updateMany({ where: { id: meeting.id, status: { not: "held" } }, data: { status: "held", heldAt: startsAt } });
      if (marked.count === 0) return done({ kind: "alreadyHeld" });
      return done({ kind: "held", correctableUntil: rollCallPhase(startsAt, now) === "correcting" ? rollCallClosesAt(startsAt) : null });
    }
    const open = await meetings.postponable(meeting.cell.code, now);
    const last = open.choices.at(-1);
    if (open.regularStart.getTime() === meeting.scheduledAt.getTime() && last) return done({ kind: "postponeOpen", latestDay: localDateOf(last) });
    return done({ kind: "postponeClosed", latestDay: latestAllowedDay(meeting.scheduledAt, open.maxPostponeDays) });
  }

  return { answer };
}

export type MeetingHeldService = ReturnType<typeof createMeetingHeldService>;
