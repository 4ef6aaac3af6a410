import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseQueueFilters, searchPlan, type QueueFilters } from "../../src/domain/feedbackQueue.ts";
import { createTranslator } from "../../src/i18n.ts";
import type { FeedbackViewer } from "../../src/services/feedback.ts";
import { itemsWorkbook } from "../../src/services/feedbackWorkbook.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { DAY, feedbackWorld, LAND, NOW, type FeedbackWorld } from "./feedbackFixture.ts";

let database: TestDatabase;
let world: FeedbackWorld;
beforeEach(async () => {
  database = await freshDatabase();
  world = await feedbackWorld(database.prisma);
});
afterEach(() => database.cleanup());

const t = createTranslator().t("vi");
const console_ = (viewer: FeedbackViewer): FeedbackViewer => ({ ...viewer, via: "console" });
const submit = (authorId: number, change: Record<string, unknown> = {}, now = NOW) =>
  world.feedback.submit({ authorId, anonymous: false, ...LAND, ...change, now });
const filters = (input: Record<string, string> = {}): QueueFilters => parseQueueFilters(input).filters;
const list = (input: Record<string, string> = {}, viewer = world.reviewers.commune, now = NOW) =>
  world.services.feedbackQueue.list(console_(viewer), filters(input), now);
const refs = async (input: Record<string, string> = {}, viewer = world.reviewers.commune) => (await list(input, viewer)).rows.map((r) => r.reference);

/** Four items of Hà Kỳ (village and school cells) and one of Tân Kỳ, on different days. */
async function fiveItems() {
  const a = await submit(world.author.id, { text: "Đường liên thôn Đông bị sạt lở sau mưa." }, new Date(NOW.getTime() - 20 * DAY));
  const b = await submit(world.teacher.id, {
    anonymous: true, category: "health_education", addressee: "party_committee", text: "Trường thiếu phòng học, 50 học sinh một lớp.",
  }, new Date(NOW.getTime() - 3 * DAY));
  const c = await submit(world.author.id, { category: "environment", text: "Rác thải đổ ra kênh." }, new Date(NOW.getTime() - DAY));
  const d = await submit(world.teacher.id, { addressee: "agency", agencyName: "Phòng Giáo dục", text: "Đề nghị sửa mái trường." }, NOW);
  const other = await submit(world.farmer.id, { text: "Đường thôn Bắc hỏng." }, NOW);
  return { a, b, c, d, other };
}

