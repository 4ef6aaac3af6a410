import { describe, expect, it } from "vitest";
import { expectDomainError, vietnamese } from "../helpers/domainErrors.ts";
import { meetingDayInMonth, nextMeeting, validateMeetingRule, type MeetingRule } from "../../src/domain/schedule.ts";

const TU_KY: MeetingRule = { dayOfMonth: 7, time: "19:30" };
const SCHOOL_FIRST_THURSDAY: MeetingRule = { weekday: 4, nth: 1, time: "14:00" };
const LAST_FRIDAY: MeetingRule = { weekday: 5, nth: -1, time: "08:00" };

describe("nextMeeting", () => {
  it.each([
    ["meets on the 7th later the same month", TU_KY, "2026-03-01T00:00:00Z", "2026-03-07T12:30:00.000Z"],
    ["reads 17:30 UTC on the 6th as local 00:30 on the 7th, so meets that evening", TU_KY, "2026-03-06T17:30:00Z", "2026-03-07T12:30:00.000Z"],
    ["still meets the same evening one minute before the start", TU_KY, "2026-03-07T12:29:00Z", "2026-03-07T12:30:00.000Z"],
    ["moves to next month when `after` is exactly a meeting start", TU_KY, "2026-03-07T12:30:00Z", "2026-04-07T12:30:00.000Z"],
    ["moves to next month late on the meeting day", TU_KY, "2026-03-07T16:59:00Z", "2026-04-07T12:30:00.000Z"],
    ["rolls December over into January of the next year", TU_KY, "2026-12-07T13:00:00Z", "2027-01-07T12:30:00.000Z"],
    ["puts a local midnight meeting on the previous UTC day", { dayOfMonth: 7, time: "00:00" }, "2026-03-06T16:00:00Z", "2026-03-06T17:00:00.000Z"],
    ["moves a school cell's meeting to the first Thursday (Thu 1 Oct 2026)", SCHOOL_FIRST_THURSDAY, "2026-09-30T00:00:00Z", "2026-10-01T07:00:00.000Z"],
    ["finds the first Thursday on New Year's Day 2026", SCHOOL_FIRST_THURSDAY, "2025-12-20T00:00:00Z", "2026-01-01T07:00:00.000Z"],
    ["takes the first Thursday inside the month when the month starts on a Friday", SCHOOL_FIRST_THURSDAY, "2026-12-31T00:00:00Z", "2027-01-07T07:00:00.000Z"],
    ["goes to November's first Thursday after October's has started", SCHOOL_FIRST_THURSDAY, "2026-10-01T07:00:00Z", "2026-11-05T07:00:00.000Z"],
    ["meets on the last Friday of the month", LAST_FRIDAY, "2026-10-01T00:00:00Z", "2026-10-30T01:00:00.000Z"],
    ["meets on the 31st's stand-in, the last day, in April", { dayOfMonth: 31, time: "19:30" }, "2026-04-01T00:00:00Z", "2026-04-30T12:30:00.000Z"],
    ["meets on 28 February when the rule says the 31st in 2026", { dayOfMonth: 31, time: "19:30" }, "2026-02-01T00:00:00Z", "2026-02-28T12:30:00.000Z"],
  ])("%s", (_behaviour, rule, after, expected) => {
    expect(nextMeeting(rule, new Date(after)).toISOString()).toBe(expected);
  });

  it("refuses an invalid `after`", () => {
    expectDomainError(() => nextMeeting(TU_KY, new Date(Number.NaN)), "schedule:invalidInstant", "after must be a valid Date");
  });
});

describe("meetingDayInMonth", () => {
  it.each([
    ["clamps the 31st to 29 February in leap year 2028", { dayOfMonth: 31, time: "19:30" }, 2028, 2, 29],
    ["clamps the 31st to 28 February in 2026", { dayOfMonth: 31, time: "19:30" }, 2026, 2, 28],
    ["clamps the 29th to 28 February in 2100, which is not a leap year", { dayOfMonth: 29, time: "19:30" }, 2100, 2, 28],
    ["keeps the 29th in February 2028", { dayOfMonth: 29, time: "19:30" }, 2028, 2, 29],
    ["clamps the 31st to 30 April", { dayOfMonth: 31, time: "19:30" }, 2026, 4, 30],
    ["finds the fourth Thursday of February 2026", { weekday: 4, nth: 4, time: "14:00" }, 2026, 2, 26],
    ["finds the last Friday of January 2026", LAST_FRIDAY, 2026, 1, 30],
    ["finds the last Sunday when it is the month's last day", { weekday: 7, nth: -1, time: "08:00" }, 2026, 5, 31],
  ])("%s", (_behaviour, rule, year, month, day) => {
    expect(meetingDayInMonth(rule, year, month)).toEqual({ year, month, day });
  });
});

