import { feedbackDueAt } from "../../src/domain/feedback.ts";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromLocal } from "../../src/domain/localTime.ts";
import { createTranslator } from "../../src/i18n.ts";
import { digestFileName, thisWeek } from "../../src/services/feedback.ts";
import { excelLocal } from "../../src/services/feedbackWorkbook.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { DAY, feedbackWorld, LAND, NOW, type FeedbackWorld } from "./feedbackFixture.ts";

let database: TestDatabase;
let world: FeedbackWorld;
const WEEK = thisWeek(NOW); // Monday 21 to Monday 28 September 2026, Vietnam time
const local = (day: number, hour: number, month = 9) => fromLocal({ year: 2026, month, day, hour, minute: 0 });
const LONG_TEXT = "Đề nghị xã kiểm tra việc đổ trộm rác thải xây dựng ven đê sông Thái Bình, gần cống thôn Đông, đã kéo dài nhiều tháng nay.";
const SYSTEM = { kind: "system" };

let ids: Record<string, number>;
beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
  const submit = async (authorId: number, at: Date, change: Record<string, unknown> = {}) =>
    (await world.feedback.submit({ authorId, anonymous: false, ...LAND, ...change, now: at })).id;
  ids = {
    // Before the week: still open past its due date, and one answered in time.
    oldOpen: await submit(world.author.id, local(1, 9), { text: "Cầu tràn thôn Đông xuống cấp." }),
    oldAnswered: await submit(world.author.id, local(2, 9)),
    // In the week.
    anonymous: await submit(world.author.id, local(21, 8), { anonymous: true, category: "environment", addressee: "fatherland_front", text: LONG_TEXT }),
    school: await submit(world.teacher.id, local(22, 15), { category: "health_education", addressee: "agency", agencyName: "Phòng Giáo dục và Đào tạo" }),
    otherCommune: await submit(world.farmer.id, local(23, 10)),
  };
  for (let i = 0; i < 10; i += 1) await submit(world.author.id, local(24, 8 + i), { category: "economy", text: `Kiến nghị số ${i + 1} về giá vật tư nông nghiệp` });
  await world.feedback.act(ids.oldAnswered!, { kind: "answer", text: "Đã trả lời." }, world.reviewers.commune, local(3, 9));
  await world.feedback.act(ids.anonymous!, { kind: "review" }, world.reviewers.commune, NOW);
  await world.feedback.act(ids.school!, { kind: "answer", text: "Phòng Giáo dục sẽ sửa mái trường trong tháng 10." }, world.reviewers.commune, NOW);
});
afterEach(() => database.cleanup());

