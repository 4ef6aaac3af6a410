import { describe, expect, it } from "vitest";
import { attendanceFigures, meetingOutcome, monthIndex, overviewWindows, percent } from "../../src/domain/overview.ts";

const local = (iso: string) => new Date(`${iso}+07:00`);

describe("the overview's periods", () => {
  it("takes twelve local months back across the new year, and weeks from Monday in Vietnam", () => {
    // Monday 4 January 2027 at 06:00 in Vietnam is still Sunday 3 January in UTC.
    const w = overviewWindows(local("2027-01-04T06:00"));
    expect(w.months[0]).toBe("2026-02");
    expect(w.months.at(-1)).toBe("2027-01");
    expect(w.monthStart).toEqual(local("2027-01-01T00:00"));
    expect(w.monthEnd).toEqual(local("2027-02-01T00:00"));
    expect(w.weeks.at(-1)).toEqual({ year: 2027, month: 1, day: 4 });
    expect(w.weeks[0]).toEqual({ year: 2026, month: 10, day: 19 });
    expect(w.weeksEnd).toEqual(local("2027-01-11T00:00"));
    expect(w.monthBounds).toHaveLength(13);
    expect(monthIndex(w.monthBounds, local("2026-02-01T00:00").getTime())).toBe(0);
    expect(monthIndex(w.monthBounds, local("2026-12-31T23:59").getTime())).toBe(10);
    expect(monthIndex(w.monthBounds, local("2026-01-31T23:59").getTime())).toBe(-1);
  });

  it("gives whole percentages, never above 100, and none when nothing was expected", () => {
    expect(percent(7, 8)).toBe(88);
    expect(percent(9, 8)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });
});

describe("what the overview counts", () => {
  it("reads a meeting as the calendar does: marked, not reported once started, upcoming before; no schedule without either", () => {
    const now = local("2026-12-20T10:00");
    const stored = (status: string, postponedTo: Date | null = null) => ({ status, scheduledAt: local("2026-12-07T19:30"), postponedTo, postponeReason: null });
    expect(meetingOutcome(stored("held"), null, now).outcome).toBe("held");
    expect(meetingOutcome(stored("not_held"), null, now).outcome).toBe("not_held");
    expect(meetingOutcome(stored("planned"), null, now).outcome).toBe("unmarked");
    expect(meetingOutcome(stored("planned", local("2026-12-22T19:30")), null, now)).toEqual({ outcome: "upcoming", startsAt: local("2026-12-22T19:30") });
    expect(meetingOutcome(null, local("2026-12-25T19:30"), now).outcome).toBe("upcoming");
    expect(meetingOutcome(null, null, now)).toEqual({ outcome: "no_rule", startsAt: null });
  });

  it("expects the members listed now, or those who answered when more did, and rates attendance on held meetings only", () => {
    const figures = attendanceFigures([
      { cellId: 1, month: "2026-12", held: true, answered: 4, present: 3, early: 4 },
      { cellId: 2, month: "2026-12", held: true, answered: 6, present: 6, early: 5 }, // one more answered than are listed now
      { cellId: 1, month: "2026-11", held: false, answered: 2, present: 2, early: 2 },
    ], new Map([[1, 5], [2, 5]]), ["2026-11", "2026-12"]);
    expect(figures.byMonth).toEqual([
      { month: "2026-11", meetings: 0, present: 0, expected: 0, rate: null },
      { month: "2026-12", meetings: 2, present: 9, expected: 11, rate: 82 },
    ]);
    expect(figures.byCell.get(1)).toEqual({ meetings: 1, present: 3, expected: 5, rate: 60 });
    expect(figures.answersByMonth[0]).toEqual({ month: "2026-11", meetings: 1, early: 2, expected: 5, rate: 40 });
    expect(figures.answersTotal).toEqual({ meetings: 3, early: 11, expected: 16, rate: 69 });
  });
});