describe("validateMeetingRule", () => {
  it("accepts a database row whose other-kind columns are null, keeping only the rule's fields", () => {
    const row = { dayOfMonth: 7, weekday: null, nth: null, time: "19:30", place: "Nhà văn hóa" };
    expect(validateMeetingRule(row)).toEqual({ dayOfMonth: 7, time: "19:30" });
  });

  it.each([
    ["a day past 31", { dayOfMonth: 32, time: "19:30" }, "schedule:invalidDayOfMonth", "dayOfMonth must be an integer from 1 to 31; got 32"],
    ["day 0", { dayOfMonth: 0, time: "19:30" }, "schedule:invalidDayOfMonth", "dayOfMonth must be an integer from 1 to 31; got 0"],
    ["a fractional day", { dayOfMonth: 7.5, time: "19:30" }, "schedule:invalidDayOfMonth", "dayOfMonth must be an integer from 1 to 31; got 7.5"],
    ["a day given as text", { dayOfMonth: "7", time: "19:30" }, "schedule:invalidDayOfMonth", 'dayOfMonth must be an integer from 1 to 31; got "7"'],
    ["weekday 0", { weekday: 0, nth: 1, time: "14:00" }, "schedule:invalidWeekday", "weekday must be an integer from 1 (Monday) to 7 (Sunday); got 0"],
    ["weekday 8", { weekday: 8, nth: 1, time: "14:00" }, "schedule:invalidWeekday", "weekday must be an integer from 1 (Monday) to 7 (Sunday); got 8"],
    ["a fifth week", { weekday: 4, nth: 5, time: "14:00" }, "schedule:invalidNth", "nth must be 1, 2, 3, 4, or -1 for the last; got 5"],
    ["nth 0", { weekday: 4, nth: 0, time: "14:00" }, "schedule:invalidNth", "nth must be 1, 2, 3, 4, or -1 for the last; got 0"],
    ["nth -2", { weekday: 4, nth: -2, time: "14:00" }, "schedule:invalidNth", "nth must be 1, 2, 3, 4, or -1 for the last; got -2"],
    ["hour 24", { dayOfMonth: 7, time: "24:00" }, "schedule:invalidTime", 'time must be "HH:MM" from 00:00 to 23:59; got "24:00"'],
    ["minute 60", { dayOfMonth: 7, time: "19:60" }, "schedule:invalidTime", 'time must be "HH:MM" from 00:00 to 23:59; got "19:60"'],
    ["a one-digit hour", { dayOfMonth: 7, time: "7:30" }, "schedule:invalidTime", 'time must be "HH:MM" from 00:00 to 23:59; got "7:30"'],
    ["a time given as a number", { dayOfMonth: 7, time: 1930 }, "schedule:invalidTime", 'time must be "HH:MM" from 00:00 to 23:59; got 1930'],
    ["both kinds of day", { dayOfMonth: 7, weekday: 4, nth: 1, time: "19:30" }, "schedule:ruleKindAmbiguous", "A meeting rule must give either dayOfMonth or weekday with nth, not both"],
    ["no day at all", { time: "19:30" }, "schedule:ruleKindMissing", "A meeting rule must give either dayOfMonth or weekday with nth"],
    ["a weekday without nth", { weekday: 4, time: "14:00" }, "schedule:ruleFieldMissing", "A meeting rule is missing nth"],
    ["no time", { dayOfMonth: 7 }, "schedule:ruleFieldMissing", "A meeting rule is missing time"],
    ["null", null, "schedule:invalidRule", "A meeting rule must be an object with dayOfMonth, or weekday and nth, and a time; got null"],
    ["plain text", "mùng 7", "schedule:invalidRule", 'A meeting rule must be an object with dayOfMonth, or weekday and nth, and a time; got "mùng 7"'],
  ])("refuses %s, saying what is wrong", (_case, rule, code, message) => {
    expectDomainError(() => validateMeetingRule(rule), code, message);
  });

  it("refuses an invalid rule passed straight to nextMeeting", () => {
    const rule = { dayOfMonth: 32, time: "19:30" };
    expectDomainError(() => nextMeeting(rule, new Date("2026-03-01T00:00:00Z")), "schedule:invalidDayOfMonth",
      "dayOfMonth must be an integer from 1 to 31; got 32");
  });

  it("tells a secretary in Vietnamese which day number is wrong", () => {
    const error = expectDomainError(() => validateMeetingRule({ dayOfMonth: 32, time: "19:30" }),
      "schedule:invalidDayOfMonth", "dayOfMonth must be an integer from 1 to 31; got 32");
    expect(vietnamese(error)).toBe("Ngày họp phải từ 1 đến 31, nhận được 32.");
  });
});
