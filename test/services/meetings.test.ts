import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  await buildSmallTree(services);
});
afterEach(() => database.cleanup());

// 2026-09-25 10:00 in Vietnam.
const NOW = new Date("2026-09-25T03:00:00Z");

describe("upcoming meetings of a subtree", () => {
  it("lists the village cell on the 7th and the school cell on the first Thursday, soonest first", async () => {
    const { meetings } = await services.meetings.upcoming("ha-ky", { from: NOW, count: 2 });
    expect(meetings.map((m) => [m.cell.code, m.startsAt.toISOString()])).toEqual([
      ["thcs-ha-ky", "2026-10-01T09:30:00.000Z"], // Thursday 1 October 16:30
      ["thon-dong", "2026-10-07T12:30:00.000Z"], // 7 October 19:30
      ["thcs-ha-ky", "2026-11-05T09:30:00.000Z"], // Thursday 5 November
      ["thon-dong", "2026-11-07T12:30:00.000Z"],
    ]);
    expect(meetings[1]?.place).toBe("Nhà văn hóa thôn");
  });

  it("shows a postponed meeting at its new time with the reason", async () => {
    const result = await services.meetings.postpone({
      cellCode: "thon-dong", regularDate: "2026-10-07", newStart: new Date("2026-10-09T12:30:00Z"),
      reason: "  Trùng lịch   bầu cử thôn ", now: NOW,
    });
    expect(result.superior?.code).toBe("ha-ky");
    expect(result.meeting.postponeReason).toBe("Trùng lịch bầu cử thôn");
    const { meetings } = await services.meetings.upcoming("thon-dong", { from: NOW, count: 1 });
    expect(meetings[0]).toMatchObject({ postponeReason: "Trùng lịch bầu cử thôn" });
    expect(meetings[0]?.scheduledAt.toISOString()).toBe("2026-10-07T12:30:00.000Z");
    expect(meetings[0]?.startsAt.toISOString()).toBe("2026-10-09T12:30:00.000Z");
  });

  it.each([
    ["a third day later", "2026-10-10T12:30:00Z", "Bận", "schedule:postponeTooLate"],
    ["an earlier date", "2026-10-06T12:30:00Z", "Bận", "schedule:postponeNotLater"],
    ["an empty reason", "2026-10-08T12:30:00Z", "   ", "schedule:postponeReasonRequired"],
  ])("refuses %s and leaves the meeting as it was", async (_label, to, reason, code) => {
    await expect(services.meetings.postpone({ cellCode: "thon-dong", regularDate: "2026-10-07", newStart: new Date(to), reason, now: NOW }))
      .rejects.toMatchObject({ code });
    expect(await database.prisma.meeting.count()).toBe(0);
  });

  it("allows a third day when the province sets the limit to 3", async () => {
    await services.organizations.setPostponeLimit("hai-phong", 3);
    const result = await services.meetings.postpone({ cellCode: "thon-dong", regularDate: "2026-10-07", newStart: new Date("2026-10-10T12:30:00Z"), reason: "Mưa bão", now: NOW });
    expect(result.maxPostponeDays).toBe(3);
  });

  it("refuses a date that is not a regular meeting day", async () => {
    await expect(services.meetings.postpone({ cellCode: "thon-dong", regularDate: "2026-10-08", newStart: new Date("2026-10-09T12:30:00Z"), reason: "Bận", now: NOW }))
      .rejects.toMatchObject({ code: "meeting:noMeetingOnDate" });
  });

  it("moves a meeting off a weekend or listed holiday when the cell's rule says so", async () => {
    // 7 November 2026 is a Saturday.
    await services.organizations.setMeetingRule("thon-dong", { dayOfMonth: 7, time: "19:30", shiftOffDays: true });
    await services.organizations.addHoliday("hai-phong", "2026-11-09", "Ngày nghỉ địa phương");
    const { meetings } = await services.meetings.upcoming("thon-dong", { from: new Date("2026-10-20T00:00:00Z"), count: 1 });
    expect(meetings[0]?.startsAt.toISOString()).toBe("2026-11-10T12:30:00.000Z");
  });

  it("lists cells that have no rule apart", async () => {
    await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", parentCode: "ha-ky", cellKind: "village" });
    const { withoutRule } = await services.meetings.upcoming("hai-phong", { from: NOW, count: 1 });
    expect(withoutRule.map((c) => c.code)).toEqual(["chi-bo-thon-bac"]);
  });
});
