import { describe, expect, it } from "vitest";
import { expectDomainError } from "../helpers/domainErrors.ts";
import { NO_SHIFT, isOffDay, regularMeetingAfter, upcomingMeetings, type MeetingPolicy } from "../../src/domain/meetingCalendar.ts";
import { nextMeeting, type MeetingRule } from "../../src/domain/schedule.ts";

const TU_KY: MeetingRule = { dayOfMonth: 7, time: "19:30" };
const FIRST_OF_MONTH: MeetingRule = { dayOfMonth: 1, time: "08:00" };
const LAST_DAY: MeetingRule = { dayOfMonth: 31, time: "19:30" };

function shifting(...holidays: string[]): MeetingPolicy {
  return { shiftOffDays: true, holidays: new Set(holidays) };
}

const TET_2026 = ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"];
const QUOC_KHANH_2026 = ["2026-09-01", "2026-09-02"];

describe("regularMeetingAfter", () => {
  it.each([
    ["moves a 7th that falls on Saturday to Monday the 9th", TU_KY, shifting(), "2026-03-01T00:00:00Z", "2026-03-09T12:30:00.000Z"],
    ["keeps the Saturday when the locality does not shift", TU_KY, NO_SHIFT, "2026-03-01T00:00:00Z", "2026-03-07T12:30:00.000Z"],
    ["returns the shifted Monday when `after` falls between the fixed day and it", TU_KY, shifting(), "2026-03-07T17:00:00Z", "2026-03-09T12:30:00.000Z"],
    ["keeps a 7th that is a working day", TU_KY, shifting(...QUOC_KHANH_2026), "2026-04-01T00:00:00Z", "2026-04-07T12:30:00.000Z"],
    ["moves the 1st past Quốc khánh (1–2 September) to Thursday the 3rd", FIRST_OF_MONTH, shifting(...QUOC_KHANH_2026), "2026-08-20T00:00:00Z", "2026-09-03T01:00:00.000Z"],
    ["moves the 2nd off the 2 September holiday to the 3rd", { dayOfMonth: 2, time: "08:00" }, shifting("2026-09-02"), "2026-08-20T00:00:00Z", "2026-09-03T01:00:00.000Z"],
    ["moves a 1st on Saturday to Monday the 3rd", FIRST_OF_MONTH, shifting(), "2026-07-20T00:00:00Z", "2026-08-03T01:00:00.000Z"],
    ["skips the Tết weekends and the holidays between them", { dayOfMonth: 15, time: "08:00" }, shifting(...TET_2026), "2026-02-01T00:00:00Z", "2026-02-23T01:00:00.000Z"],
    ["skips 30 April and 1 May, then the weekend", { dayOfMonth: 30, time: "08:00" }, shifting("2026-04-30", "2026-05-01"), "2026-04-20T00:00:00Z", "2026-05-04T01:00:00.000Z"],
    ["carries January's Saturday 31st into Monday 2 February", LAST_DAY, shifting(), "2026-01-20T00:00:00Z", "2026-02-02T12:30:00.000Z"],
    ["finds last month's shifted meeting when `after` is the start of the month", LAST_DAY, shifting(), "2026-01-31T17:00:00Z", "2026-02-02T12:30:00.000Z"],
    ["carries February's Saturday 28th into Monday 2 March after January's moved meeting", LAST_DAY, shifting(), "2026-02-02T12:30:00Z", "2026-03-02T12:30:00.000Z"],
    ["carries December's meeting over New Year into the next year", LAST_DAY, shifting("2026-12-31", "2027-01-01"), "2026-12-31T17:00:00Z", "2027-01-04T12:30:00.000Z"],
  ])("%s", (_behaviour, rule, policy, after, expected) => {
    expect(regularMeetingAfter(rule, new Date(after), policy).toISOString()).toBe(expected);
  });

  it("agrees with nextMeeting when the locality does not shift, holidays or not", () => {
    const after = new Date("2026-08-25T00:00:00Z");
    const policy = { shiftOffDays: false, holidays: new Set(QUOC_KHANH_2026) };
    expect(regularMeetingAfter(FIRST_OF_MONTH, after, policy)).toEqual(nextMeeting(FIRST_OF_MONTH, after));
  });
});

describe("upcomingMeetings", () => {
  it("lists one meeting per month in order, even when two land in the same month", () => {
    const starts = upcomingMeetings(LAST_DAY, new Date("2026-01-20T00:00:00Z"), 4, shifting());
    expect(starts.map((start) => start.toISOString())).toEqual([
      "2026-02-02T12:30:00.000Z", // January's 31st, a Saturday
      "2026-03-02T12:30:00.000Z", // February's 28th, a Saturday
      "2026-03-31T12:30:00.000Z",
      "2026-04-30T12:30:00.000Z",
    ]);
  });

  it("lists a school cell's first Thursdays", () => {
    const starts = upcomingMeetings({ weekday: 4, nth: 1, time: "14:00" }, new Date("2026-09-15T00:00:00Z"), 3, NO_SHIFT);
    expect(starts.map((start) => start.toISOString())).toEqual([
      "2026-10-01T07:00:00.000Z",
      "2026-11-05T07:00:00.000Z",
      "2026-12-03T07:00:00.000Z",
    ]);
  });

  it("lists nothing when asked for none", () => {
    expect(upcomingMeetings(TU_KY, new Date("2026-01-01T00:00:00Z"), 0, NO_SHIFT)).toEqual([]);
  });
});

describe("isOffDay", () => {
  it.each([
    ["a Saturday", { year: 2026, month: 3, day: 7 }, true],
    ["a Sunday", { year: 2026, month: 3, day: 8 }, true],
    ["a listed holiday on a weekday", { year: 2026, month: 9, day: 2 }, true],
    ["an ordinary Monday", { year: 2026, month: 3, day: 9 }, false],
  ])("treats %s correctly", (_case, day, expected) => {
    expect(isOffDay(day, new Set(QUOC_KHANH_2026))).toBe(expected);
  });
});

describe("refusals", () => {
  // Twenty-three days off straight after a Saturday 7th: no real holiday list looks like this.
  const march = Array.from({ length: 23 }, (_, i) => `2026-03-${String(i + 9).padStart(2, "0")}`);

  it.each([
    ["a holiday not written YYYY-MM-DD", () => regularMeetingAfter(TU_KY, new Date("2026-08-01T00:00:00Z"), shifting("2026-9-2")),
      "schedule:invalidHoliday", 'Holidays must be real days written "YYYY-MM-DD"; got "2026-9-2"'],
    ["a holiday that does not exist", () => regularMeetingAfter(TU_KY, new Date("2026-08-01T00:00:00Z"), shifting("2026-02-30")),
      "schedule:invalidHoliday", 'Holidays must be real days written "YYYY-MM-DD"; got "2026-02-30"'],
    ["a holiday list leaving no working day for weeks", () => regularMeetingAfter(TU_KY, new Date("2026-03-01T00:00:00Z"), shifting(...march)),
      "schedule:noWorkingDay", "No working day within 14 days after 07/03/2026; check the holiday list"],
    ["a negative count", () => upcomingMeetings(TU_KY, new Date("2026-03-01T00:00:00Z"), -1, NO_SHIFT),
      "schedule:invalidCount", "count must be an integer from 0 to 120; got -1"],
    ["an invalid `from`", () => upcomingMeetings(TU_KY, new Date(Number.NaN), 3, NO_SHIFT),
      "schedule:invalidInstant", "from must be a valid Date"],
  ])("refuses %s, saying why", (_case, act, code, message) => {
    expectDomainError(act, code, message);
  });
});
