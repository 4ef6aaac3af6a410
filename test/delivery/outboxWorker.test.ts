import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker, type Transport } from "../../src/delivery/outboxWorker.ts";
import { DeliveryError, type DeliveryFailure } from "../../src/delivery/retryPolicy.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { systemClock } from "../../src/services/clock.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const logger = pino({ level: "silent" });
const FAST_LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };
const RETRY = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };

/** An in-memory platform: records what it sent, and fails on cue. */
function scriptedTransport() {
  const sent: { chatId: string; text: string; at: number }[] = [];
  const failures = new Map<string, DeliveryFailure[]>();
  let nextId = 1;
  const transport: Transport = {
    async send(row: OutboxMessage) {
      const queued = failures.get(row.chatId);
      const failure = queued?.shift();
      if (failure) throw new DeliveryError(failure);
      sent.push({ chatId: row.chatId, text: row.text, at: Date.now() });
      return { externalMessageId: String(nextId++) };
    },
  };
  return { transport, sent, failWith: (chatId: string, ...list: DeliveryFailure[]) => failures.set(chatId, list) };
}

let database: TestDatabase;
const workers: OutboxWorker[] = [];
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await database.cleanup();
});

function startWorker(transport: Transport, limits = FAST_LIMITS, concurrency = 4, db = database.prisma, leaseMs = 30_000) {
  const worker = createOutboxWorker({ db, leaseMs, transports: { telegram: transport }, clock: systemClock, logger, limits: { telegram: limits }, retry: RETRY, concurrency, idlePollMs: 20 });
  workers.push(worker);
  worker.start();
  return worker;
}

