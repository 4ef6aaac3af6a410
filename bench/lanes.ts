/**
 * npm run bench:lanes — one channel's flood against another channel's reply, measured in this run:
 *   baseline  a member's Telegram reply, queued with nothing else in the outbox, until the (fake)
 *             Bot API receives it; REPLIES of them, one after another;
 *   flood     the same replies while the web chat's outbox holds 30 demo notices to 56 demo chats
 *             (1,680 rows, which the web chat's own limit of 50/s takes over half a minute to send).
 * The worker is the one the product runs, with the web chat's and Telegram's real transports and
 * limits; the fake Bot API answers after LATENCY_MS, as a distant server would.
 * BENCH_SCALE=0.1 runs a tenth of the flood.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { Telegraf } from "telegraf";
import { createTelegramTransport } from "../src/channels/telegram/transport.ts";
import { WEB_LIMITS } from "../src/channels/web/index.ts";
import { createWebTransport } from "../src/channels/web/transport.ts";
import { createOutbox, type QueuedMessage } from "../src/delivery/outbox.ts";
import { createOutboxWorker } from "../src/delivery/outboxWorker.ts";
import { TELEGRAM_LIMITS } from "../src/delivery/rateLimiter.ts";
import { DEFAULT_RETRY_POLICY } from "../src/delivery/retryPolicy.ts";
import { systemClock } from "../src/services/clock.ts";
import { openDatabase } from "../src/storage/database.ts";
import { startFakeTelegram } from "../test/fakes/fakeTelegram.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const NOTICES = 30;
const WEB_CHATS = Math.max(2, Math.round(56 * SCALE));
const REPLIES = 10;
const LATENCY_MS = 40;
const GOAL = { floodOverBaseline: 2 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-lanes-"));
const database = await openDatabase({ url: `file:${path.join(dir, "bench.db")}`, busyTimeoutMs: 10_000 });
const fake = await startFakeTelegram({ latencyMs: LATENCY_MS });
const outbox = createOutbox({ db: database.prisma, clock: systemClock });
const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
const worker = createOutboxWorker({
  db: database.prisma, clock: systemClock, logger: pino({ level: "warn" }),
  transports: { telegram: createTelegramTransport(bot.telegram), web: createWebTransport() },
  limits: { telegram: TELEGRAM_LIMITS, web: WEB_LIMITS },
  retry: DEFAULT_RETRY_POLICY,
});
worker.start();

let replies = 0;
/** ms from queueing one Telegram reply until the Bot API has it. */
async function replyLatencyMs(): Promise<number> {
  const key = `reply:${++replies}`;
  const startedAt = Date.now();
  await outbox.enqueue([{ dedupeKey: key, channel: "telegram", chatId: String(500 + replies), message: { text: `Đã ghi nhận ${key}` } }]);
  while (!fake.sentMessages().some((m) => m.text === `Đã ghi nhận ${key}`)) await sleep(2);
  return Date.now() - startedAt;
}

async function replySeries(): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < REPLIES; i++) {
    latencies.push(await replyLatencyMs());
    await sleep(100);
  }
  return latencies;
}

const webQueued = () => database.prisma.outboxMessage.count({ where: { channel: "web", status: { in: ["queued", "sending"] } } });

await replyLatencyMs(); // the first call opens the connection to the Bot API
const baseline = await replySeries();

const flood: QueuedMessage[] = [];
for (let notice = 0; notice < NOTICES; notice++) {
  for (let chat = 0; chat < WEB_CHATS; chat++) {
    flood.push({ dedupeKey: `demo:${notice}:${chat}`, channel: "web", chatId: `demo-${chat}`, message: { text: `Thông báo thử số ${notice}` } });
  }
}
await outbox.enqueue(flood);
const floodStartedAt = Date.now();
const during = await replySeries();
const leftAfterReplies = await webQueued();
while ((await webQueued()) > 0) await sleep(100);
const floodSeconds = (Date.now() - floodStartedAt) / 1000;

await worker.stop();
await fake.close();
await database.close();
fs.rmSync(dir, { recursive: true, force: true });

const worst = (values: number[]) => Math.max(...values);
// The slowest reply is the figure: under a starving outbox the first reply waits out the flood
// and the rest, queued after it drained, look normal.
const ratio = worst(during) / worst(baseline);
console.log(`lanes: ${REPLIES} Telegram replies (Bot API answering after ${LATENCY_MS} ms), alone and during a web flood`
  + ` of ${flood.length} rows at ${WEB_LIMITS.global.count}/s`);
console.log(`  baseline  median ${median(baseline)} ms, slowest ${worst(baseline)} ms`);
console.log(`  flood     median ${median(during)} ms, slowest ${worst(during)} ms; ${leftAfterReplies} of ${flood.length} web rows`
  + ` still queued after the last reply; flood drained in ${floodSeconds.toFixed(1)} s`);
console.log(`RESULT lanes baseline_max_ms=${worst(baseline)} flood_max_ms=${worst(during)} ratio=${ratio.toFixed(2)} web_left=${leftAfterReplies}`);
console.log(`goal: ratio <= ${GOAL.floodOverBaseline} (the slowest reply during another channel's flood, over the slowest without it)`);
