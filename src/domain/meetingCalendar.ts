import { DomainError } from "./errors.ts";
import { isStatutoryDayOff } from "./holidays.ts";
import { addDays, addMonths, formatDisplayDate, formatIsoDate, parseIsoDate, toLocal, weekdayOf, type LocalDate } from "./localTime.ts";
import { assertValidInstant, meetingDayInMonth, meetingStartOn, validateMeetingRule, type MeetingRule } from "./schedule.ts";

/** How a locality treats a regular meeting day that is not a working day. */
export interface MeetingPolicy {
  /** Move a meeting on a Saturday, Sunday or listed holiday to the next working day. */
  shiftOffDays: boolean;
  /** Days off listed for the locality as local "YYYY-MM-DD" days; always checked, only used when shiftOffDays is set. */
  holidays: ReadonlySet<string>;
  /** Also the statutory days off of the Labour Code (holidays.ts), computed for any year. */
  statutory?: boolean;
  /** Statutory days off that are working days in this locality (a year's Tết fixed differently). */
  workingDays?: ReadonlySet<string>;
}

export const NO_SHIFT: MeetingPolicy = { shiftOffDays: false, holidays: new Set() };

/**
 * Tết, the longest run of off-days, is about nine days with its weekends; a longer run means a
 * wrong holiday list. Keeping shifts under the 28 days between two months' regular days also
 * keeps months' meetings in order, which regularMeetingAfter relies on.
 */
export const MAX_SHIFT_DAYS = 14;
export const MAX_UPCOMING_MEETINGS = 120;

export function isOffDay(day: LocalDate, holidays: ReadonlySet<string>, extra: Pick<MeetingPolicy, "statutory" | "workingDays"> = {}): boolean {
  return weekdayOf(day) >= 6 || isHoliday(formatIsoDate(day), { holidays, ...extra });
}

/** A day off of the locality beyond weekends: listed there, or statutory and not made a working day there. */
export function isHoliday(isoDate: string, policy: Pick<MeetingPolicy, "holidays" | "statutory" | "workingDays">): boolean {
  if (policy.holidays.has(isoDate)) return true;
  return policy.statutory === true && !policy.workingDays?.has(isoDate) && isStatutoryDayOff(isoDate);
}

/** The day a month's regular meeting is held, after any shift; it may fall in the next month. */
export function regularMeetingDay(rule: MeetingRule, year: number, month: number, policy: MeetingPolicy): LocalDate {
  const fixedDay = meetingDayInMonth(rule, year, month);
  if (!policy.shiftOffDays) return fixedDay;
  let day = fixedDay;
  for (let shifted = 0; isOffDay(day, policy.holidays, policy); shifted++) {
    if (shifted === MAX_SHIFT_DAYS) {
      throw new DomainError("schedule:noWorkingDay", { date: formatDisplayDate(fixedDay), maxDays: MAX_SHIFT_DAYS },
        `No working day within ${MAX_SHIFT_DAYS} days after ${formatDisplayDate(fixedDay)}; check the holiday list`);
    }
    day = addDays(day, 1);
  }
  return day;
}

/** The start of the first regular meeting, shifted by the policy, strictly after `after`. */
export function regularMeetingAfter(rule: MeetingRule, after: Date, policy: MeetingPolicy): Date {
  const checked = validateMeetingRule(rule);
  assertValidInstant(after, "after");
  checkHolidays(policy.holidays);
  return firstAfter(checked, after, policy);
}

/** The next `count` regular meetings strictly after `from`, one per month, in order. */
export function upcomingMeetings(rule: MeetingRule, from: Date, count: number, policy: MeetingPolicy): Date[] {
  const checked = validateMeetingRule(rule);
  assertValidInstant(from, "from");
  checkHolidays(policy.holidays);
  if (!Number.isInteger(count) || count < 0 || count > MAX_UPCOMING_MEETINGS) {
    throw new DomainError("schedule:invalidCount", { value: count, max: MAX_UPCOMING_MEETINGS },
      `count must be an integer from 0 to ${MAX_UPCOMING_MEETINGS}; got ${count}`);
  }
  const meetings: Date[] = [];
  let after = from;
  while (meetings.length < count) {
    after = firstAfter(checked, after, policy);
    meetings.push(after);
  }
  return meetings;
}

function firstAfter(rule: MeetingRule, after: Date, policy: MeetingPolicy): Date {
  const local = toLocal(after);
  const startIn = (delta: number): Date => {
    const { year, month } = addMonths(local.year, local.month, delta);
    return meetingStartOn(rule, regularMeetingDay(rule, year, month, policy));
  };
  // A shift can carry last month's meeting into this month, still ahead of `after` (the 31st on
  // a Saturday meets on the 2nd). Shifts keep months in order, so the first later one is next.
  for (const delta of [-1, 0]) {
    const start = startIn(delta);
    if (start.getTime() > after.getTime()) return start;
  }
  // Next month's meeting is on a later local day than `after`, so it is always later.
  return startIn(1);
}

function checkHolidays(holidays: ReadonlySet<string>): void {
  for (const holiday of holidays) {
    // A misspelt or padded holiday would silently never match, so refuse it instead.
    const day = parseIsoDate(holiday);
    if (day === null || formatIsoDate(day) !== holiday) {
      throw new DomainError("schedule:invalidHoliday", { value: JSON.stringify(holiday) },
        `Holidays must be real days written "YYYY-MM-DD"; got ${JSON.stringify(holiday)}`);
    }
  }
}
