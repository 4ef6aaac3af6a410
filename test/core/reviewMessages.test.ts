import { describe, expect, it } from "vitest";
import { digestMessage, periodOf } from "../../src/core/features/reviewMessages.ts";
import type { DigestItem, FeedbackDigest } from "../../src/domain/feedbackDigest.ts";
import { createTranslator } from "../../src/i18n.ts";

const t = createTranslator().t("vi");

describe("the digest in the chat", () => {
  it("periods are Vietnam-time weeks (Monday to Sunday) and months", () => {
    const now = new Date("2026-12-06T18:30:00Z"); // Monday 7 Dec, 01:30 in Vietnam
    expect(periodOf("week", now)).toEqual({ from: new Date("2026-12-06T17:00:00Z"), to: new Date("2026-12-13T17:00:00Z") });
    expect(periodOf("lastweek", now)).toEqual({ from: new Date("2026-11-29T17:00:00Z"), to: new Date("2026-12-06T17:00:00Z") });
    expect(periodOf("month", new Date("2026-12-31T17:30:00Z"))).toEqual({ from: new Date("2026-12-31T17:00:00Z"), to: new Date("2027-01-31T17:00:00Z") });
  });

  it("stays within one Telegram message however long the names are, listing fewer items", () => {
    const longName = `Chi bộ ${"Tổ dân phố số 12 khu tái định cư ".repeat(3)}`;
    const item = (id: number): DigestItem => ({
      id, reference: `GY-2026-${String(id).padStart(6, "0")}`, cellName: longName, category: "health_education", addressee: "agency",
      status: "under_review", createdAt: new Date("2026-12-01T02:00:00Z"), dueAt: new Date("2026-11-20T02:00:00Z"), excerpt: `${"x".repeat(80)}…`,
    });
    const digest: FeedbackDigest = {
      organization: { id: 1, code: "hai-phong", name: "Thành ủy Hải Phòng" },
      period: { from: new Date("2026-11-29T17:00:00Z"), to: new Date("2026-12-06T17:00:00Z") },
      now: new Date("2026-12-03T03:00:00Z"),
      total: 300,
      byStatus: { submitted: 100, under_review: 200, forwarded: 0, answered: 0, closed: 0, rejected: 0 },
      byAddressee: [{ key: "agency", name: null, count: 100 }, { key: "party_committee", name: null, count: 50 }, { key: "peoples_council", name: null, count: 50 }, { key: "peoples_committee", name: null, count: 50 }, { key: "fatherland_front", name: null, count: 50 }],
      unitKind: null,
      byCell: Array.from({ length: 40 }, (_, i) => ({ cellId: i + 1, cellName: `${longName}${i}`, count: 300 - i })),
      overdue: Array.from({ length: 30 }, (_, i) => item(100 + i)),
      newest: Array.from({ length: 10 }, (_, i) => item(i + 1)),
    };
    const message = digestMessage(t, digest, "week");
    expect(message.text.length).toBeLessThanOrEqual(3900);
    expect(message.text).toContain("và 30 chi bộ khác (xem tệp Excel)");
    expect(message.text).toContain("… và 25 góp ý quá hạn khác (xem tệp Excel).");
    const shownNewest = message.text.split("\n").filter((line) => line.startsWith("• GY-2026-00000") || line.startsWith("• GY-2026-000010"));
    expect(shownNewest.length).toBeGreaterThan(0);
    expect(shownNewest.length).toBeLessThan(10);
    // One button per item listed, then the periods.
    expect(message.buttons!.flat().filter((b) => b.payload.startsWith("rv:o:"))).toHaveLength(shownNewest.length + 5);
    expect(message.buttons!.at(-1)!.map((b) => b.label)).toEqual(["Tuần trước", "Tháng này"]);
  });
});
