import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotAllowedError, NotFoundError } from "../../src/domain/errors.ts";
import { CALENDAR_CELLS_PER_PAGE } from "../../src/services/meetingMonth.ts";
import { at, buildMeetingWorld, DEC_7, type MeetingWorld } from "./meetingConsoleFixture.ts";

let w: MeetingWorld;
beforeEach(async () => {
  w = await buildMeetingWorld();
});
afterEach(() => w.database.cleanup());

// 8 December 2026 10:00 in Vietnam: the village met yesterday evening; its roll call is open.
const DEC_8 = at("2026-12-08T03:00:00Z");
const meetingRow = () => w.database.prisma.meeting.findFirst({ where: { cellId: w.tree.village.id } });
const openDec7 = () => w.services.meetingConsole.view.open({ cellId: w.tree.village.id, date: "2026-12-07", viewer: w.secretary.viewer });

describe("the month's calendar", () => {
  it("lists each cell's meetings of the month in the viewer's subtree, with status and answers so far", async () => {
    const calendar = w.services.meetingConsole.calendar;
    const commune = await calendar.month({ scopePaths: [w.tree.commune.path], year: 2026, month: 12, page: 1, now: DEC_8 });
    expect(commune.cells.map((c) => [c.name, c.entries.map((e) => [e.startsAt.toISOString(), e.status])])).toEqual([
      ["Chi bộ thôn Đông", [["2026-12-07T12:30:00.000Z", "unreported"]]],
      ["Chi bộ Trường THCS Hà Kỳ", [["2026-12-03T09:30:00.000Z", "unreported"]]], // the first Thursday
    ]);
    expect(commune.cells[0]!.members).toBe(5);
    expect(commune.cells[0]!.entries[0]).toMatchObject({ meetingId: null, place: "Nhà văn hóa thôn", present: 0 });

    const meetingId = await openDec7();
    await w.services.attendance.record({ meetingId, memberId: w.members[0]!.id, answer: "present", source: "button", now: at("2026-12-06T01:00:00Z") });
    await w.services.attendance.record({ meetingId, memberId: w.members[1]!.id, answer: "absent", reason: "Ốm", source: "button", now: at("2026-12-06T01:00:00Z") });
    const cell = await calendar.month({ scopePaths: [w.tree.village.path], year: 2026, month: 12, page: 1, now: DEC_8 });
    expect(cell.cells.map((c) => c.name)).toEqual(["Chi bộ thôn Đông"]);
    expect(cell.cells[0]!.entries[0]).toMatchObject({ meetingId, present: 1, absent: 1 });
    // Another commune's cells never show, and a month ahead is planned.
    const january = await calendar.month({ scopePaths: [w.tree.commune.path], year: 2027, month: 1, page: 1, now: DEC_8 });
    expect(january.cells.flatMap((c) => c.entries.map((e) => e.status))).toEqual(["planned", "planned"]);
    expect(january.cells.map((c) => c.name)).not.toContain("Chi bộ thôn Bắc");
  });

  it("shows a postponed meeting with its reason, filters by status and pages by cell", async () => {
    const meetingId = await openDec7();
    await w.services.meetingConsole.record.postpone({ meetingId, date: "2026-12-09", time: "19:30", reason: "Trùng lịch bầu cử thôn", viewer: w.secretary.viewer, now: DEC_8 });
    const calendar = w.services.meetingConsole.calendar;
    const moved = await calendar.month({ scopePaths: [w.tree.commune.path], year: 2026, month: 12, status: "postponed", page: 1, now: DEC_8 });
    expect(moved.cells.map((c) => c.entries.map((e) => [e.startsAt.toISOString(), e.postponeReason]))).toEqual([[["2026-12-09T12:30:00.000Z", "Trùng lịch bầu cử thôn"]]]);
    const held = await calendar.month({ scopePaths: [w.tree.commune.path], year: 2026, month: 12, status: "held", page: 1, now: DEC_8 });
    expect(held.cellCount).toBe(0);

    for (let i = 0; i < CALENDAR_CELLS_PER_PAGE; i++) {
      await w.services.organizations.add({ level: "cell", name: `Chi bộ tổ ${String(i).padStart(2, "0")}`, code: `to-${i}`, parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 15, time: "19:00" } });
    }
    await w.services.organizations.add({ level: "cell", name: "Chi bộ chưa có lịch", code: "chua-lich", parentCode: "ha-ky", cellKind: "village" });
    const second = await calendar.month({ scopePaths: [w.tree.commune.path], year: 2026, month: 12, page: 2, now: DEC_8 });
    expect(second).toMatchObject({ cellCount: CALENDAR_CELLS_PER_PAGE + 2, page: 2, pageCount: 2 });
    // In Vietnamese order: thôn, tổ 00…39, Trường; the first page holds 40 cells.
    expect(second.cells.map((c) => c.name)).toEqual(["Chi bộ tổ 39", "Chi bộ Trường THCS Hà Kỳ"]);
    expect(second.withoutRule.map((c) => c.name)).toEqual(["Chi bộ chưa có lịch"]);
  });
});

