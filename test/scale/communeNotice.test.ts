import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runningClock } from "../helpers/clock.ts";
import { startDriver, type ChannelDriver } from "../conversations/drivers.ts";
import { waitUntil } from "../helpers/wait.ts";
import { exchange } from "./exchange.ts";
import { buildCommune, insertMembers, memberName, type BulkMember } from "./commune.ts";

/**
 * A commune of 3,001 members (ten village cells of 300, and the commune committee's reviewer) on
 * Telegram: the reviewer sends /thongbao to the whole commune through the real webhook path, and
 * the notice reaches every linked member — far past the ~999 values one SQLite statement binds.
 */
const NOW = "2026-12-03T03:00:00Z";
const CELLS = 10;
const PER_CELL = 300;
const REVIEWER = 1;
/** Members 2..6 blocked the bot; the last member of each cell has no chat. */
const BLOCKED = [2, 3, 4, 5, 6];
const GROUP = 900;

let driver: ChannelDriver;
beforeEach(async () => {
  // Every message here goes to a different chat: lift the bot-wide limit so 3,000 go in seconds.
  driver = await startDriver("telegram", { clock: runningClock(NOW), env: { TELEGRAM_RATE_PER_SECOND: "10000", OUTBOX_CONCURRENCY: "32" } });
});
afterEach(() => driver.stop());

/** What `chat` sees after `act`; when nothing comes, fails with why chibo could not handle it. */
const say = (chat: number, act: () => Promise<void>, count = 1) => exchange(driver, chat, act, count);

describe("a notice to a commune of 3,000 members", () => {
  it("queues one message per linked member and the group, records every recipient, and reports the delivery", async () => {
    const { services, db } = driver.app.chibo;
    const { commune, cells } = await buildCommune(services, CELLS);
    const members: BulkMember[] = [];
    let n = 10;
    for (const [c, cell] of cells.entries()) {
      for (let k = 0; k < PER_CELL; k++) {
        n += 1;
        members.push({ cellId: cell.id, fullName: memberName(c * PER_CELL + k + 1), ...(k === PER_CELL - 1 ? {} : { telegramChat: String(n) }) });
      }
    }
    const chatOf = (i: number) => members[i]!.telegramChat!;
    insertMembers(driver.app.database.file, [
      { cellId: cells[0]!.id, fullName: "Hoàng Văn Xã", telegramChat: String(REVIEWER), roles: [{ role: "reviewer", organizationId: commune.id }] },
      ...members,
    ]);
    for (const i of BLOCKED) driver.blockChat!(Number(chatOf(i)));
    await db.groupChat.create({ data: { channel: "telegram", externalChatId: String(-GROUP), cellId: cells[0]!.id } });

    const [preview] = await say(REVIEWER, () => driver.sendText(REVIEWER, "/thongbao Nộp đảng phí trước ngày 10"));
    expect(preview!.text.split("\n")[0]).toBe("Xem trước thông báo gửi tới Đảng ủy xã Hà Kỳ (3000 đảng viên):");

    const [queued] = await say(REVIEWER, () => driver.press(REVIEWER, "tb:send"));
    expect(queued!.text).toBe("Đã xếp gửi thông báo tới 2990 chat của đảng viên và 1 nhóm chi bộ. 10 đảng viên chưa liên kết chibo nên không nhận được qua đây.");
    const notice = await db.notice.findFirstOrThrow();
    expect(await db.noticeDelivery.count({ where: { noticeId: notice.id } })).toBe(3000);
    expect(await db.noticeDelivery.count({ where: { noticeId: notice.id, status: "no_chat" } })).toBe(10);
    const rows = await db.outboxMessage.findMany({ where: { broadcastId: notice.broadcastId }, select: { chatId: true, isGroup: true } });
    expect(rows).toHaveLength(2991);
    expect(new Set(rows.map((r) => r.chatId))).toEqual(new Set([...members.flatMap((m) => (m.telegramChat ? [m.telegramChat] : [])), String(-GROUP)]));
    expect((await db.broadcast.findUniqueOrThrow({ where: { id: notice.broadcastId! } })).total).toBe(2991);

    await waitUntil(async () => (await db.outboxMessage.count({ where: { broadcastId: notice.broadcastId, status: { in: ["queued", "sending"] } } })) === 0, 60_000, 100);
    const sent = await driver.sentTo(chatOf(0));
    expect(sent.map((m) => m.text)).toEqual(["📢 Thông báo của Đảng ủy xã Hà Kỳ:\nNộp đảng phí trước ngày 10"]);

    const [report] = await say(REVIEWER, () => driver.press(REVIEWER, queued!.buttons[0]![0]!.payload));
    const lines = report!.text.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "Báo cáo gửi thông báo tới Đảng ủy xã Hà Kỳ:",
      "Tổng 2991 tin: đã gửi 2986, đang chờ 0, lỗi 0, không tới được 5.",
      "Đã báo nhận: 0/2990, chưa đồng chí nào bấm «Đã nhận».",
    ]);
    expect(lines[3]).toBe(`Chưa gửi được tới: ${BLOCKED.map((i) => members[i]!.fullName).join(", ")}`);
    expect(lines[4]).toMatch(/^Chưa liên kết chibo \(10\): Nguyễn Văn 0300, Nguyễn Văn 0600, /);

    // Two members press "Đã nhận"; a thousand more did before (written straight to the table).
    for (const i of [0, 1]) {
      const [thanks] = await say(Number(chatOf(i)), () => driver.press(Number(chatOf(i)), `nr:${notice.id}`));
      expect(thanks!.text).toBe("Cảm ơn đồng chí, đã ghi nhận đồng chí nhận được thông báo.");
    }
    const others = await db.noticeDelivery.findMany({ where: { noticeId: notice.id, status: "queued", acknowledgedAt: null }, orderBy: { id: "desc" }, take: 1000, select: { id: true } });
    await db.noticeDelivery.updateMany({ where: { id: { gte: others.at(-1)!.id }, noticeId: notice.id, status: "queued" }, data: { acknowledgedAt: new Date(NOW) } });
    const [again] = await say(REVIEWER, () => driver.press(REVIEWER, queued!.buttons[0]![0]!.payload));
    // Every line keeps its count within one Telegram message; the long list names its first.
    expect([...again!.text].length).toBeLessThanOrEqual(4096);
    const [, counts, acked, problems, notLinked] = again!.text.split("\n");
    expect(counts).toBe("Tổng 2991 tin: đã gửi 2986, đang chờ 0, lỗi 0, không tới được 5.");
    const ackedList = /^Đã báo nhận: 1002\/2990 — (Nguyễn Văn 0001, Nguyễn Văn 0002, .*), và (\d+) đồng chí khác$/.exec(acked!);
    expect(ackedList, acked).not.toBeNull();
    expect(ackedList![1]!.split(", ").length + Number(ackedList![2])).toBe(1002);
    expect(problems).toBe(lines[3]);
    expect(notLinked).toBe(lines[4]);
  }, 180_000);
});
