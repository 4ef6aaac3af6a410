import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, labelsOf, startConversationWorld, type ConversationWorld } from "../conversations/harness.ts";

let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld("telegram", { env: { SCHEDULER_ENABLED: "true" } });
});
afterEach(() => w.stop());

describe("a reminder in the chat", () => {
  it("arrives through the running scheduler with the buttons, and pressing one records the answer", async () => {
    const scheduler = w.app.chibo.scheduler!;
    expect(scheduler).toBeDefined();
    w.clock.set("2026-12-04T01:05:00Z"); // Friday 4 Dec 08:05: the 3-day reminder of Monday's meeting is due
    const report = await scheduler.runDue();
    expect(report.ran.filter((r) => r.job === "meeting-reminder").length).toBe(3); // cells A, B and C
    await expect.poll(async () => (await w.sentTo(700)).length).toBe(1);
    const reminder = (await w.sentTo(700))[0]!;
    expect(reminder.text).toBe([
      "📅 Nhắc lịch: Chi bộ thôn Đông sinh hoạt thường kỳ Thứ Hai, 07/12/2026 19:30.",
      "Địa điểm: Nhà văn hóa thôn.",
      "Đồng chí có dự không? Chọn một mục dưới đây, hoặc trả lời «có» / «vắng, lý do…».",
    ].join("\n"));
    expect(labelsOf(reminder)).toEqual([["Có mặt", "Vắng"]]);
    const [confirm] = await w.press(w.people.member, buttonsOf(reminder)[0]![0]!);
    expect(confirm!.text).toMatch(/^Đã ghi: đồng chí có mặt/);
    // The secretary learns who cannot be reached (the elder without a phone), once.
    await expect.poll(async () => (await w.sentTo(701)).some((m) => m.text.includes("Lê Văn Chín"))).toBe(true);
    // Running the same moment again queues nothing new.
    expect((await scheduler.runDue()).ran).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await w.sentTo(700)).filter((m) => m.text.startsWith("📅"))).toHaveLength(1);
  });
});
