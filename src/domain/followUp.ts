import { rollCallClosesAt } from "./attendance.ts";
import { isExemptOn, type Exemption } from "./exemption.ts";
import { addDays, addMonths, daysInMonth, formatIsoDate, fromLocal, localDateOf, parseIsoDate, type LocalDate } from "./localTime.ts";

/**
 * What happens after a cell meeting: which absences count against a member, and when a
 * probationary member's 12 months end. Pure rules; the scheduled jobs read the database.
 */

/** The same local day a number of months earlier or later; the 31st becomes the month's last day. */
export function shiftMonths(day: LocalDate, months: number): LocalDate {
  const { year, month } = addMonths(day.year, day.month, months);
  return { year, month, day: Math.min(day.day, daysInMonth(year, month)) };
}

/** Why an absence counts: the member said absent and gave no reason, or never answered. */
export type UnexcusedKind = "noReason" | "noAnswer";

export interface HeldMeetingFacts {
  meetingId: number;
  /** The start it really had (the postponed one when it was moved). */
  startsAt: Date;
  /** The member's answer to this meeting, if any. */
  answer: { answer: string; reason: string | null } | null;
}

export interface UnexcusedAbsence {
  meetingId: number;
  startsAt: Date;
  kind: UnexcusedKind;
}

/**
 * A member's unexcused absences (vắng không có lý do) within the 12 months up to `now`.
 *
 * Counted only for meetings the secretary marked held (the caller passes only those), that started
 * after the same local day and time a year before `now` and whose roll call is final by `now`
 * (ROLL_CALL_CORRECTION_DAYS after the start: until then the officers may still record who came),
 * on days the
 * member was not exempt (miễn / tạm miễn) and not before the member was admitted (when known).
 * Such a meeting counts when the member answered "absent" without a reason (blank counts as none)
 * or never answered at all; "present", and "absent" with any reason, do not count.
 */
export function unexcusedAbsences(
  member: Pick<Exemption, "exemptionFrom" | "exemptionUntil"> & { exemption: string; admittedOn: string | null },
  meetings: HeldMeetingFacts[],
  now: Date,
): UnexcusedAbsence[] {
  const since = yearBefore(now);
  const admitted = member.admittedOn ? parseIsoDate(member.admittedOn) : null;
  const absences: UnexcusedAbsence[] = [];
  for (const meeting of meetings) {
    if (meeting.startsAt.getTime() <= since.getTime() || rollCallClosesAt(meeting.startsAt).getTime() > now.getTime()) continue;
    const day = localDateOf(meeting.startsAt);
    if (admitted && formatIsoDate(day) < formatIsoDate(admitted)) continue;
    if (isExemptOn(member, day)) continue;
    const answer = meeting.answer;
    if (!answer) absences.push({ meetingId: meeting.meetingId, startsAt: meeting.startsAt, kind: "noAnswer" });
    else if (answer.answer === "absent" && !answer.reason?.trim()) absences.push({ meetingId: meeting.meetingId, startsAt: meeting.startsAt, kind: "noReason" });
  }
  return absences.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.meetingId - b.meetingId);
}

/** The same local day and time one year before an instant (29 Feb → 28 Feb). */
export function yearBefore(now: Date): Date {
  const local = localDateOf(now);
  const day = shiftMonths(local, -12);
  const shift = now.getTime() - fromLocal({ ...local, hour: 0, minute: 0 }).getTime();
  return new Date(fromLocal({ ...day, hour: 0, minute: 0 }).getTime() + shift);
}

/** The day a probationary member admitted on `admittedOn` completes 12 months (null: no valid date). */
export function probationEnds(admittedOn: string | null): LocalDate | null {
  const admitted = admittedOn ? parseIsoDate(admittedOn) : null;
  return admitted ? shiftMonths(admitted, 12) : null;
}

/**
 * Whether the secretary should be reminded today about this member: a probationary member (with no
 * full-membership date yet) whose 12 months end within `noticeDays` days from today, end day
 * included. A member chibo learns about late (imported with 10 days left) is still reminded.
 */
export function probationNoticeDue(
  member: { status: string; admittedOn: string | null; fullMembershipOn: string | null },
  today: LocalDate,
  noticeDays: number,
): { ends: LocalDate } | null {
  if (member.status !== "probationary" || member.fullMembershipOn) return null;
  const ends = probationEnds(member.admittedOn);
  if (!ends) return null;
  const from = formatIsoDate(addDays(ends, -noticeDays));
  const iso = formatIsoDate(today);
  return from <= iso && iso <= formatIsoDate(ends) ? { ends } : null;
}
