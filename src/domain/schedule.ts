import { DomainError } from "./errors.ts";
import { addMonths, daysInMonth, fromLocal, isRealDate, toLocal, weekdayOf, type LocalDate } from "./localTime.ts";

/**
 * A cell's regular monthly meeting, read in Asia/Ho_Chi_Minh. Rules are data because localities
 * differ: Tứ Kỳ meets on the 7th, its school cells on the first Thursday, others on the 1st.
 * weekday is 1 = Monday … 7 = Sunday; nth is 1–4, or -1 for the last such weekday.
 */
export type MeetingRule =
  | { dayOfMonth: number; time: string }
  | { weekday: number; nth: number; time: string };

const LAST = -1;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Checks a rule from outside (CLI, database row) and returns a copy holding only its fields. */
export function validateMeetingRule(rule: unknown): MeetingRule {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) {
    const value = describeValue(rule);
    throw new DomainError("schedule:invalidRule", { value },
      `A meeting rule must be an object with dayOfMonth, or weekday and nth, and a time; got ${value}`);
  }
  const fields = rule as Record<string, unknown>;
  // Database rows carry null for the other kind's columns, so null counts as absent.
  const byDay = isPresent(fields.dayOfMonth);
  const byWeekday = isPresent(fields.weekday) || isPresent(fields.nth);
  if (byDay && byWeekday) {
    throw new DomainError("schedule:ruleKindAmbiguous", {},
      "A meeting rule must give either dayOfMonth or weekday with nth, not both");
  }
  if (!byDay && !byWeekday) {
    throw new DomainError("schedule:ruleKindMissing", {},
      "A meeting rule must give either dayOfMonth or weekday with nth");
  }
  if (byDay) {
    const dayOfMonth = checkInteger(fields.dayOfMonth, "dayOfMonth", (n) => n >= 1 && n <= 31,
      "schedule:invalidDayOfMonth", "an integer from 1 to 31");
    return { dayOfMonth, time: checkTime(fields.time) };
  }
  const weekday = checkInteger(fields.weekday, "weekday", (n) => n >= 1 && n <= 7,
    "schedule:invalidWeekday", "an integer from 1 (Monday) to 7 (Sunday)");
  const nth = checkInteger(fields.nth, "nth", (n) => (n >= 1 && n <= 4) || n === LAST,
    "schedule:invalidNth", "1, 2, 3, 4, or -1 for the last");
  return { weekday, nth, time: checkTime(fields.time) };
}

/**
 * The local day of a month the rule falls on, before any weekend or holiday shift. A dayOfMonth
 * past the month's end means its last day, so "the 31st" still meets in February.
 */
export function meetingDayInMonth(rule: MeetingRule, year: number, month: number): LocalDate {
  const checked = validateMeetingRule(rule);
  if (!isRealDate({ year, month, day: 1 })) throw new RangeError(`No such month: ${year}-${month}`);
  if ("dayOfMonth" in checked) {
    return { year, month, day: Math.min(checked.dayOfMonth, daysInMonth(year, month)) };
  }
  if (checked.nth === LAST) {
    const lastDay = daysInMonth(year, month);
    const back = (weekdayOf({ year, month, day: lastDay }) - checked.weekday + 7) % 7;
    return { year, month, day: lastDay - back };
  }
  // "The first Thursday" is the first Thursday inside the month, not of the week holding the 1st.
  const ahead = (checked.weekday - weekdayOf({ year, month, day: 1 }) + 7) % 7;
  return { year, month, day: 1 + ahead + (checked.nth - 1) * 7 };
}

/** The instant a meeting under `rule` starts on a given local day. */
export function meetingStartOn(rule: MeetingRule, day: LocalDate): Date {
  const match = TIME_PATTERN.exec(rule.time);
  if (!match) throw invalidTime(rule.time);
  return fromLocal({ ...day, hour: Number(match[1]), minute: Number(match[2]) });
}

/** The start of the first regular meeting strictly after `after`. */
export function nextMeeting(rule: MeetingRule, after: Date): Date {
  const checked = validateMeetingRule(rule);
  assertValidInstant(after, "after");
  const local = toLocal(after);
  const thisMonth = meetingStartOn(checked, meetingDayInMonth(checked, local.year, local.month));
  if (thisMonth.getTime() > after.getTime()) return thisMonth;
  // Next month's meeting falls on a later local day than `after`, so it is always later.
  const next = addMonths(local.year, local.month, 1);
  return meetingStartOn(checked, meetingDayInMonth(checked, next.year, next.month));
}

export function assertValidInstant(instant: Date, field: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new DomainError("schedule:invalidInstant", { field }, `${field} must be a valid Date`);
  }
}

/** Shows a bad value as it was given: strings quoted, so "7" and 7 read differently. */
export function describeValue(value: unknown): string | number {
  if (typeof value === "number") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function checkInteger(value: unknown, field: string, inRange: (n: number) => boolean,
  code: string, expected: string): number {
  if (!isPresent(value)) throw missingField(field);
  if (typeof value === "number" && Number.isInteger(value) && inRange(value)) return value;
  const shown = describeValue(value);
  throw new DomainError(code, { value: shown }, `${field} must be ${expected}; got ${shown}`);
}

function checkTime(value: unknown): string {
  if (!isPresent(value)) throw missingField("time");
  if (typeof value === "string" && TIME_PATTERN.test(value)) return value;
  throw invalidTime(value);
}

function invalidTime(value: unknown): DomainError {
  const shown = describeValue(value);
  return new DomainError("schedule:invalidTime", { value: shown },
    `time must be "HH:MM" from 00:00 to 23:59; got ${shown}`);
}

function missingField(field: string): DomainError {
  return new DomainError("schedule:ruleFieldMissing", { field }, `A meeting rule is missing ${field}`);
}
