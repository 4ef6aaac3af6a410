import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/domain/errors.ts";
import { createTranslator } from "../../src/i18n.ts";
import { attendanceWorkbook } from "../../src/services/attendanceWorkbook.ts";
import { at, buildMeetingWorld, DEC_7, type MeetingWorld } from "./meetingConsoleFixture.ts";

let w: MeetingWorld;
beforeEach(async () => {
  w = await buildMeetingWorld();
});
afterEach(() => w.database.cleanup());

const t = createTranslator().t("vi");
const DEC_8 = at("2026-12-08T03:00:00Z");

/** A village meeting on the 7th of a 2026 month at 19:30, with the answers given (null: none). */
async function meeting(month: number, status: string, answers: [number, "present" | "absent", string | null][]) {
  const db = w.database.prisma;
  const row = await db.meeting.create({ data: { cellId: w.tree.village.id, scheduledAt: new Date(Date.UTC(2026, month - 1, 7, 12, 30)), status } });
  for (const [memberId, answer, reason] of answers) {
    await db.attendance.create({ data: { meetingId: row.id, memberId, answer, reason, source: "button", answeredAt: row.scheduledAt } });
  }
  return row;
}

describe("the year's attendance", () => {
  it("has a row per member and a column per meeting, and flags three absences without a reason by the absence rule", async () => {
    const [an, binh, cuong] = w.members;
    await w.database.prisma.meeting.create({ data: { cellId: w.tree.village.id, scheduledAt: new Date("2025-12-07T12:30:00Z"), status: "held" } });
    await meeting(1, "held", [[an!.id, "absent", null], [binh!.id, "absent", "Ốm"], [cuong!.id, "present", null]]);
    await meeting(2, "held", [[binh!.id, "absent", "Đi viện"], [cuong!.id, "present", null]]);
    await meeting(3, "held", [[an!.id, "absent", "  "], [binh!.id, "absent", "Con ốm"], [cuong!.id, "present", null]]);
    await meeting(4, "planned", [[cuong!.id, "present", null]]);

    const year = await w.services.meetingConsole.attendanceYear.year({ cellId: w.tree.village.id, year: 2026, viewer: w.reviewer.viewer, now: DEC_8 });
    expect(year.meetings.map((m) => [m.startsAt.toISOString().slice(0, 10), m.held])).toEqual([
      ["2026-01-07", true], ["2026-02-07", true], ["2026-03-07", true], ["2026-04-07", false],
    ]);
    const row = (name: string) => year.rows.find((r) => r.fullName === name)!;
    expect(row("Nguyễn Văn An")).toMatchObject({ marks: ["unexcused", "noAnswer", "unexcused", "noAnswer"], unexcused: 3, flagged: true });
    expect(row("Phạm Thị Bình")).toMatchObject({ marks: ["excused", "excused", "excused", "noAnswer"], excused: 3, unexcused: 0, flagged: false });
    expect(row("Hoàng Văn Cường")).toMatchObject({ present: 4, flagged: false });
    expect(row("Đỗ Văn Dũng")).toMatchObject({ marks: ["exempt", "exempt", "exempt", "exempt"], unexcused: 0 });
    expect(await w.database.prisma.auditLog.count({ where: { action: "export", subjectType: "Attendance", actorKind: "console", actorId: w.reviewer.id } })).toBe(1);

    const Excel = (await import("exceljs")).default;
    const book = new Excel.Workbook();
    await book.xlsx.load((await attendanceWorkbook(year, t)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Điểm danh 2026")!;
    const texts = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? "" : String(v)));
    expect(texts(5)).toEqual(["STT", "Họ và tên", "07/01", "07/02", "07/03", "07/04 (chưa báo họp)", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Cần xem xét"]);
    const anRow = [6, 7, 8, 9, 10, 11].map(texts).find((values) => values[1] === "Nguyễn Văn An")!;
    expect(anRow.slice(2)).toEqual(["K", "?", "K", "?", "0", "0", "3", "Vắng không lý do 3 buổi trong 12 tháng (mức xem xét: 3 buổi)"]);
  });

  it("answers 'not found' for a cell outside the viewer's scope", async () => {
    await expect(w.services.meetingConsole.attendanceYear.year({ cellId: w.other.cell.id, year: 2026, viewer: w.reviewer.viewer, now: DEC_8 }))
      .rejects.toBeInstanceOf(NotFoundError);
    await expect(w.services.meetingConsole.attendanceYear.year({ cellId: w.tree.school.id, year: 2026, viewer: w.secretary.viewer, now: DEC_8 }))
      .rejects.toBeInstanceOf(NotFoundError);
    expect(await w.database.prisma.auditLog.count({ where: { action: "export" } })).toBe(0);
  });
});

describe("the minutes draft", () => {
  it("holds the header, the absences with their reasons, the postponement and the cell's feedback since the last meeting", async () => {
    const db = w.database.prisma;
    const [an, binh, cuong] = w.members;
    await db.meeting.create({ data: { cellId: w.tree.village.id, scheduledAt: new Date("2026-11-07T12:30:00Z"), status: "held" } });
    const feedback = (reference: string, cellId: number, createdAt: string, extra: { authorId?: number; anonymous?: boolean; text: string }) =>
      db.feedback.create({ data: { reference, topOrganizationId: w.tree.province.id, cellId, addressee: "peoples_committee", category: "land", createdAt: new Date(createdAt), status: "answered", ...extra } });
    await feedback("GY-2026-000010", w.tree.village.id, "2026-10-20T02:00:00Z", { authorId: binh!.id, text: "Trước kỳ họp trước" });
    await feedback("GY-2026-000011", w.tree.village.id, "2026-11-20T02:00:00Z", { authorId: binh!.id, text: "Đường liên thôn bị hỏng nặng" });
    await feedback("GY-2026-000012", w.tree.village.id, "2026-11-25T02:00:00Z", { authorId: cuong!.id, anonymous: true, text: "Cán bộ thôn thu tiền sai" });
    await feedback("GY-2026-000013", w.tree.school.id, "2026-11-26T02:00:00Z", { text: "Chi bộ khác" });
    const meetingId = await w.services.meetingConsole.view.open({ cellId: w.tree.village.id, date: "2026-12-07", viewer: w.secretary.viewer });
    await w.services.attendance.record({ meetingId, memberId: an!.id, answer: "absent", reason: "Đi công tác tỉnh", source: "button", now: at("2026-12-05T01:00:00Z") });
    for (const m of [binh!, cuong!]) await w.services.attendance.record({ meetingId, memberId: m.id, answer: "present", source: "button", now: at("2026-12-05T01:00:00Z") });
    await w.services.meetingConsole.record.postpone({ meetingId, date: "2026-12-09", time: "19:30", reason: "Trùng lịch bầu cử thôn", viewer: w.secretary.viewer, now: DEC_8 });

    const { fileName, body } = await w.services.meetingConsole.minutes.draft({ meetingId, viewer: w.secretary.viewer, now: DEC_8, t });
    expect(fileName).toBe("bien-ban-thon-dong-2026-12.docx");
    const xml = await (await JSZip.loadAsync(body)).file("word/document.xml")!.async("string");
    const text = xml.replace(/<[^>]+>/g, "");
    for (const expected of [
      "ĐẢNG ỦY XÃ HÀ KỲ", "CHI BỘ THÔN ĐÔNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Kỳ, ngày 09 tháng 12 năm 2026", "BIÊN BẢN SINH HOẠT CHI BỘ",
      "19 giờ 30 phút, Thứ Tư ngày 09 tháng 12 năm 2026", "Nhà văn hóa thôn",
      "Buổi sinh hoạt được lùi từ 07/12/2026 19:30 sang 09/12/2026 19:30. Lý do: Trùng lịch bầu cử thôn",
      "Tổng số đảng viên của chi bộ: 5; miễn sinh hoạt: 1; phải có mặt: 4.",
      "Đồng chí Nguyễn Văn An: Đi công tác tỉnh", "Đỗ Văn Dũng",
      "đã gửi 2 phản ánh, góp ý qua chibo", "GY-2026-000011", "GY-2026-000012", "Đất đai", "Ủy ban nhân dân xã", "Đã trả lời",
      "Chủ trì: đồng chí", "THƯ KÝ", "CHỦ TRÌ",
    ]) expect(text, expected).toContain(expected);
    // Before the last meeting, another cell's, and nobody's words or names with their feedback.
    for (const absent of ["GY-2026-000010", "GY-2026-000013", "Đường liên thôn", "thu tiền sai", "Hoàng Văn Cường"]) expect(text, absent).not.toContain(absent);
    expect(await db.auditLog.count({ where: { action: "export", subjectType: "Meeting", subjectId: String(meetingId), actorId: w.secretary.id } })).toBe(1);
  });

  it("answers 'not found' for another commune's meeting", async () => {
    const foreign = await w.database.prisma.meeting.create({ data: { cellId: w.other.cell.id, scheduledAt: DEC_7 } });
    await expect(w.services.meetingConsole.minutes.draft({ meetingId: foreign.id, viewer: w.reviewer.viewer, now: DEC_8, t })).rejects.toBeInstanceOf(NotFoundError);
  });
});
