import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pino } from "pino";
import { Telegraf } from "telegraf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramTransport } from "../../src/channels/telegram/transport.ts";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outboxWorker.ts";
import { systemClock } from "../../src/services/clock.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

let fake: FakeTelegram;
let database: TestDatabase;
let worker: OutboxWorker | undefined;
const children: ChildProcess[] = [];

beforeEach(async () => {
  fake = await startFakeTelegram();
  database = await freshDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await fake.close();
  await database.cleanup();
});

const LIMITS = { global: { count: 200, windowMs: 1000 }, perChat: { count: 1, windowMs: 1000 }, perGroup: { count: 20, windowMs: 60_000 } };
const message = (key: string, chatId: string | number): QueuedMessage => ({ dedupeKey: key, channel: "telegram", chatId: String(chatId), message: { text: `Thông báo ${key}`, buttons: [[{ label: "Đã nhận", payload: `ack:${key}` }]] } });

function startInProcessWorker() {
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  worker = createOutboxWorker({
    db: database.prisma, clock: systemClock, logger: pino({ level: "silent" }),
    transports: { telegram: createTelegramTransport(bot.telegram) },
    limits: { telegram: LIMITS },
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    idlePollMs: 20,
  });
  worker.start();
}

describe("the outbox over the real Telegram adapter", () => {
  it("sends text with an inline keyboard", async () => {
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([message("n1", 11)]);
    startInProcessWorker();
    await waitUntil(() => fake.sentMessages().length === 1);
    expect(fake.sentMessages()[0]).toMatchObject({ chatId: "11", text: "Thông báo n1", replyMarkup: { inline_keyboard: [[{ text: "Đã nhận", callback_data: "ack:n1" }]] } });
    await waitUntil(async () => (await database.prisma.outboxMessage.findFirstOrThrow()).status === "sent");
    expect((await database.prisma.outboxMessage.findFirstOrThrow()).externalMessageId).toMatch(/^\d+$/);
  });

  it("serves Telegram's retry_after, retries a 500, and gives up on a blocked chat", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    const broadcast = await outbox.createBroadcast({ key: "notice:1", kind: "notice" });
    await outbox.enqueue([message("a", 21), message("b", 22), message("c", 23)], broadcast.id);
    fake.failNext("sendMessage", { status: 429, retryAfter: 1 }, { chatId: 21 });
    fake.failNext("sendMessage", { status: 500 }, { chatId: 22 });
    fake.blockChat(23);
    const startedAt = Date.now();
    startInProcessWorker();
    await waitUntil(async () => (await outbox.summary(broadcast.id)).queued === 0, 15_000);
    const summary = await outbox.summary(broadcast.id);
    expect(summary).toMatchObject({ total: 3, sent: 2, unreachable: 1, failed: 0 });
    expect(summary.problems).toEqual([{ chatId: "23", memberId: null, status: "unreachable", error: expect.stringContaining("403") as string }]);
    const to21 = fake.sentMessages().find((m) => m.chatId === "21");
    expect(to21!.at - startedAt).toBeGreaterThanOrEqual(1000);
    expect(fake.callsTo("sendMessage").filter((c) => String((c.body as { chat_id: unknown }).chat_id) === "23")).toHaveLength(1);
  });

  it("loses nothing when the worker is killed with SIGKILL and restarted; only messages in flight are sent twice", async () => {
    const CONCURRENCY = 4;
    const TOTAL = 150;
    const slow = await startFakeTelegram({ latencyMs: 40 });
    try {
      await createOutbox({ db: database.prisma, clock: systemClock }).enqueue(Array.from({ length: TOTAL }, (_, i) => message(`k${i}`, 1000 + i)));
      const spawnWorker = () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../fixtures/outboxWorkerProcess.ts"), database.url, slow.apiRoot, slow.token, String(CONCURRENCY), "100", "1500"], { stdio: ["ignore", "pipe", "inherit"] });
        children.push(child);
        return child;
      };
      const first = spawnWorker();
      await waitUntil(() => slow.sentMessages().length >= TOTAL / 2, 20_000, 5);
      first.kill("SIGKILL");
      await new Promise((resolve) => first.on("exit", resolve));
      spawnWorker();
      await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { status: "sent" } })) === TOTAL, 30_000);
      const perChat = new Map<string, number>();
      for (const sent of slow.sentMessages()) perChat.set(sent.chatId, (perChat.get(sent.chatId) ?? 0) + 1);
      expect(perChat.size).toBe(TOTAL);
      const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
      expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    } finally {
      for (const child of children.splice(0)) child.kill("SIGKILL");
      await slow.close();
    }
  });
});
