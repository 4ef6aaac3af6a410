/**
 * Vietnamese public holidays: the lunar dates (Tết, Giỗ Tổ Hùng Vương) and the statutory days off
 * of the Labour Code 2019, art. 112.
 *
 * The lunar calendar follows Hồ Ngọc Đức's astronomical algorithm (new moons and sun longitude
 * after Jean Meeus) for UTC+7. The Chinese calendar uses the same rules for UTC+8, so in a few years
 * (e.g. 1985, 2007) Tết differs: a new moon or a solar term close to midnight lands on another day.
 * The approximations are good to minutes, enough for day precision over 1900–2199, the range the
 * published tables we test against cover.
 */
import { addDays, daysBetween, formatIsoDate, parseIsoDate, weekdayOf, type LocalDate } from "./localTime.ts";

export type HolidayKey = "new_year" | "tet" | "hung_kings" | "reunification" | "labour_day" | "national_day";

/** A day off; a compensating day carries the key of the holiday it makes up for. */
export type StatutoryHoliday = { date: string; key: HolidayKey; compensating?: boolean };

const MIN_LUNAR_YEAR = 1900;
const MAX_LUNAR_YEAR = 2199;

const TIME_ZONE_HOURS = 7;
const UNIX_EPOCH: LocalDate = { year: 1970, month: 1, day: 1 };
const UNIX_EPOCH_JULIAN_DAY = 2440588;
/** Mean length of a synodic month, and the Julian day of the new moon counted as k = 0 (1900-01-01). */
const SYNODIC_MONTH = 29.530588853;
const NEW_MOON_EPOCH = 2415021.076998695;
const DEGREE = Math.PI / 180;

/** Julian day number of a Gregorian day (noon-based, as an integer). */
function julianDay(date: LocalDate): number {
  return UNIX_EPOCH_JULIAN_DAY + daysBetween(UNIX_EPOCH, date);
}

function dateOfJulianDay(jd: number): LocalDate {
  return addDays(UNIX_EPOCH, jd - UNIX_EPOCH_JULIAN_DAY);
}

/** Julian day (UT, fractional) of the k-th new moon after 1900-01-01 (Meeus, "Astronomical Formulae for Calculators"). */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    + 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEGREE);
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEGREE;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEGREE;
  const latitude = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEGREE;
  const correction = (0.1734 - 0.000393 * t) * Math.sin(sunAnomaly) + 0.0021 * Math.sin(2 * sunAnomaly)
    - 0.4068 * Math.sin(moonAnomaly) + 0.0161 * Math.sin(2 * moonAnomaly) - 0.0004 * Math.sin(3 * moonAnomaly)
    + 0.0104 * Math.sin(2 * latitude) - 0.0051 * Math.sin(sunAnomaly + moonAnomaly)
    - 0.0074 * Math.sin(sunAnomaly - moonAnomaly) + 0.0004 * Math.sin(2 * latitude + sunAnomaly)
    - 0.0004 * Math.sin(2 * latitude - sunAnomaly) - 0.0006 * Math.sin(2 * latitude + moonAnomaly)
    + 0.001 * Math.sin(2 * latitude - moonAnomaly) + 0.0005 * Math.sin(2 * moonAnomaly + sunAnomaly);
  // The formulae give dynamical time; ΔT brings it to universal time. Hồ Ngọc Đức's own ΔT
  // polynomial runs low (21 s in 2000 against 64 s observed, 4 min in 2199 against 7), which puts
  // the new moon of Tết 2199, 2 minutes before midnight, on the wrong day; the Espenak–Meeus
  // long-term parabola keeps every year 1900–2199 in line with the published tables.
  const centuriesFrom1820 = t + 0.8;
  const deltaT = (-20 + 32 * centuriesFrom1820 * centuriesFrom1820) / 86400;
  return mean + correction - deltaT;
}

/** The sun's ecliptic longitude (low precision, no nutation) in radians, [0, 2π), at Julian day `jd`. */
function sunLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525;
  const t2 = t * t;
  const anomaly = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEGREE;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  const center = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(anomaly)
    + (0.019993 - 0.000101 * t) * Math.sin(2 * anomaly) + 0.00029 * Math.sin(3 * anomaly);
  const longitude = (meanLongitude + center) * DEGREE;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

/** The local day (Julian day number) on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return Math.floor(newMoon(k) + 0.5 + TIME_ZONE_HOURS / 24);
}

/** Which 30° sector (0–11, 0 = spring equinox) the sun is in at local midnight starting a day. */
function sunSector(day: number): number {
  return Math.floor((sunLongitude(day - 0.5 - TIME_ZONE_HOURS / 24) / Math.PI) * 6);
}

/** First day of lunar month 11, the month holding the winter solstice, that starts in `year`. */
function month11Start(year: number): number {
  const k = Math.floor((julianDay({ year, month: 12, day: 31 }) - 2415021) / SYNODIC_MONTH);
  const start = newMoonDay(k);
  // Sector 9 begins at the solstice (270°): a month starting past it is month 12 already.
  return sunSector(start) >= 9 ? newMoonDay(k - 1) : start;
}

