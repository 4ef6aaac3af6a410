import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OverviewReport } from "../../src/services/overviewReport.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

/**
 * A commune counted by hand. Sunday 20 Dec 2026, 10:00 in Vietnam; the window of attendance is
 * January–December 2026, the twelve weeks run from Monday 28 September to Sunday 20 December.
 *   thôn Đông (7th, 19:30): A B C D E, F exempt, G left the list. Nov: held, A B C E present (E
 *     after the start), D absent. Dec: held, A B present, C absent (all before the start), D
 *     present recorded after the start, E no answer. A meeting of Nov 2025 is outside the window.
 *   THCS (first Thursday): H I J. Nov 5: held, all present before the start. Dec 3: moved to
 *     Dec 10 "Trùng lịch thi", not reported since; H present and I absent before the new start.
 *   thôn Nam (7th): L M, Dec 7 marked not held (its answers are not counted anywhere).
 *   thôn Tây: no schedule; K.   thôn Bắc (25th): no member, meets later this month.
 * Another commune has its own member, feedback and notice: none of it is counted here.
 */
const NOW = new Date("2026-12-20T03:00:00Z");
const DAY = 86_400_000;
const local = (iso: string) => new Date(`${iso}+07:00`);

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let ids: Record<string, number>;
let commune: OverviewReport;

