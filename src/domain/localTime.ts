/**
 * Local calendar arithmetic for Asia/Ho_Chi_Minh. Vietnam keeps UTC+7 all year with no daylight
 * saving (none since 1975), so a fixed offset is exact and needs no time-zone database.
 */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const UTC_OFFSET_MINUTES = 7 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** A local calendar day. month is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

/** The local date and time in Vietnam of an instant. */
export function toLocal(instant: Date): LocalDateTime & { weekday: number } {
  const shifted = new Date(instant.getTime() + UTC_OFFSET_MINUTES * MS_PER_MINUTE);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: isoWeekday(shifted.getUTCDay()),
  };
}

/** The instant of a local date and time in Vietnam. */
export function fromLocal(at: LocalDateTime): Date {
  const utc = Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute);
  return new Date(utc - UTC_OFFSET_MINUTES * MS_PER_MINUTE);
}

/** 1 = Monday … 7 = Sunday, from JavaScript's 0 = Sunday. */
export function isoWeekday(jsDay: number): number {
  return jsDay === 0 ? 7 : jsDay;
}

export function weekdayOf(date: LocalDate): number {
  return isoWeekday(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay());
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / MS_PER_DAY,
  );
}

/** "YYYY-MM-DD" */
export function formatIsoDate(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** Parses "YYYY-MM-DD" into a real calendar day, or null. */
export function parseIsoDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(date) ? date : null;
}

export function isRealDate(date: LocalDate): boolean {
  return (
    Number.isInteger(date.year) &&
    date.year >= 1900 &&
    date.year <= 2200 &&
    date.month >= 1 &&
    date.month <= 12 &&
    date.day >= 1 &&
    date.day <= daysInMonth(date.year, date.month)
  );
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The month `months` after (or before, when negative) a given month, across year ends. */
export function addMonths(year: number, month: number, months: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The local calendar day of an instant, without the time of day. */
export function localDateOf(instant: Date): LocalDate {
  const { year, month, day } = toLocal(instant);
  return { year, month, day };
}

/** "DD/MM/YYYY", the way dates are written in Vietnam. */
export function formatDisplayDate(date: LocalDate): string {
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}

/** "DD/MM/YYYY HH:MM" in local time, for messages that name an instant. */
export function formatDisplayDateTime(instant: Date): string {
  const local = toLocal(instant);
  return `${formatDisplayDate(local)} ${pad(local.hour)}:${pad(local.minute)}`;
}
