import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { createZaloOaTokens } from "../src/channels/zaloOa/tokens.ts";
import { fixedClock } from "../src/services/clock.ts";
import { createSecretBox } from "../src/storage/secretBox.ts";
import { freshDatabase, tempDir } from "./helpers/db.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** What `npm start` runs, without npm: one process, so a failed test leaves nothing behind. */
const NODE_START = ["--import", "tsx", "src/main.ts"];
const children: ChildProcess[] = [];
const leftovers: number[] = [];
const cleanups: (() => Promise<void>)[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const pid of leftovers.splice(0)) if (isRunning(pid)) process.kill(pid, "SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** `command args` in the project, as an operator runs it, on a fresh database file. */
function run(command: string, args: string[], env: Record<string, string>) {
  const dir = tempDir();
  dirs.push(dir);
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, npm_config_update_notifier: "false",
      DATABASE_URL: `file:${path.join(dir, "data", "chibo.db")}`, HOST: "127.0.0.1", ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function isRunning(pid: number): boolean {
  try {
    // A zombie has ended; it only waits for its parent to read its status.
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Every process started, directly or not, by `pid`. */
function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  for (const [child] of parentOf) {
    for (let p = parentOf.get(child); p !== undefined && p > 1; p = parentOf.get(p)) {
      if (p === pid) {
        found.push(child);
        break;
      }
    }
  }
  return found;
}

async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answersHealth = (port: number) => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);

/** Whether the port can be taken again, that is whether nothing listens on it any more. */
async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}

describe("starting and stopping chibo", () => {
  it("refuses to start on a port another program holds, naming the port, and exits non-zero", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(() => resolve())));
    const { port } = holder.address() as net.AddressInfo;

    const vi = run(process.execPath, NODE_START, { PORT: String(port) });
    expect(await vi.exited).toBe(1);
    expect(vi.output().stdout).toContain(`Cổng ${port} đang bị một chương trình khác dùng`);
    expect(vi.output().stdout).not.toContain("chibo đã chạy");

    const en = run(process.execPath, NODE_START, { PORT: String(port), DEFAULT_LANGUAGE: "en" });
    expect(await en.exited).toBe(1);
    expect(en.output().stdout).toContain(`Port ${port} is already used by another program`);
  }, 30_000);

  it("refuses to start when CHIBO_SECRET_KEY does not open the stored Zalo OA tokens, naming the variable", async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const oa = { ZALO_OA_APP_ID: "4411223344", ZALO_OA_SECRET_KEY: "oa-secret-key-for-tests", ZALO_OA_APP_SECRET: "oa-app-secret-for-tests", ZALO_OA_ACCESS_TOKEN: "oa-access-token-0", ZALO_OA_REFRESH_TOKEN: "oa-refresh-token-0" };
    // The pair as a first start with the right key stored it.
    await createZaloOaTokens({
      db: database.prisma, clock: fixedClock("2026-03-07T01:00:00Z"), logger: pino({ level: "silent" }), refresh: () => Promise.reject(new Error("not called")),
      initialAccessToken: oa.ZALO_OA_ACCESS_TOKEN, initialRefreshToken: oa.ZALO_OA_REFRESH_TOKEN, box: createSecretBox("11".repeat(32)),
    }).seed();
    // Nothing may reach Zalo: the start stops before.
    const env = { ...oa, DATABASE_URL: database.url, PORT: "0", ZALO_OA_API_ROOT: "http://127.0.0.1:9", ZALO_OA_OAUTH_ROOT: "http://127.0.0.1:9" };

    const wrong = run(process.execPath, NODE_START, { ...env, CHIBO_SECRET_KEY: "22".repeat(32) });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output().stdout).toContain("CHIBO_SECRET_KEY không mở được mã truy cập Zalo OA đã lưu trong cơ sở dữ liệu, nên chibo không chạy.");
    expect(wrong.output().stdout + wrong.output().stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(wrong.output().stdout).not.toContain("22".repeat(32));
    // Refused before anything listened.
    expect(wrong.output().stdout).not.toContain("chibo đã chạy");

    const none = run(process.execPath, NODE_START, env);
    expect(await none.exited).toBe(1);
    expect(none.output().stdout).toContain("đã được mã hóa nhưng CHIBO_SECRET_KEY chưa đặt");
  }, 30_000);

  it("stops entirely when `npm start` is sent SIGTERM by its process id: the port is released and no process stays", async () => {
    const port = await freePort();
    const chibo = run("npm", ["start"], { PORT: String(port) });
    await waitFor(() => answersHealth(port), 30_000);
    const tree = descendantsOf(chibo.child.pid!);
    leftovers.push(...tree);
    expect(tree.length).toBeGreaterThan(0);

    process.kill(chibo.child.pid!, "SIGTERM");
    await chibo.exited;
    await waitFor(() => tree.every((pid) => !isRunning(pid)), 5_000);
    expect(await isFree(port)).toBe(true);
    expect(chibo.output().stdout).toContain("chibo đã dừng.");
  }, 45_000);
});
