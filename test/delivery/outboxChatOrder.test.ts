import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker, type Transport } from "../../src/delivery/outboxWorker.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { systemClock } from "../../src/services/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const logger = pino({ level: "silent" });
// No limit gets in the way: only the worker's own ordering keeps a chat's messages in line.
const FAST_LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };
const RETRY = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };

/**
 * A platform where some sends (an upload) take until the test lets them finish. It notes when a
 * send starts and when the platform has the message, as a chat would show it.
 */
function platformWithSlowSends(isSlow: (row: OutboxMessage) => boolean) {
  let slow = isSlow;
  const started: string[] = [];
  const arrived: { chatId: string; text: string }[] = [];
  const waiting: (() => void)[] = [];
  let nextId = 1;
  const transport: Transport = {
    async send(row) {
      started.push(row.text);
      if (slow(row)) await new Promise<void>((resolve) => waiting.push(resolve));
      arrived.push({ chatId: row.chatId, text: row.text });
      return { externalMessageId: String(nextId++) };
    },
  };
  const finishSlowSends = () => waiting.splice(0).forEach((finish) => finish());
  // A failed test must not leave the worker waiting on a send forever when it stops.
  finishAtEnd.push(() => {
    slow = () => false;
    finishSlowSends();
  });
  const arrivedIn = (chatId: string) => arrived.filter((m) => m.chatId === chatId).map((m) => m.text);
  return { transport, started, arrived, arrivedIn, finishSlowSends, slowSendsWaiting: () => waiting.length };
}

let database: TestDatabase;
let worker: OutboxWorker | undefined;
const finishAtEnd: (() => void)[] = [];
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  for (const finish of finishAtEnd.splice(0)) finish();
  await worker?.stop();
  worker = undefined;
  await database.cleanup();
});

function startWorker(transport: Transport, concurrency = 4) {
  worker = createOutboxWorker({ db: database.prisma, transports: { telegram: transport }, clock: systemClock, logger, limits: { telegram: FAST_LIMITS }, retry: RETRY, concurrency, idlePollMs: 20 });
  worker.start();
}

const message = (key: string, chatId: string, text: string): QueuedMessage => ({ dedupeKey: key, channel: "telegram", chatId, message: { text } });
const unsent = () => database.prisma.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } });

describe("the order of a chat's messages", () => {
  it("sends a chat's next message only once the one before it has arrived, however slow, while other chats go on", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    await outbox.enqueue([
      message("digest", "42", "Tổng hợp phản ánh, góp ý"),
      message("file", "42", "Tệp Excel tổng hợp"),
      message("reminder", "42", "Đồng chí vẫn đang xử lý phản ánh dở."),
      message("other", "43", "Nhắc lịch họp"),
    ]);
    const platform = platformWithSlowSends((row) => row.text === "Tệp Excel tổng hợp");
    startWorker(platform.transport);

    // The upload hangs; another chat's message still goes, queued after it.
    await waitUntil(() => platform.arrivedIn("43").length === 1 && platform.slowSendsWaiting() === 1);
    expect(platform.started).not.toContain("Đồng chí vẫn đang xử lý phản ánh dở.");
    expect(platform.arrivedIn("42")).toEqual(["Tổng hợp phản ánh, góp ý"]);

    platform.finishSlowSends();
    await waitUntil(async () => (await unsent()) === 0);
    expect(platform.arrivedIn("42")).toEqual(["Tổng hợp phản ánh, góp ý", "Tệp Excel tổng hợp", "Đồng chí vẫn đang xử lý phản ánh dở."]);
  });

  it("keeps every chat's messages in queue order when many chats share the send slots", async () => {
    const outbox = createOutbox({ db: database.prisma, clock: systemClock });
    const chats = ["1", "2", "3", "4", "5"];
    // Queued interleaved, as replies to several people are; each chat's first message is slow.
    await outbox.enqueue([0, 1, 2, 3].flatMap((i) => chats.map((chat) => message(`${chat}:${i}`, chat, `tin ${i}`))));
    const platform = platformWithSlowSends((row) => row.text === "tin 0");
    startWorker(platform.transport, 8);

    await waitUntil(() => platform.slowSendsWaiting() === chats.length);
    // Every chat is waiting for its first message; nothing after it has started anywhere.
    expect(platform.started).toEqual(chats.map(() => "tin 0"));
    platform.finishSlowSends();
    await waitUntil(async () => (await unsent()) === 0);
    for (const chat of chats) expect(platform.arrivedIn(chat)).toEqual(["tin 0", "tin 1", "tin 2", "tin 3"]);
  });
});
