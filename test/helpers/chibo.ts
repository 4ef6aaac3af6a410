import { pino } from "pino";
import { parseConfig } from "../../src/config.ts";
import { startChibo, type Chibo, type RuntimeOptions } from "../../src/runtime.ts";
import type { FakeTelegram } from "../fakes/fakeTelegram.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";

/** chibo as `npm start` builds it, on a fresh database, talking to a fake Bot API server. */
export async function startChiboWithTelegram(fake: FakeTelegram, env: Record<string, string> = {}, telegramRetryMs?: number, runtime: Pick<RuntimeOptions, "clock" | "flowSweepMs"> = {}): Promise<{ chibo: Chibo; database: TestDatabase; stop(): Promise<void> }> {
  const database = await freshDatabase();
  const config = parseConfig({
    DATABASE_URL: database.url,
    HOST: "127.0.0.1",
    PORT: "0",
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // Time-based jobs are tested on their own, with a clock they drive.
    SCHEDULER_ENABLED: "false",
    OUTBOX_LEASE_SECONDS: "5",
    ...env,
  });
  const chibo = await startChibo({ config, logger: pino({ level: "silent" }), telegramRetryMs, ...runtime });
  return {
    chibo,
    database,
    async stop() {
      await chibo.stop();
      await database.cleanup();
    },
  };
}
