import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WEB_LIMITS } from "../../src/channels/web/index.ts";
import { createWebTransport } from "../../src/channels/web/transport.ts";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions, type Transport } from "../../src/delivery/outboxWorker.ts";
import { TELEGRAM_LIMITS } from "../../src/delivery/rateLimiter.ts";
import { DeliveryError, type DeliveryFailure } from "../../src/delivery/retryPolicy.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { systemClock } from "../../src/services/clock.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const logger = pino({ level: "silent" });
const RETRY = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };
const FAST_LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };

/** A transport that records the rows it was given, in order, and can answer with a failure first. */
function recording(inner: Transport = { send: async (row) => ({ externalMessageId: String(row.id) }) }) {
  const sent: OutboxMessage[] = [];
  const calls: OutboxMessage[] = [];
  const failures: DeliveryFailure[] = [];
  const transport: Transport = {
    async send(row) {
      calls.push(row);
      const failure = failures.shift();
      if (failure) throw new DeliveryError(failure);
      const result = await inner.send(row);
      sent.push(row);
      return result;
    },
  };
  return { transport, sent, calls, failFirst: (...list: DeliveryFailure[]) => failures.push(...list) };
}

/** A platform that takes every send and answers none until let go, as a hung API would. */
function hangingTransport() {
  const started: OutboxMessage[] = [];
  let letGo: () => void = () => {};
  const released = new Promise<void>((resolve) => (letGo = resolve));
  hung.push(() => letGo());
  const transport: Transport = {
    async send(row) {
      started.push(row);
      await released;
      return { externalMessageId: String(row.id) };
    },
  };
  return { transport, started, letGo: () => letGo() };
}

let database: TestDatabase;
const workers: OutboxWorker[] = [];
/** Hung platforms let go before the workers stop, since a stop waits for sends in flight. */
const hung: (() => void)[] = [];
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  for (const letGo of hung.splice(0)) letGo();
  for (const worker of workers.splice(0)) await worker.stop();
  await database.cleanup();
});

function startWorker(options: Pick<OutboxWorkerOptions, "transports" | "limits"> & Partial<OutboxWorkerOptions>) {
  const worker = createOutboxWorker({ db: database.prisma, clock: systemClock, logger, retry: RETRY, idlePollMs: 20, ...options });
  workers.push(worker);
  worker.start();
  return worker;
}

const row = (channel: string, key: string, chatId: string): QueuedMessage => ({ dedupeKey: key, channel, chatId, message: { text: `tin ${key}` } });
const enqueue = (messages: QueuedMessage[]) => createOutbox({ db: database.prisma, clock: systemClock }).enqueue(messages);
const waiting = (channel: string) => database.prisma.outboxMessage.count({ where: { channel, status: { in: ["queued", "sending"] } } });
const statusOf = async (key: string) => (await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: key } })).status;

