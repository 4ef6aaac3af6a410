/**
 * npm run bench:ingest — requests/s of the full Telegram webhook path (secret check, dedupe,
 * store) at 40 connections, against a bare node:http handler doing the same insert, measured
 * side by side in this run; then the same for the Zalo OA route (signed events: raw body,
 * SHA-256 signature, timestamp window, dedupe on msg_id, store).
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { privateTextUpdate } from "./lib/updates.ts";
import { runLoad, type LoadResult } from "./lib/load.ts";

const CONNECTIONS = 40;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 2;
const SECRET = "bench-secret-0123456789";
const ROOT = path.resolve(import.meta.dirname, "..");
const OA_APP_ID = "2941865021736428712";
const OA_SECRET_KEY = "bench-oa-secret-key-0123456789";

type Mode = "full" | "bare" | "full-oa" | "bare-oa";

async function serve(mode: Mode) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-ingest-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/lib/ingestServer.ts"), mode, `file:${path.join(dir, "bench.db")}`, mode.endsWith("-oa") ? OA_SECRET_KEY : SECRET, OA_APP_ID], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { port, stop: () => { child.kill("SIGKILL"); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function measure(mode: Mode, firstId: number): Promise<LoadResult> {
  const server = await serve(mode);
  const oa = mode.endsWith("-oa");
  const url = mode.startsWith("full") ? `http://127.0.0.1:${server.port}${oa ? "/zalo/oa/webhook" : "/telegram/webhook"}` : `http://127.0.0.1:${server.port}/`;
  // Every fifth request repeats an earlier update, as the platforms' redeliveries do.
  const id = (base: number, i: number) => base + (i % 5 === 4 ? i - 1 : i);
  const telegramBody = (base: number) => (i: number) => JSON.stringify(privateTextUpdate({ updateId: id(base, i), fromId: 1000 + (i % 500), text: "có" }));
  const oaBody = (base: number) => (i: number) => JSON.stringify({
    app_id: OA_APP_ID, user_id_by_app: `app-${i % 500}`, event_name: "user_send_text", timestamp: String(Date.now()),
    sender: { id: String(7000 + (i % 500)) }, recipient: { id: "579745863508352884" }, message: { msg_id: `m${id(base, i)}`, text: "có" },
  });
  // Signed as Zalo signs: SHA-256 of app id, raw body, the body's timestamp and the OA secret key.
  const oaHeaders = (payload: string) => {
    const timestamp = (JSON.parse(payload) as { timestamp: string }).timestamp;
    return { "x-zevent-signature": `mac=${crypto.createHash("sha256").update(`${OA_APP_ID}${payload}${timestamp}${OA_SECRET_KEY}`).digest("hex")}` };
  };
  const headers = oa ? oaHeaders : { "x-telegram-bot-api-secret-token": SECRET };
  const body = oa ? oaBody : telegramBody;
  await runLoad({ url, connections: CONNECTIONS, seconds: WARMUP_SECONDS, headers, body: body(firstId) });
  const result = await runLoad({ url, connections: CONNECTIONS, seconds: SECONDS, headers, body: body(firstId + 10_000_000) });
  server.stop();
  if (mode.startsWith("full") && Object.keys(result.statuses).some((status) => status !== "200")) throw new Error(`${mode}: answers other than 200: ${JSON.stringify(result.statuses)}`);
  return result;
}

const print = (name: string, r: LoadResult) =>
  console.log(`${name.padEnd(6)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  requests ${r.requests}  errors ${r.errors}  statuses ${JSON.stringify(r.statuses)}`);

console.log(`ingest: ${CONNECTIONS} connections, ${SECONDS} s per side after ${WARMUP_SECONDS} s warm-up`);
const bare = await measure("bare", 1);
print("bare", bare);
const full = await measure("full", 50_000_000);
print("full", full);
const ratio = full.rps / bare.rps;
console.log(`goal: ratio >= 0.65 and p99 <= 250 ms`);
console.log(`RESULT ingest ratio=${ratio.toFixed(3)} p99_ms=${full.p99Ms.toFixed(1)} full_rps=${full.rps.toFixed(0)} bare_rps=${bare.rps.toFixed(0)}`);

const bareOa = await measure("bare-oa", 1);
print("bare", bareOa);
const fullOa = await measure("full-oa", 50_000_000);
print("zalo", fullOa);
console.log(`RESULT ingest-zalo ratio=${(fullOa.rps / bareOa.rps).toFixed(3)} p99_ms=${fullOa.p99Ms.toFixed(1)} full_rps=${fullOa.rps.toFixed(0)} bare_rps=${bareOa.rps.toFixed(0)}`);
