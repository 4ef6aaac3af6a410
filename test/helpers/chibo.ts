import { pino } from "pino";
import { parseConfig } from "../../src/config.ts";
import { startChibo, type Chibo, type RuntimeOptions } from "../../src/runtime.ts";
import type { FakeTelegram } from "../fakes/fakeTelegram.ts";
import type { FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import type { FakeZaloOa } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";

export interface StartedChibo {
  chibo: Chibo;
  database: TestDatabase;
  stop(): Promise<void>;
}

/** The OA secret key chibo checks webhook signatures with in tests. */
export const ZALO_OA_SECRET_KEY = "oa-secret-key-for-tests";

/** One chat platform's fake, for chibo to talk to instead of the real one. */
export type ChannelFake =
  | { channel: "telegram"; fake: FakeTelegram }
  | { channel: "zalo_bot"; fake: FakeZaloBot }
  | { channel: "zalo_oa"; fake: FakeZaloOa };

/** The environment that connects chibo to a fake platform: the Zalo bot long-polls (no PUBLIC_URL). */
function channelEnv(target: ChannelFake): Record<string, string> {
  switch (target.channel) {
    case "telegram":
      return { TELEGRAM_BOT_TOKEN: target.fake.token, TELEGRAM_API_ROOT: target.fake.apiRoot };
    case "zalo_bot":
      return { ZALO_BOT_TOKEN: target.fake.token, ZALO_BOT_API_ROOT: target.fake.apiRoot };
    case "zalo_oa":
      return {
        ZALO_OA_APP_ID: target.fake.appId,
        ZALO_OA_SECRET_KEY,
        ZALO_OA_APP_SECRET: target.fake.appSecret,
        ZALO_OA_ACCESS_TOKEN: target.fake.validAccessToken,
        ZALO_OA_REFRESH_TOKEN: target.fake.validRefreshToken,
        ZALO_OA_API_ROOT: target.fake.root,
        ZALO_OA_OAUTH_ROOT: target.fake.root,
      };
  }
}

/** chibo as `npm start` builds it, on a fresh database, with one chat channel talking to its fake. */
export async function startChiboWithChannel(target: ChannelFake, env: Record<string, string> = {}, runtime: Pick<RuntimeOptions, "clock" | "flowSweepMs" | "telegramRetryMs"> = {}): Promise<StartedChibo> {
  const database = await freshDatabase();
  const config = parseConfig({
    DATABASE_URL: database.url,
    HOST: "127.0.0.1",
    PORT: "0",
    ...channelEnv(target),
    // Time-based jobs are tested on their own, with a clock they drive.
    SCHEDULER_ENABLED: "false",
    OUTBOX_LEASE_SECONDS: "5",
    ...env,
  });
  const chibo = await startChibo({ config, logger: pino({ level: "silent" }), ...runtime });
  return {
    chibo,
    database,
    async stop() {
      await chibo.stop();
      await database.cleanup();
    },
  };
}

/** chibo as `npm start` builds it, on a fresh database, talking to a fake Bot API server. */
export function startChiboWithTelegram(fake: FakeTelegram, env: Record<string, string> = {}, telegramRetryMs?: number, runtime: Pick<RuntimeOptions, "clock" | "flowSweepMs"> = {}): Promise<StartedChibo> {
  return startChiboWithChannel({ channel: "telegram", fake }, env, { ...runtime, ...(telegramRetryMs === undefined ? {} : { telegramRetryMs }) });
}
