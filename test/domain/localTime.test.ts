import { describe, expect, it } from "vitest";
import { addDays, daysBetween, daysInMonth, fromLocal, parseIsoDate, toLocal } from "../../src/domain/localTime.ts";

describe("local time in Asia/Ho_Chi_Minh", () => {
  it("reads 17:00 UTC as the next local day", () => {
    const local = toLocal(new Date("2026-03-06T17:00:00Z"));
    expect(local).toMatchObject({ year: 2026, month: 3, day: 7, hour: 0, minute: 0, weekday: 6 });
  });

  it("round-trips a local time to its UTC instant", () => {
    const instant = fromLocal({ year: 2026, month: 1, day: 1, hour: 7, minute: 30 });
    expect(instant.toISOString()).toBe("2026-01-01T00:30:00.000Z");
  });

  it("knows February in leap and common years", () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it("adds days across a year end and counts them back", () => {
    const later = addDays({ year: 2026, month: 12, day: 31 }, 2);
    expect(later).toEqual({ year: 2027, month: 1, day: 2 });
    expect(daysBetween({ year: 2026, month: 12, day: 31 }, later)).toBe(2);
  });

  it("refuses impossible ISO dates", () => {
    expect(parseIsoDate("2026-02-29")).toBeNull();
    expect(parseIsoDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseIsoDate("29/02/2028")).toBeNull();
  });
});
