/*
 * Expected lunar dates come from two published tables, not from src/domain/holidays.ts:
 *  - 1901–2100: python-holidays, repository vacanza/holidays, file holidays/calendars/chinese.py
 *    (LUNAR_NEW_YEAR_DATES and HUNG_KINGS_DATES with the VIETNAMESE_CALENDAR_* overrides, UTC+7).
 *  - 1900 and 2101–2199: Hồ Ngọc Đức's precomputed year table (TK20 and TK22 in amlich-hnd.js,
 *    © 2004 Hồ Ngọc Đức, as mirrored in repository jdavid54/amlich), decoded by hand from its
 *    documented bit layout: Tết = 1 January + (code >> 17) days; month lengths and leap month in
 *    the low bits.
 * The two tables agree with each other for 1966–2100. Before 1966 Hồ Ngọc Đức's table follows the
 * UTC+8 calendar Vietnam then used (e.g. Tết 1903, 1935, 1965 one day later); our contract is UTC+7
 * for every year, so python-holidays' UTC+7 values are the reference there.
 * Known dates cross-checked by hand: Tết 2020-01-25, 2023-01-22, 2024-02-10, 2025-01-29,
 * 2026-02-17, 2027-02-06; Hùng Kings 2023-04-29, 2024-04-18, 2025-04-07, 2026-04-26.
 */
import { describe, expect, it } from "vitest";
import { hungKingsDay, isStatutoryDayOff, lunarNewYear, statutoryDaysOff } from "../../src/domain/holidays.ts";

const TET: Record<number, string> = {
  1900: "1900-01-31", 1903: "1903-01-28", 1916: "1916-02-03", 1920: "1920-02-20", 1935: "1935-02-03",
  1944: "1944-01-25", 1954: "1954-02-03", 1958: "1958-02-18", 1965: "1965-02-01", 1966: "1966-01-21",
  1968: "1968-01-29", 1969: "1969-02-16", 1975: "1975-02-11", 1985: "1985-01-21", 1997: "1997-02-07",
  2000: "2000-02-05", 2007: "2007-02-17", 2012: "2012-01-23", 2017: "2017-01-28", 2020: "2020-01-25",
  2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06",
  2030: "2030-02-02", 2053: "2053-02-18", 2061: "2061-01-21", 2089: "2089-02-10", 2099: "2099-01-21",
  2100: "2100-02-09", 2101: "2101-01-29", 2110: "2110-02-19", 2125: "2125-02-03", 2131: "2131-01-29",
  2150: "2150-01-29", 2164: "2164-01-24", 2175: "2175-01-22", 2188: "2188-01-28", 2199: "2199-01-26",
};

// Includes years with a leap month 1, 2 or 3 (1909, 1917, 1947, 1966, 1985, 2023, 2031, 2148, ...).
const HUNG_KINGS: Record<number, string> = {
  1909: "1909-04-29", 1916: "1916-04-11", 1917: "1917-04-01", 1939: "1939-04-28", 1947: "1947-04-30",
  1966: "1966-03-31", 1975: "1975-04-20", 1985: "1985-04-29", 2004: "2004-04-28", 2007: "2007-04-26",
  2009: "2009-04-04", 2012: "2012-03-31", 2020: "2020-04-02", 2023: "2023-04-29", 2024: "2024-04-18",
  2025: "2025-04-07", 2026: "2026-04-26", 2027: "2027-04-16", 2031: "2031-04-01", 2037: "2037-04-24",
  2038: "2038-04-13", 2061: "2061-03-31", 2080: "2080-03-30", 2085: "2085-04-03", 2095: "2095-04-13",
  2099: "2099-04-29", 2100: "2100-04-18", 2118: "2118-03-31", 2137: "2137-04-29", 2148: "2148-04-27",
  2150: "2150-04-07", 2175: "2175-03-31", 2186: "2186-04-28", 2199: "2199-04-05",
};

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe("lunarNewYear", () => {
  it.each(Object.entries(TET))("puts Tết %s on %s", (year, expected) => {
    expect(lunarNewYear(Number(year))).toBe(expected);
  });

  it("follows the Vietnamese (UTC+7) calendar where it differs from the Chinese one", () => {
    expect(lunarNewYear(1985)).toBe("1985-01-21"); // China: 1985-02-20
    expect(lunarNewYear(2007)).toBe("2007-02-17"); // China: 2007-02-18
    expect(lunarNewYear(1968)).toBe("1968-01-29"); // China (and South Vietnam then): 1968-01-30
  });

  it("falls between 21 January and 20 February in every year 1900–2199", () => {
    for (let year = 1900; year <= 2199; year++) {
      const tet = lunarNewYear(year);
      expect(tet.slice(0, 4), `${year}`).toBe(String(year));
      expect(tet.slice(5) >= "01-21" && tet.slice(5) <= "02-20", `${year}: ${tet}`).toBe(true);
    }
  });

  it("refuses years outside 1900–2199 and non-integers", () => {
    expect(() => lunarNewYear(1899)).toThrow(RangeError);
    expect(() => lunarNewYear(2200)).toThrow(RangeError);
    expect(() => lunarNewYear(2024.5)).toThrow(RangeError);
  });
});

