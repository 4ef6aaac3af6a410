import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { startChibo as startInProcess } from "../src/runtime.ts";
import { startFakeTelegram } from "./fakes/fakeTelegram.ts";
import { startFakeZaloBot } from "./fakes/fakeZaloBot.ts";
import { startFakeZaloOa } from "./fakes/fakeZaloOa.ts";
import { ZALO_OA_SECRET_KEY } from "./helpers/chibo.ts";
import { freshDatabase, tempDir } from "./helpers/db.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts chibo exactly as `npm start` does, on a fresh database file and a free port. */
function startChibo(env: Record<string, string>) {
  const dir = tempDir();
  dirs.push(dir);
  const child = spawn(TSX, ["src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, DATABASE_URL: `file:${path.join(dir, "data", "chibo.db")}`, HOST: "127.0.0.1", PORT: "0", ...env },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, dir, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the start command", () => {
  it("creates and migrates the database, answers /health, says what to do next and stops on SIGTERM", async () => {
    // HOST unset: this machine only.
    const chibo = startChibo({ LOG_LEVEL: "info", HOST: "" });
    const { port, host } = await waitFor(() => {
      const line = chibo.output().stdout.split("\n").find((l) => l.includes('"port"'));
      return line ? (JSON.parse(line) as { port: number; host: string }) : undefined;
    }, 20_000);
    expect(host).toBe("127.0.0.1");
    // No chat platform connected: the web chat is on, for this machine, and the log says where.
    const webChatLine = `Trò chuyện thử trên web: http://127.0.0.1:${port}/chat (chỉ máy này).`;
    await waitFor(() => (chibo.output().stdout.includes(webChatLine) ? true : undefined), 5000);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });
    expect(fs.existsSync(path.join(chibo.dir, "data", "chibo.db"))).toBe(true);
    await waitFor(() => (chibo.output().stdout.includes("npm run chibo -- demo") ? true : undefined), 5000);

    chibo.child.kill("SIGTERM");
    expect(await chibo.exited).toBe(0);
    expect(chibo.output().stdout).toContain("chibo đã dừng.");
    expect(chibo.output().stderr).toBe("");
    // Its output is a pipe, not a terminal: one JSON object a line, for a log collector.
    const lines = chibo.output().stdout.split("\n").filter((l) => l !== "");
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it("writes one readable line per event, the sentence first, with LOG_FORMAT=pretty", async () => {
    const chibo = startChibo({ LOG_LEVEL: "info", LOG_FORMAT: "pretty" });
    await waitFor(() => (chibo.output().stdout.includes("Kênh chat: trò chuyện thử trên web.") ? true : undefined), 20_000);
    const lines = chibo.output().stdout.split("\n").filter((l) => l !== "");
    expect(lines.find((l) => l.startsWith("chibo đã chạy, cổng "))).toMatch(/^chibo đã chạy, cổng \d+\. Kiểm tra: .*  · host=127\.0\.0\.1 port=\d+ database=file:.*  INFO \d\d:\d\d:\d\d$/);
    expect(lines.filter((l) => l.startsWith("Kênh chat:"))).toEqual([expect.stringMatching(/^Kênh chat: trò chuyện thử trên web\.  · INFO /)]);
    expect(lines.filter((l) => l.startsWith("{"))).toEqual([]);
  });

  it("refuses to start with a wrong setting and names the variable, in Vietnamese by default", async () => {
    const chibo = startChibo({ PORT: "cổng-ba-nghìn" });
    expect(await chibo.exited).toBe(1);
    expect(chibo.output().stderr).toContain("Cấu hình sai ở biến PORT");
    expect(chibo.output().stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("names the variable in English when DEFAULT_LANGUAGE is en", async () => {
    const chibo = startChibo({ DEFAULT_LANGUAGE: "en", SQLITE_BUSY_TIMEOUT_MS: "-5" });
    expect(await chibo.exited).toBe(1);
    expect(chibo.output().stderr).toContain("Invalid configuration in SQLITE_BUSY_TIMEOUT_MS");
  });
});

describe("the start summary", () => {
  it("names every connected channel, Zalo too, and suggests the demo only while the database is empty", async () => {
    const [telegram, zaloBot, zaloOa, database] = await Promise.all([startFakeTelegram(), startFakeZaloBot(), startFakeZaloOa({ accessToken: "oa-access-token-0", refreshToken: "oa-refresh-token-0" }), freshDatabase()]);
    const config = parseConfig({
      DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false",
      TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot,
      ZALO_BOT_TOKEN: zaloBot.token, ZALO_BOT_API_ROOT: zaloBot.apiRoot,
      ZALO_OA_APP_ID: zaloOa.appId, ZALO_OA_SECRET_KEY, ZALO_OA_APP_SECRET: zaloOa.appSecret,
      ZALO_OA_ACCESS_TOKEN: zaloOa.validAccessToken, ZALO_OA_REFRESH_TOKEN: zaloOa.validRefreshToken,
      ZALO_OA_API_ROOT: zaloOa.root, ZALO_OA_OAUTH_ROOT: zaloOa.root,
    });
    /** The sentences logged by one start and stop of chibo. */
    const startOnce = async () => {
      const messages: string[] = [];
      const logger = createLogger("info", { format: "json", destination: { write: (line: string) => messages.push((JSON.parse(line) as { msg: string }).msg) } });
      const chibo = await startInProcess({ config, logger });
      await chibo.stop();
      return messages;
    };
    try {
      const empty = await startOnce();
      const channels = empty.find((m) => m.startsWith("Kênh chat:"));
      expect(channels).toMatch(/^Kênh chat: Telegram \(bot @\w+\), Zalo Bot \(chibo_test_bot\), Zalo Official Account\.$/);
      expect(empty.filter((m) => m.includes("npm run chibo -- demo"))).toEqual([expect.stringMatching(/^Bước tiếp theo: nạp dữ liệu mẫu/)]);
      expect(empty.some((m) => m.startsWith("Chưa kết nối kênh chat nào"))).toBe(false);

      await database.prisma.organization.create({ data: { name: "Đảng ủy xã Hà Kỳ", searchName: "dang uy xa ha ky", code: "ha-ky", level: "base" } });
      const withData = await startOnce();
      expect(withData.find((m) => m.startsWith("Kênh chat:"))).toBe(channels);
      expect(withData.filter((m) => m.includes("demo"))).toEqual([]);
      expect(withData).toContain("Bước tiếp theo: nhập danh sách đảng viên bằng «npm run chibo -- members import <tệp.xlsx> --org <mã>».");
    } finally {
      await Promise.all([telegram.close(), zaloBot.close(), zaloOa.close()]);
      await database.cleanup();
    }
  });
});