/** Offset (from month 11) of the leap month: the first month without a major solar term. */
function leapMonthOffset(month11: number): number {
  const k = Math.floor((month11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let offset = 1;
  let sector = sunSector(newMoonDay(k + offset));
  let previous: number;
  do {
    previous = sector;
    offset++;
    sector = sunSector(newMoonDay(k + offset));
  } while (sector !== previous && offset < 14);
  return offset - 1;
}

/** Julian day of a day in a regular (non-leap) lunar month 1–10 of a lunar year. */
function lunarDay(day: number, month: number, lunarYear: number): number {
  if (!Number.isInteger(lunarYear) || lunarYear < MIN_LUNAR_YEAR || lunarYear > MAX_LUNAR_YEAR) {
    throw new RangeError(`Lunar dates are computed for ${MIN_LUNAR_YEAR}–${MAX_LUNAR_YEAR}; got ${lunarYear}`);
  }
  const month11 = month11Start(lunarYear - 1);
  const nextMonth11 = month11Start(lunarYear);
  const k = Math.floor((month11 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5);
  let offset = month + 1; // months 12, 1, 2, … follow month 11
  // Thirteen new moons between two months 11 make a leap year; months from the leap one on shift by one.
  if (nextMonth11 - month11 > 365 && offset >= leapMonthOffset(month11)) offset += 1;
  return newMoonDay(k + offset) + day - 1;
}

/** Mùng 1 Tết of the lunar year that begins in Gregorian `year`, Vietnamese calendar, "YYYY-MM-DD". */
export function lunarNewYear(year: number): string {
  return isoOfJulianDay(lunarDay(1, 1, year));
}

/** Giỗ Tổ Hùng Vương: 10th day of the regular 3rd lunar month of the lunar year beginning in `year`. */
export function hungKingsDay(year: number): string {
  return isoOfJulianDay(lunarDay(10, 3, year));
}

/**
 * Default days off for Gregorian `year` under art. 112: the government fixes the Tết days and the day
 * next to 2 September each year (operators edit them elsewhere); these are the usual choices.
 * A holiday on a Saturday or Sunday (public-sector rest days) gets a compensating day on the next
 * Monday–Friday that is neither a holiday nor already a compensating day.
 */
export function statutoryDaysOff(year: number): StatutoryHoliday[] {
  const tet = julianDay(parseDay(lunarNewYear(year)));
  if (dateOfJulianDay(tet - 1).year !== year || dateOfJulianDay(tet + 3).year !== year) {
    throw new Error(`Tết ${year} computed outside its Gregorian year`);
  }
  const holidays: [number, HolidayKey][] = [
    [julianDay({ year, month: 1, day: 1 }), "new_year"],
    // Eve (last day of the old year) plus mùng 1–4; Tết falls 21 Jan–20 Feb, so all five stay in `year`.
    ...[-1, 0, 1, 2, 3].map((offset): [number, HolidayKey] => [tet + offset, "tet"]),
    [julianDay(parseDay(hungKingsDay(year))), "hung_kings"],
    [julianDay({ year, month: 4, day: 30 }), "reunification"],
    [julianDay({ year, month: 5, day: 1 }), "labour_day"],
    [julianDay({ year, month: 9, day: 1 }), "national_day"],
    [julianDay({ year, month: 9, day: 2 }), "national_day"],
  ];
  const byDay = new Map<number, StatutoryHoliday>();
  const owed: [number, HolidayKey][] = [];
  for (const [day, key] of holidays) {
    // A holiday is lost, and owed back, on a rest day or on a day another holiday already takes
    // (Hùng Kings' day can fall on 30 April, as in 1947).
    if (isWeekend(day) || byDay.has(day)) owed.push([day, key]);
    if (!byDay.has(day)) byDay.set(day, { date: isoOfJulianDay(day), key });
  }
  owed.sort(([a], [b]) => a - b);
  for (const [lost, key] of owed) {
    let day = lost + 1;
    while (isWeekend(day) || byDay.has(day)) day++;
    byDay.set(day, { date: isoOfJulianDay(day), key, compensating: true });
  }
  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([, holiday]) => holiday);
}

const daysOffByYear = new Map<number, ReadonlySet<string>>();

/** Whether a "YYYY-MM-DD" day is a default statutory day off (holiday or compensating day). */
export function isStatutoryDayOff(isoDate: string): boolean {
  const date = parseDay(isoDate);
  let days = daysOffByYear.get(date.year);
  if (!days) {
    days = new Set(statutoryDaysOff(date.year).map((holiday) => holiday.date));
    daysOffByYear.set(date.year, days);
  }
  return days.has(formatIsoDate(date));
}

/** Saturday or Sunday, the weekly rest days of the public sector. */
function isWeekend(jd: number): boolean {
  return weekdayOf(dateOfJulianDay(jd)) >= 6;
}

function isoOfJulianDay(jd: number): string {
  return formatIsoDate(dateOfJulianDay(jd));
}

function parseDay(isoDate: string): LocalDate {
  const date = parseIsoDate(isoDate);
  if (!date) throw new RangeError(`Not a calendar day "YYYY-MM-DD": ${isoDate}`);
  return date;
}
