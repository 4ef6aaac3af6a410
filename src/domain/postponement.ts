import { DomainError } from "./errors.ts";
import { addDays, daysBetween, formatDisplayDate, formatDisplayDateTime, localDateOf, type LocalDate } from "./localTime.ts";
import { assertValidInstant } from "./schedule.ts";
import { cleanText } from "./text.ts";

/** Tứ Kỳ allowed a meeting no more than 2 days after its fixed day; any organization may set its own for its subtree. */
export const DEFAULT_MAX_POSTPONE_DAYS = 2;
export const MAX_POSTPONE_DAYS_LIMIT = 31;
export const MAX_REASON_LENGTH = 500;

export interface PostponementRequest {
  /** The regular start the rule gives, after any weekend/holiday shift. */
  regularStart: Date;
  newStart: Date;
  reason: string;
  /** The limit that applies to the cell, counted in local calendar days after the regular day. */
  maxDays: number;
  now: Date;
}

export interface Postponement {
  newStart: Date;
  /** Trimmed and in NFC, the form we store. */
  reason: string;
}

/**
 * The last local day a meeting may be moved to. Counted in calendar days, not hours: a meeting
 * fixed on the 7th at 19:30 with 2 days allowed may start any time on the 9th.
 */
export function latestAllowedDay(regularStart: Date, maxDays: number): LocalDate {
  assertValidInstant(regularStart, "regularStart");
  checkMaxDays(maxDays);
  return addDays(localDateOf(regularStart), maxDays);
}

/** Accepts a move of a meeting to a later start, or throws saying why it is refused. */
export function checkPostponement(input: PostponementRequest): Postponement {
  const { regularStart, newStart, maxDays, now } = input;
  checkMaxDays(maxDays);
  assertValidInstant(regularStart, "regularStart");
  assertValidInstant(newStart, "newStart");
  assertValidInstant(now, "now");
  const reason = checkReason(input.reason);

  const shown = { regularStart: formatDisplayDateTime(regularStart), newStart: formatDisplayDateTime(newStart) };
  if (newStart.getTime() <= regularStart.getTime()) {
    throw new DomainError("schedule:postponeNotLater", shown,
      `The new start ${shown.newStart} must be later than the regular start ${shown.regularStart}`);
  }
  const latestDay = latestAllowedDay(regularStart, maxDays);
  if (daysBetween(latestDay, localDateOf(newStart)) > 0) {
    const params = {
      ...shown,
      maxDays,
      regularDate: formatDisplayDate(localDateOf(regularStart)),
      latestDate: formatDisplayDate(latestDay),
    };
    throw new DomainError("schedule:postponeTooLate", params,
      `A meeting may move at most ${maxDays} days after its regular day ${params.regularDate}; ` +
        `the latest day is ${params.latestDate}, got ${shown.newStart}`);
  }
  if (newStart.getTime() < now.getTime()) {
    const params = { newStart: shown.newStart, now: formatDisplayDateTime(now) };
    throw new DomainError("schedule:postponeInPast", params,
      `The new start ${params.newStart} is already past (now ${params.now})`);
  }
  return { newStart: new Date(newStart.getTime()), reason };
}

function checkReason(text: string): string {
  // Callers outside TypeScript (CLI, JSON) may pass nothing at all: that is a missing reason too.
  const reason = typeof text === "string" ? cleanText(text) : "";
  if (reason === "") {
    throw new DomainError("schedule:postponeReasonRequired", {}, "A postponement needs a reason");
  }
  // Counted in code points so an emoji counts as one character, as the writer sees it.
  const length = [...reason].length;
  if (length > MAX_REASON_LENGTH) {
    throw new DomainError("schedule:postponeReasonTooLong", { length, maxLength: MAX_REASON_LENGTH },
      `A postponement reason may be at most ${MAX_REASON_LENGTH} characters; got ${length}`);
  }
  return reason;
}

function checkMaxDays(maxDays: number): void {
  if (!Number.isInteger(maxDays) || maxDays < 0 || maxDays > MAX_POSTPONE_DAYS_LIMIT) {
    throw new DomainError("schedule:invalidMaxPostponeDays", { value: maxDays, max: MAX_POSTPONE_DAYS_LIMIT },
      `The postponement limit must be an integer from 0 to ${MAX_POSTPONE_DAYS_LIMIT} days; got ${maxDays}`);
  }
}
