import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker, type Transport } from "../../src/delivery/outboxWorker.ts";
import { DeliveryError } from "../../src/delivery/retryPolicy.ts";
import { chatsOfMembers, preferredChats } from "../../src/services/recipients.ts";
import { runningClock } from "../helpers/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

/** 10:00 in Vietnam, running: pushes to members are not held by the quiet hours, whenever the suite runs. */
const daytime = runningClock("2026-12-03T03:00:00Z");

const LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };
const RETRY = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };

let database: TestDatabase;
let worker: OutboxWorker | undefined;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await database.cleanup();
});

/** A member of a cell with chats on the given channels, linked one minute apart in that order. */
async function memberWith(channels: string[]) {
  const db = database.prisma;
  const cell = await db.organization.create({ data: { level: "cell", cellKind: "village", name: "Chi bộ thôn Đông", searchName: "chi bo thon dong", code: "dong", path: "/1/" } });
  const member = await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } });
  for (const [i, channel] of channels.entries()) {
    await db.chatIdentity.create({ data: { memberId: member.id, channel, externalUserId: `${channel}-7`, chatId: `${channel}-7`, linkedAt: new Date(Date.UTC(2026, 11, 1, 0, i)) } });
  }
  return member;
}

describe("several channels per member", () => {
  it("picks, per member, the chat written from last, else the one linked last, else the first", () => {
    const chats = [
      { memberId: 1, identityId: 1, seenAt: 100, channel: "telegram" },
      { memberId: 1, identityId: 2, seenAt: 300, channel: "zalo_oa" },
      { memberId: 2, identityId: 3, seenAt: 200, channel: "zalo_bot" },
      { memberId: 1, identityId: 4, seenAt: 300, channel: "zalo_bot" },
      { memberId: 2, identityId: 5, seenAt: 200, channel: "telegram" },
    ];
    expect(preferredChats(chats).map((c) => [c.memberId, c.channel])).toEqual([[1, "zalo_oa"], [2, "zalo_bot"]]);
  });

  it("writes to the channel the member used last, and to one chat only", async () => {
    const member = await memberWith(["telegram", "zalo_bot", "zalo_oa"]);
    expect((await chatsOfMembers(database.prisma, [member.id])).map((c) => c.channel)).toEqual(["zalo_oa"]);
    await database.prisma.chatIdentity.updateMany({ where: { channel: "telegram" }, data: { lastSeenAt: new Date("2026-12-02T00:00:00Z") } });
    expect((await chatsOfMembers(database.prisma, [member.id])).map((c) => c.channel)).toEqual(["telegram"]);
    // A chat that blocked chibo is not chosen.
    await database.prisma.chatIdentity.updateMany({ where: { channel: "telegram" }, data: { reachable: false } });
    expect((await chatsOfMembers(database.prisma, [member.id])).map((c) => c.channel)).toEqual(["zalo_oa"]);
  });

  it("marks a message outside Zalo OA's window with the reason and sends it by the member's other channel", async () => {
    const member = await memberWith(["telegram", "zalo_oa"]);
    const sent: string[] = [];
    const outsideWindow: Transport = { send: async () => { throw new DeliveryError({ kind: "outsideWindow", description: "outside Zalo OA's messaging window" }); } };
    const telegram: Transport = { send: async (row) => { sent.push(`${row.chatId}:${row.text}`); return { externalMessageId: "1" }; } };
    const outbox = createOutbox({ db: database.prisma, clock: daytime });
    const broadcast = await outbox.createBroadcast({ key: "notice:1", kind: "notice" });
    await outbox.enqueue([{ dedupeKey: "notice:1:zalo_oa", channel: "zalo_oa", chatId: "zalo_oa-7", memberId: member.id, message: { text: "Họp chi bộ", buttons: [[{ label: "Đã nhận", payload: "nr:1" }]] } }], broadcast.id);
    worker = createOutboxWorker({ db: database.prisma, transports: { zalo_oa: outsideWindow, telegram }, clock: daytime, logger: pino({ level: "silent" }), limits: { zalo_oa: LIMITS, telegram: LIMITS }, retry: RETRY, idlePollMs: 20 });
    worker.start();
    await waitUntil(() => sent.length === 1);
    const rows = await database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.dedupeKey, r.channel, r.status, r.broadcastId])).toEqual([
      ["notice:1:zalo_oa", "zalo_oa", "unreachable", broadcast.id],
      ["notice:1:zalo_oa:via:telegram", "telegram", "sent", broadcast.id],
    ]);
    expect(rows[0]!.lastError).toBe("outside Zalo OA's messaging window; sent by telegram instead");
    expect(rows[1]!.buttons).toBe(rows[0]!.buttons);
    expect(sent).toEqual(["telegram-7:Họp chi bộ"]);
    // The Zalo chat itself stays usable: the window opens again when the member writes.
    expect((await database.prisma.chatIdentity.findFirstOrThrow({ where: { channel: "zalo_oa" } })).reachable).toBe(true);
    expect(await outbox.summary(broadcast.id)).toMatchObject({ total: 2, sent: 1, unreachable: 1 });
  });

  it("says so when the member has no other channel", async () => {
    const member = await memberWith(["zalo_oa"]);
    const outsideWindow: Transport = { send: async () => { throw new DeliveryError({ kind: "outsideWindow", description: "outside Zalo OA's messaging window" }); } };
    const outbox = createOutbox({ db: database.prisma, clock: daytime });
    await outbox.enqueue([{ dedupeKey: "reminder:1", channel: "zalo_oa", chatId: "zalo_oa-7", memberId: member.id, message: { text: "Nhắc lịch" } }]);
    worker = createOutboxWorker({ db: database.prisma, transports: { zalo_oa: outsideWindow }, clock: daytime, logger: pino({ level: "silent" }), limits: { zalo_oa: LIMITS }, retry: RETRY, idlePollMs: 20 });
    worker.start();
    await waitUntil(async () => (await database.prisma.outboxMessage.findFirstOrThrow()).status === "unreachable");
    expect(await database.prisma.outboxMessage.findMany({ select: { status: true, lastError: true } })).toEqual([{ status: "unreachable", lastError: "outside Zalo OA's messaging window; no other linked channel" }]);
  });
});