describe("one meeting", () => {
  it("shows the roll call, logs the read for the viewer, and offers the leader what they may still do", async () => {
    const meetingId = await openDec7();
    const detail = await w.services.meetingConsole.view.detail({ meetingId, viewer: w.secretary.viewer, now: DEC_8 });
    expect(detail).toMatchObject({ phase: "correcting", status: "unreported", canManage: true, mayAnswerHeld: true, postpone: { open: true, maxDays: 2 } });
    expect(detail.postpone?.latestDay).toEqual({ year: 2026, month: 12, day: 9 });
    expect(detail.roster.exempt.map((m) => m.fullName)).toEqual(["Đỗ Văn Dũng"]);
    expect(detail.roster.pending).toHaveLength(4);
    expect(await w.database.prisma.auditLog.count({ where: { action: "read", subjectType: "Roster", actorKind: "console", actorId: w.secretary.id } })).toBe(1);

    const seen = await w.services.meetingConsole.view.detail({ meetingId, viewer: w.reviewer.viewer, now: DEC_8 });
    expect(seen).toMatchObject({ canManage: false, mayAnswerHeld: false, postpone: null });
  });

  it("answers 'not found' for another commune's meeting, and for a day that is not a regular one", async () => {
    const foreign = await w.database.prisma.meeting.create({ data: { cellId: w.other.cell.id, scheduledAt: DEC_7 } });
    await expect(w.services.meetingConsole.view.detail({ meetingId: foreign.id, viewer: w.reviewer.viewer, now: DEC_8 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.services.meetingConsole.view.open({ cellId: w.other.cell.id, date: "2026-12-07", viewer: w.secretary.viewer })).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.services.meetingConsole.view.open({ cellId: w.tree.village.id, date: "2026-12-08", viewer: w.secretary.viewer })).rejects.toBeInstanceOf(NotFoundError);
    expect(await w.database.prisma.meeting.count({ where: { cellId: w.tree.village.id } })).toBe(0);
  });
});

describe("the leaders' changes", () => {
  it("corrects the roll call only from the start until it is final, with the chat's own refusal after", async () => {
    const meetingId = await openDec7();
    const [an] = w.members;
    const correct = (now: Date, viewer = w.secretary.viewer) =>
      w.services.meetingConsole.record.correct({ meetingId, memberId: an!.id, answer: "absent", reason: "Đi công tác", viewer, now });
    await expect(correct(at("2026-12-07T12:00:00Z"))).rejects.toMatchObject({ code: "consoleMeetings:correctionNotOpen" });
    await correct(DEC_8);
    expect(await w.database.prisma.attendance.findFirstOrThrow({ where: { meetingId, memberId: an!.id } })).toMatchObject({ answer: "absent", reason: "Đi công tác", source: "secretary", recordedById: w.secretary.id });
    await expect(correct(at("2026-12-14T12:30:00Z"))).rejects.toMatchObject({ code: "meeting:rollCallClosed" });
    await expect(correct(DEC_8, w.reviewer.viewer)).rejects.toBeInstanceOf(NotAllowedError);
    // The secretary's own attendance after the start is another officer's to record.
    await expect(w.services.meetingConsole.record.correct({ meetingId, memberId: w.secretary.id, answer: "present", viewer: w.secretary.viewer, now: DEC_8 }))
      .rejects.toMatchObject({ code: "meeting:ownRollCall" });
  });

  it("postpones through /doilich's rule: later, within the limit, with a reason, the committee above told", async () => {
    const meetingId = await openDec7();
    const postpone = (date: string, reason: string, viewer = w.secretary.viewer) =>
      w.services.meetingConsole.record.postpone({ meetingId, date, time: "19:30", reason, viewer, now: DEC_8 });
    await expect(postpone("2026-12-10", "Mưa bão")).rejects.toMatchObject({ code: "schedule:postponeTooLate", params: { maxDays: 2, latestDate: "09/12/2026" } });
    await expect(postpone("2026-12-09", "   ")).rejects.toMatchObject({ code: "schedule:postponeReasonRequired" });
    await expect(postpone("2026-12-09", "Mưa bão", w.reviewer.viewer)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(postpone("9/12/2026", "Mưa bão")).rejects.toMatchObject({ code: "meeting:invalidDate" });
    expect(await meetingRow()).toMatchObject({ postponedTo: null, postponeReason: null });

    const moved = await postpone("2026-12-09", "Mưa bão");
    expect(moved.superiorTold).toBe(1);
    expect(await meetingRow()).toMatchObject({ postponedTo: at("2026-12-09T12:30:00Z"), postponeReason: "Mưa bão", postponedById: w.secretary.id });
    expect(await w.database.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: `postponed-superior:${meetingId}:` }, chatId: "900" } })).toBe(1);
    expect(await w.database.prisma.auditLog.findFirst({ where: { subjectType: "Meeting", subjectId: String(meetingId), actorKind: "console" } })).toMatchObject({ action: "update" });
  });

  it("refuses to move a meeting of another commune, and changes nothing there", async () => {
    const foreign = await w.database.prisma.meeting.create({ data: { cellId: w.other.cell.id, scheduledAt: DEC_7 } });
    await expect(w.services.meetingConsole.record.postpone({ meetingId: foreign.id, date: "2026-12-09", time: "19:30", reason: "x", viewer: w.secretary.viewer, now: DEC_8 }))
      .rejects.toBeInstanceOf(NotFoundError);
    await expect(w.services.meetingConsole.record.answerHeld({ meetingId: foreign.id, held: true, viewer: w.secretary.viewer, now: DEC_8 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await w.database.prisma.meeting.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ status: "planned", postponedTo: null });
  });

  it("marks held after the start; 'not held' points to the postponement while it is open and is recorded after", async () => {
    const meetingId = await openDec7();
    const answer = (held: boolean, now: Date) => w.services.meetingConsole.record.answerHeld({ meetingId, held, viewer: w.secretary.viewer, now });
    await expect(answer(true, at("2026-12-07T10:00:00Z"))).rejects.toMatchObject({ code: "consoleMeetings:notStarted" });
    expect(await answer(false, DEC_8)).toEqual({ kind: "mayPostpone" });
    expect((await meetingRow())?.status).toBe("planned");
    expect(await answer(false, at("2026-12-10T03:00:00Z"))).toEqual({ kind: "notHeld" });
    expect((await meetingRow())?.status).toBe("not_held");
    // A late report that it was held after all is taken.
    expect(await answer(true, at("2026-12-10T04:00:00Z"))).toEqual({ kind: "held" });
    expect(await meetingRow()).toMatchObject({ status: "held", heldAt: DEC_7 });
    expect(await answer(true, at("2026-12-10T05:00:00Z"))).toEqual({ kind: "alreadyHeld" });
    await expect(w.services.meetingConsole.record.postpone({ meetingId, date: "2026-12-09", time: "19:30", reason: "x", viewer: w.secretary.viewer, now: DEC_8 }))
      .rejects.toMatchObject({ code: "consoleMeetings:heldNotMoved" });
  });
});