const message = (key: string, chatId: string, text = `tin ${key}`): QueuedMessage => ({ dedupeKey: key, channel: "telegram", chatId, message: { text } });
const statuses = async () => (await database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((r) => [r.dedupeKey, r.status]);

describe("the outbox", () => {
  it("queues a logical message once per recipient, however often it is enqueued", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    expect(await outbox.enqueue([message("notice:1:a", "1"), message("notice:1:b", "2"), message("notice:1:a", "1")])).toEqual({ queued: 2, alreadyQueued: 1 });
    expect(await outbox.enqueue([message("notice:1:a", "1")])).toEqual({ queued: 0, alreadyQueued: 1 });
    expect(await database.prisma.outboxMessage.count()).toBe(2);
  });

  it("sends every queued message once and reports the broadcast", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    const broadcast = await outbox.createBroadcast({ key: "notice:7", kind: "notice" });
    await outbox.enqueue(Array.from({ length: 50 }, (_, i) => message(`n7:${i}`, String(1000 + i))), broadcast.id);
    const platform = scriptedTransport();
    startWorker(platform.transport);
    await waitUntil(async () => (await outbox.summary(broadcast.id)).sent === 50);
    expect(platform.sent).toHaveLength(50);
    expect(new Set(platform.sent.map((s) => s.chatId)).size).toBe(50);
    expect(await outbox.summary(broadcast.id)).toMatchObject({ total: 50, queued: 0, sent: 50, failed: 0, unreachable: 0, problems: [] });
  });

  it("retries a server error with backoff, then dead-letters it with the error visible to the sender", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    const broadcast = await outbox.createBroadcast({ key: "b", kind: "notice" });
    await outbox.enqueue([message("ok-later", "1"), message("never", "2"), message("fine", "3")], broadcast.id);
    const platform = scriptedTransport();
    platform.failWith("1", { kind: "transient", description: "502: Bad Gateway" });
    platform.failWith("2", ...Array.from({ length: 5 }, () => ({ kind: "transient" as const, description: "500: Internal Server Error" })));
    startWorker(platform.transport);
    await waitUntil(async () => (await outbox.summary(broadcast.id)).queued === 0);
    const summary = await outbox.summary(broadcast.id);
    expect(summary).toMatchObject({ sent: 2, failed: 1 });
    expect(summary.problems).toEqual([{ chatId: "2", memberId: null, status: "failed", error: expect.stringContaining("500: Internal Server Error") as string }]);
    const dead = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "never" } });
    expect(dead.attempts).toBe(3);
  });

  it("marks a recipient who blocked the bot unreachable, does not retry, and goes on with the rest", async () => {
    const cell = await database.prisma.organization.create({ data: { level: "cell", name: "Chi bộ", searchName: "chi bo", code: "cb", cellKind: "village", path: "/1/" } });
    const member = await database.prisma.member.create({ data: { fullName: "Lê Văn C", searchName: "le van c", status: "full", cellId: cell.id } });
    await database.prisma.chatIdentity.create({ data: { memberId: member.id, channel: "telegram", externalUserId: "9", chatId: "9" } });
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue([message("a", "9"), message("b", "10")]);
    const platform = scriptedTransport();
    platform.failWith("9", { kind: "blocked", description: "403: Forbidden: bot was blocked by the user" });
    startWorker(platform.transport);
    await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })) === 0);
    expect(await statuses()).toEqual([["a", "unreachable"], ["b", "sent"]]);
    expect((await database.prisma.chatIdentity.findFirstOrThrow()).reachable).toBe(false);
    expect(platform.sent.map((s) => s.chatId)).toEqual(["10"]);
  });

  it("waits retry_after after a 429 before sending again", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue([message("x", "1"), message("y", "2")]);
    const platform = scriptedTransport();
    platform.failWith("1", { kind: "rateLimited", retryAfterMs: 400 });
    const startedAt = Date.now();
    startWorker(platform.transport, FAST_LIMITS, 1);
    await waitUntil(async () => platform.sent.length === 2);
    expect(platform.sent.every((s) => s.at - startedAt >= 400)).toBe(true);
    const row = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "x" } });
    expect(row).toMatchObject({ status: "sent", attempts: 0 });
  });

  it("keeps one message a second to the same chat", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue([message("1", "42"), message("2", "42"), message("3", "42")]);
    const platform = scriptedTransport();
    startWorker(platform.transport, { ...FAST_LIMITS, perChat: { count: 1, windowMs: 300 } });
    await waitUntil(async () => platform.sent.length === 3);
    const gaps = platform.sent.slice(1).map((s, i) => s.at - platform.sent[i]!.at);
    expect(gaps.every((gap) => gap >= 295)).toBe(true);
    expect(platform.sent.map((s) => s.text)).toEqual(["tin 1", "tin 2", "tin 3"]);
  });

  it("never sends a row twice when two workers share the database", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue(Array.from({ length: 120 }, (_, i) => message(`k${i}`, String(i))));
    const platform = scriptedTransport();
    // The second worker has its own connection to the file, as a second process would.
    const second = await openDatabase({ url: database.url, busyTimeoutMs: 5000, migrate: false });
    startWorker(platform.transport);
    startWorker(platform.transport, FAST_LIMITS, 4, second.prisma);
    await waitUntil(async () => platform.sent.length >= 120 && (await database.prisma.outboxMessage.count({ where: { status: "sent" } })) === 120);
    expect(platform.sent).toHaveLength(120);
    for (const worker of workers.splice(0)) await worker.stop();
    await second.close();
  });

  it("keeps the lease of rows it holds while they wait, so another worker does not send them too", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue(Array.from({ length: 5 }, (_, i) => message(`slow${i}`, "42")));
    const platform = scriptedTransport();
    const second = await openDatabase({ url: database.url, busyTimeoutMs: 5000, migrate: false });
    const slowChat = { ...FAST_LIMITS, perChat: { count: 1, windowMs: 250 } };
    // The first worker takes all five and must hold them ~1 s, far past a 300 ms lease.
    startWorker(platform.transport, slowChat, 1, database.prisma, 300);
    await waitUntil(() => platform.sent.length === 1);
    startWorker(platform.transport, slowChat, 1, second.prisma, 300);
    await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { status: "sent" } })) === 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(platform.sent.map((s) => s.text)).toEqual(["tin slow0", "tin slow1", "tin slow2", "tin slow3", "tin slow4"]);
    for (const worker of workers.splice(0)) await worker.stop();
    await second.close();
  });
});
