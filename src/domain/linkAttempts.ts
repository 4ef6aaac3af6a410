/**
 * How many wrong invite codes chibo takes before it stops looking codes up. A code has 31^8
 * (about 850 billion) values; with these limits a guesser gets at most 20 tries an hour per chat,
 * and all guessers together at most 800 an hour, after which every chat waits.
 */
export const LINK_FAILURE_WINDOW_MINUTES = 15;
/** Failures of one person on one channel (channel + user id) within the window. */
export const LINK_FAILURES_PER_SENDER = 5;
/** Failures in one chat within the window. */
export const LINK_FAILURES_PER_CHAT = 5;
/** Failures of everyone on every channel within the window: past it, no code is looked up at all. */
export const LINK_FAILURES_GLOBAL = 200;

const MS_PER_MINUTE = 60_000;

/** One count of failures: at most `max` in the window, and its `max`-th newest failure, if there is one. */
export interface FailureCount {
  max: number;
  /** When the `max`-th most recent failure happened; null when there were fewer. */
  maxthNewestAt: Date | null;
}

/**
 * Until when linking waits, or null when it may go on. The window slides: a count that reached
 * its maximum lets the next try through once its `max`-th newest failure is a full window old.
 */
export function linkingBlockedUntil(counts: FailureCount[], now: Date, windowMinutes = LINK_FAILURE_WINDOW_MINUTES): Date | null {
  let until: number | null = null;
  for (const count of counts) {
    if (!count.maxthNewestAt) continue;
    const free = count.maxthNewestAt.getTime() + windowMinutes * MS_PER_MINUTE;
    if (free > now.getTime() && (until === null || free > until)) until = free;
  }
  return until === null ? null : new Date(until);
}

/** Whole minutes to wait, rounded up and at least one, as a person is told. */
export function minutesToWait(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MS_PER_MINUTE));
}
