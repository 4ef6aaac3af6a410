import { addDays, fromLocal, toLocal } from "./localTime.ts";

/**
 * The hours of the night when chibo writes to members only what cannot wait (a meeting moved to
 * another day); anything else is held until they end. Vietnam local times "HH:MM": `from` is
 * quiet, `to` is not; a period across midnight (21:30–06:30) ends the next morning.
 */
export interface QuietHours {
  from: string;
  to: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: "21:30", to: "06:30" };

const MINUTES_PER_HOUR = 60;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * MINUTES_PER_HOUR + Number(time.slice(3, 5));

/** The end of the quiet period `now` falls in, or null when `now` is not in one (or there are none). */
export function quietUntil(now: Date, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return null;
  const local = toLocal(now);
  const minute = local.hour * MINUTES_PER_HOUR + local.minute;
  const acrossMidnight = from > to;
  const quietNow = acrossMidnight ? minute >= from || minute < to : minute >= from && minute < to;
  if (!quietNow) return null;
  // Late in the evening of a night period, the quiet ends tomorrow; otherwise today.
  const endDay = acrossMidnight && minute >= from ? addDays(local, 1) : local;
  return fromLocal({ year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(to / MINUTES_PER_HOUR), minute: to % MINUTES_PER_HOUR });
}