describe("the reviewers' queue", () => {
  it("lists the items of the subtrees the viewer reviews, newest first, and nothing of another commune", async () => {
    const { a, b, c, d, other } = await fiveItems();
    expect(await refs()).toEqual([d, c, b, a].map((i) => i.reference));
    expect(await refs({}, world.reviewers.other)).toEqual([other.reference]);
    expect(await refs({}, world.reviewers.province)).toHaveLength(5);
    expect(await refs({}, await world.viewerOf(world.secretary.id))).toEqual([]);
  });

  it("filters by status, unit, addressee, category, period, overdue, anonymity and assignment", async () => {
    const { a, b, c, d } = await fiveItems();
    await world.feedback.act(c.id, { kind: "review" }, world.reviewers.commune, NOW);
    await world.feedback.act(a.id, { kind: "reject", reason: "Trùng" }, world.reviewers.commune, NOW);
    await world.services.feedbackDesk.assign(d.id, world.reviewers.commune.memberId, world.reviewers.commune, NOW);
    expect(await refs({ status: "under_review" })).toEqual([c.reference]);
    expect(await refs({ status: "open" })).toEqual([d, c, b].map((i) => i.reference));
    expect(await refs({ cell: String(world.school.id) })).toEqual([d, b].map((i) => i.reference));
    expect(await refs({ cell: String(world.commune.id) })).toHaveLength(4);
    // A unit of another commune finds nothing, not that commune's items.
    expect(await refs({ cell: String(world.otherCell.id) })).toEqual([]);
    expect(await refs({ addressee: "agency" })).toEqual([d.reference]);
    expect(await refs({ category: "health_education" })).toEqual([b.reference]);
    // Local days: 22 September 2026 (three days before NOW) alone.
    expect(await refs({ from: "2026-09-22", to: "2026-09-22" })).toEqual([b.reference]);
    expect(await refs({ from: "2026-09-22" })).toEqual([d, c, b].map((i) => i.reference));
    expect(await refs({ anonymous: "1" })).toEqual([b.reference]);
    expect(await refs({ assigned: "me" })).toEqual([d.reference]);
    expect(await refs({ assigned: "none" })).toEqual([c, b, a].map((i) => i.reference));
    // Twenty days on, a's deadline had passed but it is settled; the others are not yet due.
    expect(await refs({ overdue: "1" })).toEqual([]);
    const later = await world.services.feedbackQueue.list(console_(world.reviewers.commune), filters({ overdue: "1" }), new Date(NOW.getTime() + 30 * DAY));
    expect(later.rows.map((r) => r.reference)).toEqual([d, c, b].map((i) => i.reference));
    expect(later.rows.every((r) => r.overdue)).toBe(true);
  });

  it("finds an item by its reference, by its number alone, and by words typed with or without diacritics", async () => {
    const { a, b, c } = await fiveItems();
    expect(await refs({ q: a.reference.toLowerCase() })).toEqual([a.reference]);
    expect(await refs({ q: String(Number(c.reference.slice(-6))) })).toEqual([c.reference]);
    expect(await refs({ q: "sạt lở" })).toEqual([a.reference]);
    // All lower case finds a text that starts with a capital, beyond ASCII too.
    expect(await refs({ q: "đường liên" })).toEqual([a.reference]);
    expect(await refs({ q: "RÁC" })).toEqual([c.reference]);
    // Typed without diacritics, as most people type, in any case: the folded copy of the text finds it.
    expect(await refs({ q: "sat lo" })).toEqual([a.reference]);
    expect(await refs({ q: "DUONG LIEN thon" })).toEqual([a.reference]);
    expect(await refs({ q: "rac thai" })).toEqual([c.reference]);
    // The database's wildcards are not wildcards here.
    expect(await refs({ q: "50%" })).toEqual([b.reference]);
    expect(await refs({ q: "%" })).toEqual([]);
    // Another commune's words are not found.
    expect(await refs({ q: "thôn Bắc" })).toEqual([]);
  });

  it("sorts by date either way and by the nearest due date, fifty to a page", async () => {
    const cell = world.village.id;
    const start = NOW.getTime() - 200 * DAY;
    await database.prisma.feedback.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        reference: `GY-2026-${String(i + 1).padStart(6, "0")}`, topOrganizationId: world.province.id, authorId: world.author.id, cellId: cell,
        addressee: "peoples_committee", category: "land", text: `Góp ý số ${i + 1}`, createdAt: new Date(start + i * DAY),
        // Due dates run backwards, so the nearest due is the newest item; the last ten have none.
        dueAt: i >= 110 ? null : new Date(start + (300 - i) * DAY),
      })),
    });
    const first = await list();
    expect([first.total, first.pageCount, first.page, first.rows.length]).toEqual([120, 3, 1, 50]);
    expect(first.rows[0]!.reference).toBe("GY-2026-000120");
    const last = await list({ page: "3" });
    expect(last.rows.map((r) => r.reference).at(-1)).toBe("GY-2026-000001");
    expect(last.rows).toHaveLength(20);
    expect((await list({ page: "99" })).page).toBe(3);
    expect((await list({ sort: "oldest" })).rows[0]!.reference).toBe("GY-2026-000001");
    const due = await list({ sort: "due", page: "3" });
    expect(due.rows.slice(0, 10).map((r) => r.reference)).toEqual(Array.from({ length: 10 }, (_, i) => `GY-2026-${String(10 - i).padStart(6, "0")}`));
    expect(due.rows.slice(-10).every((r) => r.dueAt === null)).toBe(true);
    expect((await list({ sort: "due" })).rows[0]!.reference).toBe("GY-2026-000110");
  });

  it("names the author of a signed item only, and logs each page shown as read from the console", async () => {
    const a = await submit(world.author.id);
    const b = await submit(world.teacher.id, { anonymous: true });
    const page = await list();
    const signed = page.rows.find((r) => r.id === a.id)!;
    const anonymous = page.rows.find((r) => r.id === b.id)!;
    expect(signed.authorName).toBe("Nguyễn Văn Thành");
    expect(anonymous).toMatchObject({ anonymous: true, authorName: null });
    expect(JSON.stringify(page)).not.toContain("Trần Thị Lan");
    const logged = await database.prisma.auditLog.findMany({ where: { action: "read", subjectType: "Feedback" } });
    expect(logged).toMatchObject([{ actorKind: "console", actorId: world.reviewers.commune.memberId }]);
    expect(logged[0]!.detail).toContain(String(a.id));
    expect(logged[0]!.detail).not.toContain("Thành");
  });

  it("exports the filtered list whole, naming nobody for an anonymous item, and logs the export", async () => {
    const { a, b } = await fiveItems();
    const items = await world.services.feedbackQueue.exportItems(console_(world.reviewers.commune), filters({ q: "phòng học" }), NOW);
    expect(items.map((i) => i.reference)).toEqual([b.reference]);
    const all = await world.services.feedbackQueue.exportItems(console_(world.reviewers.commune), filters({ sort: "oldest" }), NOW);
    expect(all.map((i) => i.reference)[0]).toBe(a.reference);
    expect(all.find((i) => i.reference === b.reference)).toMatchObject({ anonymous: true, authorName: null });
    const workbook = await itemsWorkbook(all, t, NOW);
    const { default: Excel } = await import("exceljs");
    const book = new Excel.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    const rowOf = (reference: string) => sheet.getRows(2, 4)!.find((r) => r.getCell(1).value === reference)!;
    expect(rowOf(b.reference).getCell(4).value).toBe("Ẩn danh");
    expect(rowOf(a.reference).getCell(4).value).toBe("Nguyễn Văn Thành");
    // The same author's signed item names her; her anonymous one does not.
    expect(JSON.stringify(sheet.getSheetValues()).split("Trần Thị Lan")).toHaveLength(2);
    expect(await database.prisma.auditLog.findMany({ where: { action: "export" } })).toMatchObject([
      { actorKind: "console", subjectType: "Feedback", detail: "queue q=…: 1" },
      { actorKind: "console", subjectType: "Feedback", detail: "queue sort=oldest: 4" },
    ]);
  });
});