describe("the feedback digest of a subtree", () => {
  it("counts the week's items by status, addressee and cell, for the commune only", async () => {
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    expect(digest.total).toBe(12);
    expect(digest.byStatus).toEqual({ submitted: 10, under_review: 1, forwarded: 0, answered: 1, closed: 0, rejected: 0 });
    expect(digest.byAddressee).toEqual([
      { key: "peoples_committee", name: null, count: 10 },
      { key: "fatherland_front", name: null, count: 1 },
      { key: "agency", name: null, count: 1 },
    ]);
    expect(digest.unitKind).toBe("commune");
    expect(digest.byCell).toEqual([
      { cellId: world.village.id, cellName: "Chi bộ thôn Đông", count: 11 },
      { cellId: world.school.id, cellName: "Chi bộ Trường THCS Hà Kỳ", count: 1 },
    ]);
    const province = await world.feedback.digest({ orgId: world.province.id, ...WEEK, now: NOW });
    expect(province.total).toBe(13);
    expect(province.byCell.map((c) => c.cellName)).toContain("Chi bộ thôn Bắc");
  });

  it("lists open items past their due date whenever they came in, and not answered ones", async () => {
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    expect(digest.overdue.map((i) => [i.reference, i.cellName, i.excerpt])).toEqual([["GY-2026-000001", "Chi bộ thôn Đông", "Cầu tràn thôn Đông xuống cấp."]]);
    const later = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: new Date(local(21, 8).getTime() + 16 * DAY) });
    expect(later.overdue.map((i) => i.reference)).toEqual(["GY-2026-000001", "GY-2026-000003"]);
  });

  it("shows the ten newest items with their cell and the first 80 characters, and no author at all", async () => {
    const week = { from: local(21, 0), to: local(24, 12) };
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...week, now: NOW });
    expect(digest.newest).toHaveLength(6);
    expect(digest.newest.map((i) => i.reference).slice(0, 2)).toEqual(["GY-2026-000009", "GY-2026-000008"]);
    const full = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    expect(full.newest).toHaveLength(10);
    expect(full.newest[0]).toMatchObject({ reference: "GY-2026-000015", cellName: "Chi bộ thôn Đông", category: "economy", status: "submitted" });
    const anonymous = (await world.feedback.digest({ orgId: world.commune.id, from: local(21, 0), to: local(22, 0), now: NOW })).newest[0]!;
    expect(anonymous).toMatchObject({ reference: "GY-2026-000003", status: "under_review", excerpt: `${[...LONG_TEXT].slice(0, 80).join("")}…` });
    const shown = JSON.stringify(full);
    for (const name of ["Nguyễn Văn Thành", "Trần Thị Lan", "author"]) expect(shown).not.toContain(name);
  });
});