beforeAll(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  const db = database.prisma;
  const { province, commune: ha, village, school } = await buildSmallTree(services);
  const add = (code: string, name: string, rule?: { dayOfMonth: number; time: string }) =>
    services.organizations.add({ level: "cell", name, code, parentCode: "ha-ky", cellKind: "village", ...(rule ? { rule } : {}) });
  const nam = await add("thon-nam", "Chi bộ thôn Nam", { dayOfMonth: 7, time: "19:30" });
  const tay = await add("thon-tay", "Chi bộ thôn Tây");
  const bac = await add("thon-bac", "Chi bộ thôn Bắc", { dayOfMonth: 25, time: "19:30" });
  const other = await services.organizations.add({ level: "base", name: "Đảng ủy xã Khác", code: "xa-khac", parentCode: "hai-phong" });
  const otherCell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Xa", code: "thon-xa", parentCode: "xa-khac", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });

  const member = async (name: string, cellId: number, extra: Record<string, unknown> = {}) =>
    (await db.member.create({ data: { fullName: name, searchName: name.toLowerCase(), status: "full", cellId, ...extra } })).id;
  ids = {
    A: await member("A", village.id), B: await member("B", village.id), C: await member("C", village.id), D: await member("D", village.id), E: await member("E", village.id),
    F: await member("F", village.id, { exemption: "exempt", exemptionFrom: "2020-01-01" }),
    G: await member("G", village.id, { deactivatedAt: new Date("2026-06-01T00:00:00Z") }),
    H: await member("H", school.id), I: await member("I", school.id), J: await member("J", school.id),
    K: await member("K", tay.id), L: await member("L", nam.id), M: await member("M", nam.id), X: await member("X", otherCell.id),
    village: village.id, school: school.id, commune: ha.id, other: other.id, bac: bac.id, tay: tay.id, nam: nam.id,
  };

  const meeting = (cellId: number, scheduledAt: Date, data: Record<string, unknown> = {}) =>
    db.meeting.create({ data: { cellId, scheduledAt, ...data } }).then((m) => m.id);
  const answer = (meetingId: number, who: string, present: boolean, now: Date, source: "button" | "secretary" = "button") =>
    services.attendance.record({ meetingId, memberId: ids[who]!, answer: present ? "present" : "absent", source, now, ...(source === "secretary" ? { recordedById: ids.A! } : {}) });
  const held = { status: "held" };

  const oldVillage = await meeting(village.id, local("2025-11-07T19:30"), held);
  await answer(oldVillage, "A", true, local("2025-11-06T10:00"));
  const novVillage = await meeting(village.id, local("2026-11-07T19:30"), held);
  for (const who of ["A", "B", "C"]) await answer(novVillage, who, true, local("2026-11-06T10:00"));
  await answer(novVillage, "D", false, local("2026-11-06T10:00"));
  await answer(novVillage, "E", true, local("2026-11-07T21:00"), "secretary");
  const novSchool = await meeting(school.id, local("2026-11-05T16:30"), held);
  for (const who of ["H", "I", "J"]) await answer(novSchool, who, true, local("2026-11-04T10:00"));
  const decVillage = await meeting(village.id, local("2026-12-07T19:30"), held);
  for (const who of ["A", "B"]) await answer(decVillage, who, true, local("2026-12-06T10:00"));
  await answer(decVillage, "C", false, local("2026-12-06T10:00"));
  await answer(decVillage, "D", true, local("2026-12-07T20:30"), "secretary");
  const decSchool = await meeting(school.id, local("2026-12-03T16:30"), { postponedTo: local("2026-12-10T16:30"), postponeReason: "Trùng lịch thi" });
  await answer(decSchool, "H", true, local("2026-12-08T10:00"));
  await answer(decSchool, "I", false, local("2026-12-08T10:00"));
  const decNam = await meeting(nam.id, local("2026-12-07T19:30"), { status: "not_held" });
  await answer(decNam, "L", true, local("2026-12-06T10:00"));

  const item = (cellId: number, n: number, createdAt: Date, category: string, status: string, dueAt: Date | null) => db.feedback.create({ data: {
    reference: `GY-2026-${String(n).padStart(6, "0")}`, topOrganizationId: province.id, cellId, addressee: "peoples_committee", category, text: "Góp ý", status, dueAt, createdAt,
  } });
  await item(village.id, 1, local("2026-12-15T09:00"), "land", "submitted", local("2026-12-18T09:00")); // overdue
  await item(village.id, 2, local("2026-12-16T09:00"), "land", "answered", local("2026-12-18T09:00"));
  await item(school.id, 3, local("2026-12-08T09:00"), "environment", "under_review", local("2026-12-30T09:00"));
  await item(village.id, 4, local("2026-10-01T09:00"), "other", "forwarded", local("2026-10-15T09:00")); // overdue
  await item(village.id, 5, local("2026-09-01T09:00"), "security", "submitted", local("2026-09-15T09:00")); // overdue, before the 12 weeks
  await item(nam.id, 6, local("2026-12-14T00:30"), "cadres", "rejected", local("2026-12-15T09:00"));
  await item(nam.id, 7, local("2026-12-01T09:00"), "economy", "submitted", null);
  await item(otherCell.id, 8, local("2026-12-15T09:00"), "land", "submitted", local("2026-12-16T09:00"));

  const notice = async (organizationId: number, createdAt: Date, deliveries: [string, "queued" | "no_chat", boolean][]) => {
    const { id } = await db.notice.create({ data: { organizationId, text: "Thông báo", createdAt, sentAt: createdAt } });
    for (const [who, status, acked] of deliveries) {
      await db.noticeDelivery.create({ data: { noticeId: id, memberId: ids[who]!, status, acknowledgedAt: acked ? new Date(createdAt.getTime() + DAY) : null } });
    }
  };
  await notice(ha.id, local("2026-12-01T08:00"), [["A", "queued", true], ["B", "queued", false], ["H", "no_chat", false], ["K", "queued", true]]);
  await notice(province.id, local("2026-11-01T08:00"), [["A", "queued", true], ["X", "queued", true]]);
  await notice(ha.id, local("2026-08-01T08:00"), [["A", "queued", true]]); // older than 90 days
  await notice(other.id, local("2026-12-01T08:00"), [["X", "queued", false]]);

  let chat = 0;
  const link = (who: string, channel: string, reachable = true) =>
    db.chatIdentity.create({ data: { memberId: ids[who]!, channel, externalUserId: String(++chat), chatId: String(chat), reachable } });
  await link("A", "telegram");
  await link("A", "web");
  await link("B", "zalo_bot");
  await link("C", "telegram", false);
  await link("D", "zalo_oa");
  await link("G", "telegram");
  await link("H", "telegram");
  await link("L", "telegram");
  await link("X", "telegram");

  commune = await services.overviewReport.report({ path: ha.path, now: NOW });
});
afterAll(() => database.cleanup());

