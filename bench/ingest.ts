/**
 * npm run bench:ingest — requests/s of the full Telegram webhook path (secret check, dedupe,
 * store) at 40 connections, against a bare node:http handler doing the same insert, measured
 * side by side in this run.
 */
import { spawn } from "node:child_process";
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

async function serve(mode: "full" | "bare") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-ingest-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/lib/ingestServer.ts"), mode, `file:${path.join(dir, "bench.db")}`, SECRET], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { port, stop: () => { child.kill("SIGKILL"); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function measure(mode: "full" | "bare", firstId: number): Promise<LoadResult> {
  const server = await serve(mode);
  const url = mode === "full" ? `http://127.0.0.1:${server.port}/telegram/webhook` : `http://127.0.0.1:${server.port}/`;
  const headers = { "x-telegram-bot-api-secret-token": SECRET };
  // Every fifth request repeats an earlier update, as Telegram's redeliveries do.
  const body = (base: number) => (i: number) => JSON.stringify(privateTextUpdate({ updateId: base + (i % 5 === 4 ? i - 1 : i), fromId: 1000 + (i % 500), text: "có" }));
  await runLoad({ url, connections: CONNECTIONS, seconds: WARMUP_SECONDS, headers, body: body(firstId) });
  const result = await runLoad({ url, connections: CONNECTIONS, seconds: SECONDS, headers, body: body(firstId + 10_000_000) });
  server.stop();
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
