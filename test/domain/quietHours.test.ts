import { describe, expect, it } from "vitest";
import { DEFAULT_QUIET_HOURS, quietUntil } from "../../src/domain/quietHours.ts";
import { checkScheduleSettings, DEFAULT_SCHEDULE_SETTINGS } from "../../src/domain/scheduleSettings.ts";

// Vietnam is UTC+7: 21:30 local on 3 Dec is 14:30Z; 06:30 on 4 Dec is 23:30Z on the 3rd.
const at = (iso: string) => new Date(iso);

describe("quietUntil", () => {
  it("ends a night period the next morning when it began in the evening, the same morning after midnight", () => {
    expect(quietUntil(at("2026-12-03T14:30:00Z"), DEFAULT_QUIET_HOURS)).toEqual(at("2026-12-03T23:30:00Z"));
    expect(quietUntil(at("2026-12-03T16:59:59Z"), DEFAULT_QUIET_HOURS)).toEqual(at("2026-12-03T23:30:00Z"));
    expect(quietUntil(at("2026-12-03T20:00:00Z"), DEFAULT_QUIET_HOURS)).toEqual(at("2026-12-03T23:30:00Z"));
    expect(quietUntil(at("2026-12-03T23:29:59Z"), DEFAULT_QUIET_HOURS)).toEqual(at("2026-12-03T23:30:00Z"));
  });

  it("is not quiet from `to` until just before `from`", () => {
    expect(quietUntil(at("2026-12-03T23:30:00Z"), DEFAULT_QUIET_HOURS)).toBeNull();
    expect(quietUntil(at("2026-12-03T14:29:59Z"), DEFAULT_QUIET_HOURS)).toBeNull();
    expect(quietUntil(at("2026-12-03T05:00:00Z"), DEFAULT_QUIET_HOURS)).toBeNull();
  });

  it("takes a period within one day, and none", () => {
    const noon = { from: "12:00", to: "13:30" };
    expect(quietUntil(at("2026-12-03T05:15:00Z"), noon)).toEqual(at("2026-12-03T06:30:00Z"));
    expect(quietUntil(at("2026-12-03T06:30:00Z"), noon)).toBeNull();
    expect(quietUntil(at("2026-12-03T16:00:00Z"), null)).toBeNull();
  });

  it("is a schedule setting: 21:30–06:30 by default, null for none, refused when it has no length", () => {
    expect(DEFAULT_SCHEDULE_SETTINGS.quietHours).toEqual({ from: "21:30", to: "06:30" });
    expect(checkScheduleSettings({ quietHours: null }, DEFAULT_SCHEDULE_SETTINGS).quietHours).toBeNull();
    expect(() => checkScheduleSettings({ quietHours: { from: "22:00", to: "22:00" } }, DEFAULT_SCHEDULE_SETTINGS)).toThrow(/quietHours/);
    expect(() => checkScheduleSettings({ quietHours: { from: "22:00" } }, DEFAULT_SCHEDULE_SETTINGS)).toThrow(/quietHours\.to/);
  });
});
