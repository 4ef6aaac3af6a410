/**
 * npm run bench:broadcast — the outbox against a fake Bot API enforcing 300 messages/s, measured
 * in this run:
 *   broadcast         10,000 recipients, 1% of calls answered 429 with retry_after;
 *   broadcast-crash   the same, the worker killed with SIGKILL at 50% and restarted;
 *   broadcast-memory  peak RSS of the worker during a 50,000-recipient broadcast minus its idle RSS.
 * BENCH_SCALE=0.1 runs everything on a tenth of the recipients.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOutbox } from "../src/delivery/outbox.ts";
import { systemClock } from "../src/services/clock.ts";
import { openDatabase, type Database } from "../src/storage/database.ts";
import { startFakeTelegram, type FakeTelegram } from "../test/fakes/fakeTelegram.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RATE = 300;
const CONCURRENCY = 8;
const RETRY_AFTER_S = 1;
const LEASE_MS = 5_000;
const WORKER = path.resolve(import.meta.dirname, "../test/fixtures/outboxWorkerProcess.ts");

async function freshDb(): Promise<Database & { url: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-broadcast-"));
  const url = `file:${path.join(dir, "bench.db")}`;
  return { ...(await openDatabase({ url, busyTimeoutMs: 10_000 })), url, dir };
}

async function enqueue(db: Database, count: number): Promise<void> {
  const outbox = createOutbox({ db: db.prisma, clock: systemClock });
  const broadcast = await outbox.createBroadcast({ key: `bench:${count}`, kind: "notice" });
  const messages = Array.from({ length: count }, (_, i) => ({
    dedupeKey: `bench:${i}`, channel: "telegram", chatId: String(100_000 + i),
    message: { text: `Thông báo của Đảng ủy xã số ${i}: họp chi bộ ngày 7.`, buttons: [[{ label: "Đã nhận", payload: `ack:${i}` }]] },
  }));
  await outbox.enqueue(messages, broadcast.id);
}

function spawnWorker(db: { url: string }, fake: FakeTelegram): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", WORKER, db.url, fake.apiRoot, fake.token, String(CONCURRENCY), String(RATE), String(LEASE_MS)], { stdio: ["ignore", "pipe", "inherit"] });
}

const sentCount = (db: Database) => db.prisma.outboxMessage.count({ where: { status: "sent" } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => Promise<boolean>, stepMs = 100): Promise<void> {
  while (!(await condition())) await sleep(stepMs);
}

function deliveries(fake: FakeTelegram) {
  const perChat = new Map<string, number>();
  for (const m of fake.sentMessages()) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
  return { distinct: perChat.size, duplicates: [...perChat.values()].reduce((s, n) => s + n - 1, 0) };
}

async function broadcastRun(total: number, crashAt?: number) {
  const fake = await startFakeTelegram({ rateLimit: { perSecond: RATE, retryAfterSeconds: RETRY_AFTER_S }, random429Rate: 0.01, random429RetryAfterSeconds: RETRY_AFTER_S, seed: 7 });
  const db = await freshDb();
  await enqueue(db, total);
  let worker = spawnWorker(db, fake);
  if (crashAt !== undefined) {
    await until(async () => fake.sentMessages().length >= crashAt, 5);
    worker.kill("SIGKILL");
    await new Promise((r) => worker.on("exit", r));
    worker = spawnWorker(db, fake);
  }
  await until(async () => (await sentCount(db)) === total);
  worker.kill("SIGKILL");
  const sends = fake.callsTo("sendMessage");
  const firstAt = sends[0]?.at ?? 0;
  const lastAt = Math.max(...fake.sentMessages().map((m) => m.at));
  const served429 = sends.filter((c) => c.status === 429).length;
  const floorS = total / RATE + served429 * RETRY_AFTER_S;
  const { distinct, duplicates } = deliveries(fake);
  const result = { seconds: (lastAt - firstAt) / 1000, floorS, served429, lost: total - distinct, duplicates, overlimit: fake.windowsOverLimit(RATE) };
  await fake.close();
  await db.close();
  fs.rmSync(db.dir, { recursive: true, force: true });
  return result;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function memoryRun(total: number) {
  const fake = await startFakeTelegram({ rateLimit: { perSecond: RATE, retryAfterSeconds: RETRY_AFTER_S }, recordCalls: false });
  // Idle: the same worker process over an empty outbox, settled.
  const empty = await freshDb();
  const idleWorker = spawnWorker(empty, fake);
  await sleep(4000);
  const idle = rssMb(idleWorker.pid!);
  idleWorker.kill("SIGKILL");
  const db = await freshDb();
  await enqueue(db, total);
  const worker = spawnWorker(db, fake);
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(worker.pid!));
    } catch {
      /* the process is gone */
    }
  }, 100);
  await until(async () => (await sentCount(db)) === total, 500);
  clearInterval(sampler);
  worker.kill("SIGKILL");
  await fake.close();
  for (const d of [empty, db]) {
    await d.close();
    fs.rmSync(d.dir, { recursive: true, force: true });
  }
  return { idle, peak };
}

const N = Math.round(10_000 * SCALE);
console.log(`broadcast: ${N} recipients at ${RATE}/s, 1% answered 429 (retry_after ${RETRY_AFTER_S} s), worker concurrency ${CONCURRENCY}`);
const plain = await broadcastRun(N);
console.log(`  ${plain.seconds.toFixed(1)} s; floor ${plain.floorS.toFixed(1)} s (${N}/${RATE} + ${plain.served429} × ${RETRY_AFTER_S} s)`);
console.log(`RESULT broadcast ratio=${(plain.seconds / plain.floorS).toFixed(3)} lost=${plain.lost} duplicates=${plain.duplicates} overlimit=${plain.overlimit}`);

const crash = await broadcastRun(N, N / 2);
console.log(`broadcast-crash: killed at ${N / 2} sent, restarted; ${crash.seconds.toFixed(1)} s`);
console.log(`RESULT broadcast-crash lost=${crash.lost} duplicates=${crash.duplicates} concurrency=${CONCURRENCY}`);

const M = Math.round(50_000 * SCALE);
const memory = await memoryRun(M);
console.log(`broadcast-memory: ${M} recipients; idle ${memory.idle.toFixed(1)} MB, peak ${memory.peak.toFixed(1)} MB`);
console.log(`RESULT broadcast-memory rss_over_idle_mb=${(memory.peak - memory.idle).toFixed(1)}`);
console.log("goals: ratio <= 1.05, lost 0, duplicates 0 (crash: <= concurrency), overlimit 0, rss_over_idle_mb <= 100");
