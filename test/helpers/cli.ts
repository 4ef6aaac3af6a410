import { runCli } from "../../src/cli/program.ts";
import { fixedClock } from "../../src/services/clock.ts";

/** Runs an admin command in-process, as `npm run chibo -- ...` would, and captures what it prints. */
export async function chibo(args: string[], options: { databaseUrl: string; now?: string; env?: Record<string, string> }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: { DATABASE_URL: options.databaseUrl, ...options.env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    clock: fixedClock(options.now ?? "2026-09-25T03:00:00Z"),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}