describe("hungKingsDay", () => {
  it.each(Object.entries(HUNG_KINGS))("puts Giỗ Tổ Hùng Vương %s on %s", (year, expected) => {
    expect(hungKingsDay(Number(year))).toBe(expected);
  });

  it("is the 10th day of the regular 3rd month: 68–69 days after Tết, a month more after a leap 1st or 2nd month", () => {
    for (let year = 1900; year <= 2199; year++) {
      const hung = hungKingsDay(year);
      expect([67, 68, 69, 96, 97, 98, 99], `${year}`).toContain(day(hung) - day(lunarNewYear(year)));
      expect(hung.slice(5) >= "03-29" && hung.slice(5) <= "05-01", `${year}: ${hung}`).toBe(true);
    }
  });

  it("refuses years outside 1900–2199", () => {
    expect(() => hungKingsDay(1899)).toThrow(RangeError);
    expect(() => hungKingsDay(2200)).toThrow(RangeError);
  });
});

describe("statutoryDaysOff", () => {
  it("lists 2026: a Sunday Hùng Kings' day is made up on Monday 27 April", () => {
    expect(statutoryDaysOff(2026)).toEqual([
      { date: "2026-01-01", key: "new_year" },
      { date: "2026-02-16", key: "tet" },
      { date: "2026-02-17", key: "tet" },
      { date: "2026-02-18", key: "tet" },
      { date: "2026-02-19", key: "tet" },
      { date: "2026-02-20", key: "tet" },
      { date: "2026-04-26", key: "hung_kings" },
      { date: "2026-04-27", key: "hung_kings", compensating: true },
      { date: "2026-04-30", key: "reunification" },
      { date: "2026-05-01", key: "labour_day" },
      { date: "2026-09-01", key: "national_day" },
      { date: "2026-09-02", key: "national_day" },
    ]);
  });

  it("lists 2027: Tết's Saturday and Sunday are made up after mùng 4, Saturday 1 May on Monday 3 May", () => {
    expect(statutoryDaysOff(2027)).toEqual([
      { date: "2027-01-01", key: "new_year" },
      { date: "2027-02-05", key: "tet" },
      { date: "2027-02-06", key: "tet" },
      { date: "2027-02-07", key: "tet" },
      { date: "2027-02-08", key: "tet" },
      { date: "2027-02-09", key: "tet" },
      { date: "2027-02-10", key: "tet", compensating: true },
      { date: "2027-02-11", key: "tet", compensating: true },
      { date: "2027-04-16", key: "hung_kings" },
      { date: "2027-04-30", key: "reunification" },
      { date: "2027-05-01", key: "labour_day" },
      { date: "2027-05-03", key: "labour_day", compensating: true },
      { date: "2027-09-01", key: "national_day" },
      { date: "2027-09-02", key: "national_day" },
    ]);
  });

  it("gives back a day when Hùng Kings' day and 30 April coincide (1947), after the 1 May holiday", () => {
    const days = statutoryDaysOff(1947);
    expect(days.filter((d) => d.date >= "1947-04-29" && d.date <= "1947-05-05")).toEqual([
      { date: "1947-04-30", key: "hung_kings" },
      { date: "1947-05-01", key: "labour_day" },
      { date: "1947-05-02", key: "reunification", compensating: true },
    ]);
  });

  it("is sorted, without duplicate dates, inside its year, with compensating days on weekdays, 1900–2199", () => {
    for (let year = 1900; year <= 2199; year++) {
      const days = statutoryDaysOff(year);
      const dates = days.map((d) => d.date);
      expect(dates, `${year}`).toEqual([...new Set(dates)].sort());
      expect(dates.every((d) => d.startsWith(`${year}-`)), `${year}`).toBe(true);
      // Eleven holiday days, one fewer when Hùng Kings' day takes 30 April.
      expect(days.filter((d) => !d.compensating), `${year}`).toHaveLength(hungKingsDay(year).endsWith("-04-30") ? 10 : 11);
      for (const d of days.filter((x) => x.compensating)) {
        expect(new Date(`${d.date}T00:00:00Z`).getUTCDay() % 6, `${d.date}`).not.toBe(0);
      }
    }
  });
});

describe("isStatutoryDayOff", () => {
  it("answers for holidays, compensating days and ordinary days", () => {
    expect(isStatutoryDayOff("2027-02-06")).toBe(true);
    expect(isStatutoryDayOff("2027-05-03")).toBe(true);
    expect(isStatutoryDayOff("2027-05-04")).toBe(false);
    expect(isStatutoryDayOff("2026-04-27")).toBe(true);
    expect(isStatutoryDayOff("2026-12-31")).toBe(false);
  });

  it("refuses text that is not a calendar day", () => {
    expect(() => isStatutoryDayOff("2026-02-30")).toThrow(RangeError);
    expect(() => isStatutoryDayOff("17/02/2026")).toThrow(RangeError);
  });
});