describe("a province's queue", () => {
  it("asks for thousands of cells by their path, and offers the communes alone as units", async () => {
    const { a, b, c, d, other } = await fiveItems();
    const last = await database.prisma.organization.findFirstOrThrow({ orderBy: { id: "desc" } });
    await database.prisma.organization.createMany({
      data: Array.from({ length: 520 }, (_, i) => ({
        id: last.id + 1 + i, level: "cell", cellKind: "village", name: `Chi bộ số ${i}`, searchName: `chi bo so ${i}`, code: `so-${i}`,
        parentId: world.otherCommune.id, path: `${world.otherCommune.path}${last.id + 1 + i}/`,
      })),
    });
    const province = await world.services.feedbackQueue.page(console_(world.reviewers.province), filters(), NOW);
    expect(province.result.rows.map((r) => r.id)).toEqual([other, d, c, b, a].map((i) => i.id));
    expect(province.result.rows.find((r) => r.id === other.id)).toMatchObject({ cellName: "Chi bộ thôn Bắc", unitKind: "commune" });
    expect(province.choices.units.map((u) => u.name)).toEqual(["Đảng ủy xã Hà Kỳ", "Đảng ủy xã Tân Kỳ"]);
    const inSchool = await world.services.feedbackQueue.list(console_(world.reviewers.province), filters({ cell: String(world.school.id) }), NOW);
    expect(inSchool.rows.map((r) => r.id)).toContain(b.id);
    expect(inSchool.rows.every((r) => r.cellName === "Chi bộ Trường THCS Hà Kỳ")).toBe(true);
  });
});

describe("reading queue filters", () => {
  it("drops values only a changed address makes and reports days a person mistyped", () => {
    expect(parseQueueFilters({ status: "lost", sort: "random", page: "-3", cell: "x", category: "weather", assigned: "them" }).filters)
      .toEqual({
        overdue: false, anonymous: false, sort: "newest", page: 1, status: undefined, cellId: undefined, addressee: undefined,
        category: undefined, from: undefined, to: undefined, assigned: undefined, search: undefined,
      });
    expect(parseQueueFilters({ from: "2026-02-30" }).problems).toEqual([{ key: "badDate" }]);
    const backwards = parseQueueFilters({ from: "2026-09-10", to: "2026-09-01" });
    expect(backwards.problems).toEqual([{ key: "badPeriod" }]);
    expect(backwards.filters.from).toBeUndefined();
  });

  it("reads a reference in any case, a bare number, or words", () => {
    expect(searchPlan("gy-2026-12")).toEqual({ reference: "GY-2026-000012", words: [] });
    expect(searchPlan("GY 12")).toEqual({ referenceNumber: "-000012", words: [] });
    expect(searchPlan("12")).toEqual({ referenceNumber: "-000012", words: [["12"]] });
    expect(searchPlan("Sạt LỞ")).toEqual({ words: [["Sạt LỞ"], ["sạt lở"], ["Sạt lở"]] });
    expect(searchPlan("50%_x")).toEqual({ words: [["50", "x"]] });
    expect(searchPlan("%_")).toEqual({ words: [] });
  });
});