describe("the overview of a commune", () => {
  it("counts this month's meetings by what became of them, problems first, with the postponement's reason", () => {
    expect(commune.meetings.counts).toEqual({ held: 1, not_held: 1, unmarked: 1, upcoming: 1, no_rule: 1 });
    expect(commune.meetings.postponed).toBe(1);
    expect(commune.meetings.rows.map((r) => [r.cellName, r.outcome])).toEqual([
      ["Chi bộ Trường THCS Hà Kỳ", "unmarked"], ["Chi bộ thôn Nam", "not_held"], ["Chi bộ thôn Tây", "no_rule"],
      ["Chi bộ thôn Bắc", "upcoming"], ["Chi bộ thôn Đông", "held"],
    ]);
    const school = commune.meetings.rows[0]!;
    expect(school.postponed).toEqual({ to: local("2026-12-10T16:30"), reason: "Trùng lịch thi" });
    expect(school.startsAt).toEqual(local("2026-12-10T16:30"));
    // Thôn Bắc has no stored meeting: its start comes from its rule.
    expect(commune.meetings.rows[3]!.startsAt).toEqual(local("2026-12-25T19:30"));
    expect(commune.meetings.attention.map((r) => r.cellName)).toEqual(["Chi bộ Trường THCS Hà Kỳ", "Chi bộ thôn Nam", "Chi bộ thôn Tây"]);
  });

  it("rates attendance over the held meetings of twelve months, expecting the cell's members who are not exempt", () => {
    const month = (key: string) => commune.attendance.byMonth.find((m) => m.month === key);
    expect(commune.attendance.byMonth.map((m) => m.month)).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]);
    // November: thôn Đông 4 of 5, THCS 3 of 3. December: thôn Đông 3 of 5 (D recorded after the start counts as present).
    expect(month("2026-11")).toEqual({ month: "2026-11", meetings: 2, present: 7, expected: 8, rate: 88 });
    expect(month("2026-12")).toEqual({ month: "2026-12", meetings: 1, present: 3, expected: 5, rate: 60 });
    expect(month("2026-10")).toEqual({ month: "2026-10", meetings: 0, present: 0, expected: 0, rate: null });
    expect(commune.attendance.total).toEqual({ meetings: 3, present: 10, expected: 13, rate: 77 });
    const byCell = Object.fromEntries(commune.attendance.byCell.map((c) => [c.cellName, [c.present, c.expected, c.rate]]));
    expect(byCell).toEqual({
      "Chi bộ thôn Đông": [7, 10, 70], "Chi bộ Trường THCS Hà Kỳ": [3, 3, 100],
      "Chi bộ thôn Nam": [0, 0, null], "Chi bộ thôn Tây": [0, 0, null], "Chi bộ thôn Bắc": [0, 0, null],
    });
    // Cells with nothing marked held first, then the lowest rate.
    expect(commune.attendance.byCell.slice(-2).map((c) => c.cellName)).toEqual(["Chi bộ thôn Đông", "Chi bộ Trường THCS Hà Kỳ"]);
  });

  it("counts the answers given before each meeting's (moved) start, over every started meeting not called off", () => {
    // December: thôn Đông 3 of 5 before 19:30 on the 7th; THCS 2 of 3 before the 10th. November: 4 of 5 and 3 of 3.
    expect(commune.answers.thisMonth).toEqual({ month: "2026-12", meetings: 2, early: 5, expected: 8, rate: 63 });
    expect(commune.answers.byMonth.find((m) => m.month === "2026-11")).toEqual({ month: "2026-11", meetings: 2, early: 7, expected: 8, rate: 88 });
    expect(commune.answers.total).toEqual({ meetings: 4, early: 12, expected: 16, rate: 75 });
  });

  it("counts twelve weeks of feedback by week, status and category, and every overdue item of the commune", () => {
    const { byStatus, byCategory, perWeek, total, overdue } = commune.feedback;
    expect(overdue).toBe(3);
    expect(total).toBe(6);
    expect(perWeek).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]);
    const nonZero = (rows: Map<string, number[]>) => Object.fromEntries([...rows].filter(([, weeks]) => weeks.some(Boolean)));
    const week = (i: number, n = 1) => Array.from({ length: 12 }, (_, w) => (w === i ? n : 0));
    expect(nonZero(byStatus)).toEqual({ submitted: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], under_review: week(10), forwarded: week(0), answered: week(11), rejected: week(11) });
    expect(nonZero(byCategory)).toEqual({ land: week(11, 2), environment: week(10), other: week(0), cadres: week(11), economy: week(9) });
    expect(commune.windows.weeks[0]).toEqual({ year: 2026, month: 9, day: 28 });
  });

  it("counts the notices of 90 days the commune's members received, the province's included, and their acknowledgements", () => {
    expect(commune.notices).toEqual({ notices: 2, recipients: 5, reached: 4, acknowledged: 3, rate: 60 });
  });

  it("counts the active members reachable on each channel, those with no chat and those whose chats all fail", () => {
    expect(commune.reach).toEqual({
      members: 12,
      byChannel: [{ channel: "telegram", members: 3 }, { channel: "zalo_bot", members: 1 }, { channel: "zalo_oa", members: 1 }, { channel: "web", members: 1 }],
      noChat: 6,
      unreachable: 1,
    });
    expect(commune.cellCount).toBe(5);
  });
});

