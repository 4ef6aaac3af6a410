import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { foldFeedbackSearchText } from "../../src/services/feedbackSearchText.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

describe("feedback text folded for search", () => {
  it("folds every item stored without it, in batches, and leaves folded ones alone", async () => {
    const db = database.prisma;
    const { village, province } = await buildSmallTree(buildServices(db));
    const item = (n: number, text: string, searchText = "") => db.feedback.create({ data: {
      reference: `GY-2026-${String(n).padStart(6, "0")}`, topOrganizationId: province.id, cellId: village.id, addressee: "peoples_committee",
      category: "environment", text, searchText,
    } });
    for (let n = 1; n <= 1_203; n++) await item(n, `Sạt lở bờ kênh đoạn ${n}`);
    await item(2_000, "Đường hỏng", "da gap tu truoc");
    expect(await foldFeedbackSearchText(db)).toBe(1_203);
    expect((await db.feedback.findFirstOrThrow({ where: { reference: "GY-2026-000007" } })).searchText).toBe("sat lo bo kenh doan 7");
    expect((await db.feedback.findFirstOrThrow({ where: { reference: "GY-2026-002000" } })).searchText).toBe("da gap tu truoc");
    expect(await foldFeedbackSearchText(db)).toBe(0);
  });
});