describe("the digest workbook", () => {
  async function workbookFor(language: "vi" | "en") {
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    const items = await world.feedback.digestItems({ orgId: world.commune.id, ...WEEK, now: NOW, actor: SYSTEM });
    const bytes = await world.feedback.digestWorkbook(digest, items, createTranslator().t(language));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    return { workbook, digest, bytes };
  }
  const rowsOf = (sheet: ExcelJS.Worksheet | undefined) => {
    const rows: ExcelJS.CellValue[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
    return rows;
  };

  it("has a summary of counts and one row per item of the week, read back from the file", async () => {
    const { workbook, digest } = await workbookFor("vi");
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Tổng hợp", "Danh sách", "Quá hạn"]);
    const summary = rowsOf(workbook.getWorksheet("Tổng hợp"));
    expect(summary[0]).toEqual(["Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ"]);
    expect(summary[1]).toEqual(["Từ ngày 21/09/2026 đến ngày 27/09/2026"]);
    expect(summary).toContainEqual(["Tổng số phản ánh, góp ý trong kỳ", 12]);
    expect(summary).toContainEqual(["Quá hạn chưa trả lời", 1]);
    expect(summary).toContainEqual(["Đang xem xét", 1]);
    expect(summary).toContainEqual(["Cơ quan, đoàn thể", 1]);
    expect(summary).toContainEqual(["Chi bộ thôn Đông", 11]);

    const items = rowsOf(workbook.getWorksheet("Danh sách"));
    expect(items[0]).toEqual(["Số", "Ngày gửi", "Chi bộ", "Người gửi", "Nơi nhận", "Lĩnh vực", "Trạng thái", "Hạn trả lời", "Nội dung", "Trả lời", "Ảnh"]);
    expect(items).toHaveLength(1 + digest.total);
    const school = items.find((row) => row[0] === "GY-2026-000004")!;
    expect(school).toEqual([
      "GY-2026-000004", excelLocal(local(22, 15)), "Chi bộ Trường THCS Hà Kỳ", "Trần Thị Lan", "Cơ quan, đoàn thể: Phòng Giáo dục và Đào tạo",
      "Y tế, giáo dục", "Đã trả lời", excelLocal(feedbackDueAt(local(22, 15), 10)), LAND.text, "Phòng Giáo dục sẽ sửa mái trường trong tháng 10.",
    ]);
    expect(rowsOf(workbook.getWorksheet("Quá hạn")).map((row) => row[0])).toEqual(["Số", "GY-2026-000001"]);
  });

  it("says which items came with a photo and how to see it, without putting the photo or a link in the file", async () => {
    await database.prisma.feedback.update({ where: { id: ids.school! }, data: { photoRef: `photo:${"a".repeat(64)}.jpg` } });
    const { workbook } = await workbookFor("vi");
    const rows = rowsOf(workbook.getWorksheet("Danh sách"));
    expect(rows.find((row) => row[0] === "GY-2026-000004")?.[10]).toBe("Có ảnh kèm: gửi «/xem GY-2026-000004» cho chibo để xem");
    expect(rows.filter((row) => row[10] !== undefined).map((row) => row[0])).toEqual(["Số", "GY-2026-000004"]);
    const everything = JSON.stringify(workbook.worksheets.map((sheet) => rowsOf(sheet)));
    expect(everything).not.toMatch(/photo:|\/photos\//);
  });

  it("writes «Ẩn danh» for an anonymous item and its author's name nowhere in the file", async () => {
    const { workbook, bytes } = await workbookFor("vi");
    const rows = rowsOf(workbook.getWorksheet("Danh sách"));
    const anonymous = rows.find((row) => row[0] === "GY-2026-000003")!;
    expect(anonymous[3]).toBe("Ẩn danh");
    expect(anonymous[8]).toBe(LONG_TEXT);
    // The author also wrote signed items this week, so the name appears, but only on those rows.
    const named = rows.filter((row) => row.includes("Nguyễn Văn Thành")).map((row) => row[0]);
    expect(named).toHaveLength(10);
    expect(named).not.toContain("GY-2026-000003");
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
  });

  it("speaks English when asked, with «Anonymous»", async () => {
    const { workbook } = await workbookFor("en");
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Summary", "Items", "Overdue"]);
    const anonymous = rowsOf(workbook.getWorksheet("Items")).find((row) => row[0] === "GY-2026-000003")!;
    expect(anonymous.slice(3, 7)).toEqual(["Anonymous", "Fatherland Front committee of the commune", "Environment", "Under review"]);
  });

  it("names no author when only anonymous items came in, and logs the export without them", async () => {
    const week = { from: local(21, 0), to: local(22, 0) };
    const items = await world.feedback.digestItems({ orgId: world.commune.id, ...week, now: NOW, actor: SYSTEM });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ anonymous: true, authorName: null });
    expect(JSON.stringify(items)).not.toContain("Nguyễn Văn Thành");
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...week, now: NOW });
    const bytes = await world.feedback.digestWorkbook(digest, items, createTranslator().t("vi"));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const everything = JSON.stringify(workbook.worksheets.map((sheet) => rowsOf(sheet)));
    expect(everything).not.toContain("Nguyễn Văn Thành");
    expect(everything).toContain("Ẩn danh");

    const exports = await database.prisma.auditLog.findMany({ where: { action: "export" } });
    expect(exports.at(-1)).toMatchObject({ actorKind: "system", actorId: null, subjectType: "Feedback", detail: "digest ha-ky: 1" });
    expect(JSON.stringify(await database.prisma.auditLog.findMany())).not.toContain("Nguyễn Văn Thành");
  });

  it("still writes «Ẩn danh» if a caller passes a name for an anonymous item", async () => {
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    const items = (await world.feedback.digestItems({ orgId: world.commune.id, ...WEEK, now: NOW, actor: SYSTEM }))
      .map((item) => ({ ...item, authorName: "Nguyễn Văn Thành" }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await world.feedback.digestWorkbook(digest, items, createTranslator().t("vi"))) as unknown as ExcelJS.Buffer);
    expect(rowsOf(workbook.getWorksheet("Danh sách")).find((row) => row[0] === "GY-2026-000003")?.[3]).toBe("Ẩn danh");
  });

  it("names the file after the organization and the week", async () => {
    const digest = await world.feedback.digest({ orgId: world.commune.id, ...WEEK, now: NOW });
    expect(digestFileName(digest)).toBe("gop-y-ha-ky-2026-09-21.xlsx");
  });
});
