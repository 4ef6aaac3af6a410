import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers/db.ts";

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