describe("outbox lanes: one channel cannot starve another", () => {
  it("sends a Telegram reply while 90% of a 1,500-message web flood queued before it still waits", async () => {
    const FLOOD = 1500;
    // 30 demo notices to 50 demo chats, queued before the member's reply, as the web chat's demo does.
    await enqueue(Array.from({ length: FLOOD }, (_, i) => row("web", `demo:${i}`, `demo-${i % 50}`)));
    await enqueue([row("telegram", "reply", "7")]);
    const web = recording(createWebTransport());
    const telegram = recording();
    startWorker({ transports: { web: web.transport, telegram: telegram.transport }, limits: { web: WEB_LIMITS, telegram: TELEGRAM_LIMITS } });

    await waitUntil(() => telegram.sent.length === 1 || web.sent.length >= FLOOD / 10, 20_000);
    expect(telegram.sent.map((r) => r.dedupeKey)).toEqual(["reply"]);
    expect(await waiting("web")).toBeGreaterThanOrEqual(FLOOD * 0.9);
    // The flood keeps each chat's order while the reply overtakes it.
    for (let chat = 0; chat < 50; chat++) {
      const ids = web.sent.filter((r) => r.chatId === `demo-${chat}`).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it("sends on Telegram while a hung channel holds every one of its send slots", async () => {
    await enqueue(Array.from({ length: 10 }, (_, i) => row("zalo_bot", `z${i}`, `z-${i}`)));
    await enqueue([row("telegram", "reply", "7")]);
    const zalo = hangingTransport();
    const telegram = recording();
    startWorker({
      transports: { zalo_bot: zalo.transport, telegram: telegram.transport },
      limits: { zalo_bot: FAST_LIMITS, telegram: FAST_LIMITS },
      concurrency: 2,
    });

    await waitUntil(() => telegram.sent.length === 1 && zalo.started.length === 2, 3000);
    expect(await statusOf("reply")).toBe("sent");
    // The hung lane keeps to its own two slots.
    await new Promise((r) => setTimeout(r, 100));
    expect(zalo.started).toHaveLength(2);
    zalo.letGo();
    await waitUntil(async () => (await waiting("zalo_bot")) === 0);
    expect(zalo.started).toHaveLength(10);
  });

  it("keeps sending on Telegram while the Zalo bot waits out a long 429, and holds the Zalo rows back", async () => {
    await enqueue(Array.from({ length: 3 }, (_, i) => row("zalo_bot", `z${i}`, `z-${i}`)));
    await enqueue([row("telegram", "t1", "7"), row("telegram", "t2", "8")]);
    const zalo = recording();
    zalo.failFirst({ kind: "rateLimited", retryAfterMs: 60_000 });
    const telegram = recording();
    startWorker({ transports: { zalo_bot: zalo.transport, telegram: telegram.transport }, limits: { zalo_bot: FAST_LIMITS, telegram: FAST_LIMITS } });

    await waitUntil(() => telegram.sent.length === 2, 3000);
    await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { channel: "zalo_bot", status: "queued" } })) === 3);
    expect(zalo.calls).toHaveLength(1);
    expect(zalo.sent).toHaveLength(0);
    const held = await database.prisma.outboxMessage.findMany({ where: { channel: "zalo_bot" } });
    // Given back to the table until the pause ends, with the 429 not counted as an attempt.
    expect(held.every((r) => r.attempts === 0 && r.nextAttemptAt.getTime() > Date.now() + 50_000)).toBe(true);
  });

  it("sends on Telegram during a short 429 pause on the Zalo bot, then sends the Zalo rows in order", async () => {
    await enqueue(Array.from({ length: 3 }, (_, i) => row("zalo_bot", `z${i}`, "z-1")));
    await enqueue([row("telegram", "t1", "7")]);
    const zalo = recording();
    zalo.failFirst({ kind: "rateLimited", retryAfterMs: 1500 });
    const telegram = recording();
    const order: string[] = [];
    startWorker({
      transports: { zalo_bot: zalo.transport, telegram: telegram.transport },
      limits: { zalo_bot: FAST_LIMITS, telegram: FAST_LIMITS },
      concurrency: 1,
      onEvent: (event) => event.type === "sent" && order.push(event.message.dedupeKey),
    });

    await waitUntil(() => zalo.sent.length === 3 && telegram.sent.length === 1, 5000);
    expect(order).toEqual(["t1", "z0", "z1", "z2"]);
  });

  it("gives up on rows no transport can send, and still sends the others", async () => {
    await enqueue([row("sms", "lost", "1"), row("telegram", "reply", "7")]);
    const telegram = recording();
    startWorker({ transports: { telegram: telegram.transport }, limits: { telegram: FAST_LIMITS } });

    await waitUntil(async () => (await statusOf("lost")) === "failed" && (await statusOf("reply")) === "sent", 3000);
    const lost = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "lost" } });
    expect(lost.lastError).toContain("no transport for channel sms");
  });

  it("takes back a row whose worker died mid-send, in its own lane, and leaves a live lease alone", async () => {
    await enqueue([row("web", "orphan", "demo-1"), row("web", "held", "demo-2"), row("telegram", "reply", "7")]);
    const lease = (key: string, lockedBy: string, lockedUntil: Date) =>
      database.prisma.outboxMessage.update({ where: { dedupeKey: key }, data: { status: "sending", lockedBy, lockedUntil } });
    await lease("orphan", "dead-worker:1", new Date(Date.now() - 1000));
    await lease("held", "live-worker:1", new Date(Date.now() + 60_000));
    const web = recording(createWebTransport());
    const telegram = recording();
    startWorker({ transports: { web: web.transport, telegram: telegram.transport }, limits: { web: WEB_LIMITS, telegram: FAST_LIMITS } });

    await waitUntil(async () => (await statusOf("orphan")) === "sent" && (await statusOf("reply")) === "sent");
    expect(web.sent.map((r) => r.dedupeKey)).toEqual(["orphan"]);
    const held = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "held" } });
    expect(held).toMatchObject({ status: "sending", lockedBy: "live-worker:1" });
  });

  it("never sends a row twice when two workers share the database and both lanes are busy", async () => {
    await enqueue(Array.from({ length: 120 }, (_, i) => row(i % 2 ? "web" : "telegram", `k${i}`, String(i % 7))));
    const web = recording(createWebTransport());
    const telegram = recording();
    const second = await openDatabase({ url: database.url, busyTimeoutMs: 5000, migrate: false });
    const transports = { web: web.transport, telegram: telegram.transport };
    const options = { transports, limits: { web: FAST_LIMITS, telegram: FAST_LIMITS }, batchSize: 10 };
    startWorker(options);
    startWorker({ ...options, db: second.prisma });
    await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { status: "sent" } })) === 120);
    for (const worker of workers.splice(0)) await worker.stop();
    await second.close();
    const keys = [...web.sent, ...telegram.sent].map((r) => r.dedupeKey);
    expect(keys).toHaveLength(120);
    expect(new Set(keys).size).toBe(120);
  });
});
