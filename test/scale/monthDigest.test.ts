import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runningClock } from "../helpers/clock.ts";
import { startDriver, type ChannelDriver } from "../conversations/drivers.ts";
import { exchange } from "./exchange.ts";
import { buildCommune, insertMembers, memberName, type BulkMember } from "./commune.ts";

/**
 * A month of feedback in a commune of ten cells: 5,000 items from 2,500 members (every fifth item
 * anonymous), 300 of them overdue. The commune's reviewer asks /tonghop for this month on
 * Telegram and gets the digest and the .xlsx of every item.
 * Monday 28 Dec 2026, 10:00 in Vietnam; the items are spread over 1–27 December.
 */
const NOW = "2026-12-28T03:00:00Z";
const ITEMS = 5000;
const AUTHORS = 2500;
const OVERDUE = 300;
const REVIEWER = 1;
const DAY_MS = 86_400_000;

let driver: ChannelDriver;
beforeEach(async () => {
  driver = await startDriver("telegram", { clock: runningClock(NOW), env: { TELEGRAM_RATE_PER_SECOND: "10000" } });
});
afterEach(() => driver.stop());

const say = (act: () => Promise<void>, count = 1) => exchange(driver, REVIEWER, act, count);

describe("a month's digest of 5,000 feedback items", () => {
  it("counts every item, lists the overdue ones, and sends every item in the workbook with its signed author", async () => {
    const { services, db } = driver.app.chibo;
    const { province, commune, cells } = await buildCommune(services, 10);
    const authors: BulkMember[] = Array.from({ length: AUTHORS }, (_, i) => ({ cellId: cells[i % cells.length]!.id, fullName: memberName(i + 1) }));
    const authorIds = insertMembers(driver.app.database.file, [
      { cellId: cells[0]!.id, fullName: "Hoàng Văn Xã", telegramChat: String(REVIEWER), roles: [{ role: "reviewer", organizationId: commune.id }] },
      ...authors,
    ]).slice(1);
    const monthStart = Date.parse("2026-11-30T17:00:00Z"); // 1 Dec 00:00 in Vietnam
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const createdAt = new Date(monthStart + Math.floor((i * 27 * DAY_MS) / ITEMS));
      const overdue = i < OVERDUE;
      return {
        reference: `GY-2026-${String(i + 1).padStart(6, "0")}`,
        authorId: authorIds[i % AUTHORS]!,
        topOrganizationId: province.id,
        anonymous: i % 5 === 4,
        cellId: authors[i % AUTHORS]!.cellId,
        addressee: "peoples_committee",
        category: "land",
        text: `Góp ý số ${i + 1}: đường liên thôn cần sửa.`,
        status: i % 3 === 0 && !overdue ? "answered" : "submitted",
        createdAt,
        dueAt: new Date(overdue ? Date.parse(NOW) - DAY_MS : Date.parse(NOW) + 10 * DAY_MS),
      };
    });
    for (let i = 0; i < items.length; i += 500) await db.feedback.createMany({ data: items.slice(i, i + 500) });

    const [digest, file] = await say(() => driver.press(REVIEWER, `th:month:${commune.id}`), 2);
    const lines = digest!.text.split("\n");
    expect(lines[0]).toBe("Tổng hợp phản ánh, góp ý — Đảng ủy xã Hà Kỳ");
    expect(lines).toContain(`Tổng số trong kỳ: ${ITEMS}`);
    expect(lines).toContain(`Quá hạn chưa trả lời (${OVERDUE}):`);
    expect(lines.find((l) => l.startsWith("Theo chi bộ: "))).toMatch(/^Theo chi bộ: Chi bộ thôn \d+ \(500\); /);

    expect(file!.file?.fileName).toBe("gop-y-ha-ky-2026-12-01.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file!.file!.bytes as unknown as ArrayBuffer);
    const rows = workbook.getWorksheet("Danh sách")!.getSheetValues().slice(2) as unknown[][];
    expect(rows).toHaveLength(ITEMS);
    const byReference = new Map(rows.map((row) => [String(row[1]), String(row[4])]));
    // Item 1 is signed by member 1, item 5 anonymous, item 2,502 signed by member 2.
    expect(byReference.get("GY-2026-000001")).toBe(memberName(1));
    expect(byReference.get("GY-2026-000005")).toBe("Ẩn danh");
    expect(byReference.get("GY-2026-002502")).toBe(memberName(2));
    expect([...byReference.values()].filter((name) => name === "Ẩn danh")).toHaveLength(ITEMS / 5);
    expect([...byReference.values()].filter((name) => name.startsWith("Nguyễn Văn "))).toHaveLength(ITEMS - ITEMS / 5);
    expect(workbook.getWorksheet("Quá hạn")!.rowCount).toBe(OVERDUE + 1);
  }, 60_000);
});