describe("the overview of other subtrees", () => {
  it("of one cell counts that cell alone", async () => {
    const cell = await services.overviewReport.report({ path: (await services.overviewReport.organization(ids.village!))!.path, now: NOW });
    expect(cell.cellCount).toBe(1);
    expect(cell.meetings.counts).toEqual({ held: 1, not_held: 0, unmarked: 0, upcoming: 0, no_rule: 0 });
    expect(cell.attendance.total).toEqual({ meetings: 2, present: 7, expected: 10, rate: 70 });
    expect(cell.reach).toMatchObject({ members: 6, noChat: 2, unreachable: 1 });
    expect(cell.feedback.overdue).toBe(3);
    // The commune's notice reached A and B of this cell, the province's A.
    expect(cell.notices).toEqual({ notices: 2, recipients: 3, reached: 3, acknowledged: 2, rate: 67 });
  });

  it("of the province counts both communes, each notice once", async () => {
    const province = await services.overviewReport.report({ path: (await database.prisma.organization.findUniqueOrThrow({ where: { code: "hai-phong" } })).path, now: NOW });
    expect(province.cellCount).toBe(6);
    expect(province.reach.members).toBe(13);
    expect(province.feedback.overdue).toBe(4);
    expect(province.notices).toEqual({ notices: 3, recipients: 7, reached: 6, acknowledged: 4, rate: 57 });
  });

  it("names an organization by id for the console's scope check, and nothing for an unknown id", async () => {
    expect(await services.overviewReport.organization(ids.other!)).toMatchObject({ name: "Đảng ủy xã Khác", level: "base" });
    expect(await services.overviewReport.organization(999_999)).toBeNull();
  });
});

describe("the answers summed once per closed meeting", () => {
  it("gives the same report again from the sums kept", async () => {
    const again = await services.overviewReport.report({ path: (await services.overviewReport.organization(ids.commune!))!.path, now: NOW });
    expect(again).toEqual(commune);
  });

  it("counts an answer recorded during the roll call's correction week in the next report", async () => {
    const path = (await services.overviewReport.organization(ids.village!))!.path;
    const saturday = local("2026-12-12T10:00"); // thôn Đông's meeting of the 7th can still be corrected
    const before = await services.overviewReport.report({ path, now: saturday });
    expect(before.attendance.byMonth.at(-1)).toMatchObject({ month: "2026-12", present: 3 });
    const meeting = await database.prisma.meeting.findFirstOrThrow({ where: { cellId: ids.village!, scheduledAt: local("2026-12-07T19:30") } });
    await services.attendance.record({ meetingId: meeting.id, memberId: ids.E!, answer: "present", source: "secretary", recordedById: ids.A!, now: saturday });
    const after = await services.overviewReport.report({ path, now: saturday });
    expect(after.attendance.byMonth.at(-1)).toMatchObject({ month: "2026-12", present: 4, expected: 5, rate: 80 });
  });
});
