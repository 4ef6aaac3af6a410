import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { quietHoldOf } from "../../src/delivery/quietHold.ts";
import { startConversationWorld, type ConversationWorld } from "../conversations/harness.ts";

/**
 * Quiet hours on Telegram, end to end: what chibo pushes to members at night waits in the outbox
 * until the morning, unless it tells them their meeting moved or answers someone writing now.
 * The world's cells meet on Monday 7 Dec 2026 at 19:30; Vietnam is UTC+7.
 */
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld("telegram");
});
afterEach(() => w.stop());

const rowsTo = (chatId: string, prefix: string) =>
  w.db.outboxMessage.findMany({ where: { chatId, dedupeKey: { startsWith: prefix } }, orderBy: { id: "asc" } });

async function sendNotice(text: string) {
  await w.say(w.people.secretary, "/thongbao");
  await w.say(w.people.secretary, text);
  const [queued] = await w.press(w.people.secretary, "tb:send");
  expect(queued!.text).toMatch(/^Đã xếp gửi thông báo tới 2 chat của đảng viên/);
}

describe("quiet hours", () => {
  it("holds a notice sent at 22:00 until 06:30, then delivers it", async () => {
    w.clock.set("2026-12-03T15:00:00Z"); // Thursday 3 Dec, 22:00
    await sendNotice("Sáng mai họp chi ủy lúc 7 giờ");
    const [held] = await rowsTo(w.people.member.id, "notice:");
    expect(held).toMatchObject({ status: "queued", nextAttemptAt: new Date("2026-12-03T23:30:00Z") }); // Friday 06:30
    expect(await w.sentTo(w.people.member)).toEqual([]);
    w.clock.set("2026-12-03T23:31:00Z");
    await expect.poll(async () => (await w.sentTo(w.people.member)).map((m) => m.text)).toEqual(["📢 Thông báo của Chi bộ thôn Đông:\nSáng mai họp chi ủy lúc 7 giờ"]);
  });

  it("sends a postponement at 22:00 to the cell's members at once; the committee above hears it in the morning", async () => {
    w.clock.set("2026-12-06T15:00:00Z"); // Sunday 6 Dec, 22:00, the night before the meeting
    await w.say(w.people.secretary, "/doilich");
    await w.press(w.people.secretary, "dl:day:0");
    const [done] = await w.say(w.people.secretary, "Mất điện cả thôn");
    expect(done!.text).toMatch(/^Đã lùi buổi sinh hoạt từ Thứ Hai, 07\/12\/2026 19:30 sang Thứ Ba, 08\/12\/2026 19:30/);
    await expect.poll(async () => (await w.sentTo(w.people.member)).length).toBe(1);
    expect((await w.sentTo(w.people.member))[0]!.text).toContain("lùi từ Thứ Hai, 07/12/2026 19:30 sang Thứ Ba, 08/12/2026 19:30");
    const [superior] = await rowsTo(w.people.reviewerX.id, "postponed-superior:");
    expect(superior).toMatchObject({ status: "queued", nextAttemptAt: new Date("2026-12-06T23:30:00Z") });
  });

  it("answers a member writing at 23:00 at once", async () => {
    w.clock.set("2026-12-03T16:00:00Z"); // 23:00
    const [schedule] = await w.say(w.people.memberB, "/lich");
    expect(schedule!.text).toContain("07/12/2026 19:30");
    const [reply] = await rowsTo(w.people.memberB.id, "reply:");
    expect(reply!.nextAttemptAt.getTime()).toBeLessThanOrEqual(reply!.createdAt.getTime());
  });

  it("holds the summary the after-meeting job plans at 22:31 until 06:30", async () => {
    w.clock.set("2026-12-07T15:31:00Z"); // Monday 7 Dec 22:31, 3 hours after the meeting began
    const report = await w.runScheduler();
    expect(report.ran.filter((r) => r.job === "after-meeting")).toHaveLength(3);
    const summaries = await rowsTo(w.people.secretary.id, "after-meeting:");
    expect(summaries.map((r) => [r.status, r.nextAttemptAt.toISOString()])).toEqual([["queued", "2026-12-07T23:30:00.000Z"]]);
    w.clock.set("2026-12-07T23:30:00Z"); // Tuesday 06:30
    await expect.poll(async () => (await w.sentTo(w.people.secretary)).length).toBe(1);
    expect((await w.sentTo(w.people.secretary))[0]!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Hai, 07\/12\/2026 19:30 — Chi bộ thôn Đông\n/);
  });

  it("follows the hours set on an organization, nearest wins, and none when set to null", async () => {
    const { organizations } = w.services;
    await organizations.setScheduleSettings("ha-ky", { quietHours: { from: "20:00", to: "07:00" } });
    await organizations.setScheduleSettings("tay", { quietHours: null });
    w.clock.set("2026-12-03T14:00:00Z"); // 21:00: quiet in Hà Kỳ, not yet under the default 21:30
    const text = (n: number) => ({ dedupeKey: `test-push:${n}`, channel: "telegram", chatId: String(n), message: { text: "Nhắc việc" } });
    const { member, memberB, memberC } = w.people;
    await w.app.chibo.outbox.enqueue([
      { ...text(1), chatId: member.id, memberId: member.memberId }, // cell A, under Hà Kỳ: 20:00–07:00
      { ...text(2), chatId: memberB.id, memberId: memberB.memberId }, // cell B sets none
      { ...text(3), chatId: memberC.id, memberId: memberC.memberId }, // cell C keeps 21:30–06:30
    ]);
    const at = async (n: number) => (await w.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `test-push:${n}` } })).nextAttemptAt.toISOString();
    // Not held: due when queued (the clock runs on a few milliseconds from where it was set).
    const atOnce = async (n: number, setAt: string) => {
      const late = Date.parse(await at(n)) - Date.parse(setAt);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(60_000);
    };
    expect(await at(1)).toBe("2026-12-04T00:00:00.000Z"); // Friday 07:00
    await atOnce(2, "2026-12-03T14:00:00Z");
    await atOnce(3, "2026-12-03T14:00:00Z");
    // At 23:00 the default holds cell C's too, until 06:30; cell B still has none.
    w.clock.set("2026-12-03T16:00:00Z");
    await w.app.chibo.outbox.enqueue([
      { ...text(4), chatId: memberB.id, memberId: memberB.memberId },
      { ...text(5), chatId: memberC.id, memberId: memberC.memberId },
      { ...text(6), chatId: memberC.id, memberId: memberC.memberId, message: { text: "Lùi họp", urgent: true } },
    ]);
    await atOnce(4, "2026-12-03T16:00:00Z");
    expect(await at(5)).toBe("2026-12-03T23:30:00.000Z");
    await atOnce(6, "2026-12-03T16:00:00Z");
    // The web chat's members are fictional: a trial at night sees everything at once.
    const web = { dedupeKey: "test-push:web", channel: "web", chatId: `web-${memberC.memberId}`, memberId: memberC.memberId, message: { text: "Nhắc việc" } };
    expect(await quietHoldOf(w.db, [web, { ...web, channel: "telegram", chatId: memberC.id }], w.clock.now())).toEqual([null, new Date("2026-12-03T23:30:00Z")]);
  });
});
