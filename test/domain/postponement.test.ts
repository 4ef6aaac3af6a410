import { describe, expect, it } from "vitest";
import { expectDomainError, vietnamese } from "../helpers/domainErrors.ts";
import { DEFAULT_MAX_POSTPONE_DAYS, checkPostponement, latestAllowedDay } from "../../src/domain/postponement.ts";

// Tứ Kỳ's fixed day: Saturday 7 March 2026 at 19:30 local.
const REGULAR_START = new Date("2026-03-07T12:30:00Z");
const BEFORE_THE_MEETING = new Date("2026-03-05T00:00:00Z");
const REASON = "Bí thư đi tập huấn ở huyện";

function request(overrides: Partial<Parameters<typeof checkPostponement>[0]> = {}) {
  return {
    regularStart: REGULAR_START,
    newStart: new Date("2026-03-09T12:30:00Z"),
    reason: REASON,
    maxDays: DEFAULT_MAX_POSTPONE_DAYS,
    now: BEFORE_THE_MEETING,
    ...overrides,
  };
}

describe("checkPostponement", () => {
  it.each([
    ["a later time on the fixed day", "2026-03-07T14:00:00Z", 2],
    ["the 9th, two days after the 7th", "2026-03-09T12:30:00Z", 2],
    ["the last minute of the 9th in local time", "2026-03-09T16:59:00Z", 2],
    ["the 10th when the province allows 3 days", "2026-03-10T12:30:00Z", 3],
    ["a later hour the same day when the province allows no days", "2026-03-07T14:00:00Z", 0],
  ])("accepts %s", (_case, newStart, maxDays) => {
    const accepted = checkPostponement(request({ newStart: new Date(newStart), maxDays }));
    expect(accepted).toEqual({ newStart: new Date(newStart), reason: REASON });
  });

  it("stores the reason trimmed and in NFC however it was typed", () => {
    const typed = `  ${REASON.normalize("NFD")}\n`;
    expect(checkPostponement(request({ reason: typed })).reason).toBe(REASON.normalize("NFC"));
  });

  it("accepts a reason of exactly 500 characters", () => {
    expect(checkPostponement(request({ reason: "ữ".repeat(500) })).reason).toHaveLength(500);
  });

  const tooLate2 = "A meeting may move at most 2 days after its regular day 07/03/2026; the latest day is 09/03/2026";
  it.each([
    ["the 10th at 00:00 local, one day too many", { newStart: new Date("2026-03-09T17:00:00Z") },
      "schedule:postponeTooLate", `${tooLate2}, got 10/03/2026 00:00`],
    ["the 10th even though it is still the 9th in UTC", { newStart: new Date("2026-03-09T17:30:00Z") },
      "schedule:postponeTooLate", `${tooLate2}, got 10/03/2026 00:30`],
    ["the 11th when the province allows 3 days", { newStart: new Date("2026-03-10T17:00:00Z"), maxDays: 3 },
      "schedule:postponeTooLate", "A meeting may move at most 3 days after its regular day 07/03/2026; the latest day is 10/03/2026, got 11/03/2026 00:00"],
    ["the next day when the province allows no days", { newStart: new Date("2026-03-08T01:00:00Z"), maxDays: 0 },
      "schedule:postponeTooLate", "A meeting may move at most 0 days after its regular day 07/03/2026; the latest day is 07/03/2026, got 08/03/2026 08:00"],
    ["an earlier time", { newStart: new Date("2026-03-07T12:00:00Z") },
      "schedule:postponeNotLater", "The new start 07/03/2026 19:00 must be later than the regular start 07/03/2026 19:30"],
    ["the same time", { newStart: REGULAR_START },
      "schedule:postponeNotLater", "The new start 07/03/2026 19:30 must be later than the regular start 07/03/2026 19:30"],
    ["an empty reason", { reason: "" }, "schedule:postponeReasonRequired", "A postponement needs a reason"],
    ["a reason of only spaces", { reason: " \n\t " }, "schedule:postponeReasonRequired", "A postponement needs a reason"],
    ["a reason longer than 500 characters", { reason: "a".repeat(501) },
      "schedule:postponeReasonTooLong", "A postponement reason may be at most 500 characters; got 501"],
    ["a new start already past", { newStart: new Date("2026-03-08T01:00:00Z"), now: new Date("2026-03-08T05:00:00Z") },
      "schedule:postponeInPast", "The new start 08/03/2026 08:00 is already past (now 08/03/2026 12:00)"],
    ["a fractional limit", { maxDays: 2.5 },
      "schedule:invalidMaxPostponeDays", "The postponement limit must be an integer from 0 to 31 days; got 2.5"],
    ["a negative limit", { maxDays: -1 },
      "schedule:invalidMaxPostponeDays", "The postponement limit must be an integer from 0 to 31 days; got -1"],
    ["a limit over a month", { maxDays: 32 },
      "schedule:invalidMaxPostponeDays", "The postponement limit must be an integer from 0 to 31 days; got 32"],
    ["an invalid new start", { newStart: new Date(Number.NaN) },
      "schedule:invalidInstant", "newStart must be a valid Date"],
  ])("refuses %s, saying why", (_case, overrides, code, message) => {
    expectDomainError(() => checkPostponement(request(overrides)), code, message);
  });

  it("tells the secretary in Vietnamese the latest day allowed", () => {
    const error = expectDomainError(() => checkPostponement(request({ newStart: new Date("2026-03-09T17:00:00Z") })),
      "schedule:postponeTooLate", `${tooLate2}, got 10/03/2026 00:00`);
    expect(vietnamese(error)).toBe(
      "Chỉ được lùi buổi sinh hoạt tối đa 2 ngày sau ngày quy định (07/03/2026); " +
        "ngày muộn nhất là 09/03/2026, nhưng thời gian mới là 10/03/2026 00:00.",
    );
  });
});

describe("latestAllowedDay", () => {
  it.each([
    ["counts two local days from the 7th", "2026-03-07T12:30:00Z", 2, { year: 2026, month: 3, day: 9 }],
    ["counts from the local day when UTC still shows the day before", "2026-03-06T17:30:00Z", 2, { year: 2026, month: 3, day: 9 }],
    ["crosses into the next month", "2026-03-30T12:30:00Z", 2, { year: 2026, month: 4, day: 1 }],
    ["crosses into the next year", "2026-12-31T12:30:00Z", 2, { year: 2027, month: 1, day: 2 }],
    ["stays on the fixed day when no days are allowed", "2026-03-07T12:30:00Z", 0, { year: 2026, month: 3, day: 7 }],
  ])("%s", (_behaviour, regularStart, maxDays, expected) => {
    expect(latestAllowedDay(new Date(regularStart), maxDays)).toEqual(expected);
  });
});
