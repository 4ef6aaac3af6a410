import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { TelegramTokenRejected } from "../../src/channels/telegram/index.ts";
import { parseConfig } from "../../src/config.ts";
import { startChibo } from "../../src/runtime.ts";
import { privateTextUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { freshDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeTelegram(): Promise<FakeTelegram> {
  const fake = await startFakeTelegram();
  cleanups.push(() => fake.close());
  return fake;
}

describe("connecting to Telegram at start", () => {
  it("starts anyway when Telegram cannot be reached, and connects when it can", async () => {
    const fake = await fakeTelegram();
    fake.failNext("getMe", { networkError: true });
    const app = await startChiboWithTelegram(fake, {}, 100);
    cleanups.push(() => app.stop());
    expect((await fetch(`http://127.0.0.1:${app.chibo.port}/health`)).status).toBe(200);
    await waitUntil(() => fake.callsTo("setMyCommands").length === 3 && fake.callsTo("deleteWebhook").length === 1);
    expect(fake.callsTo("getMe").length).toBe(2);
    fake.pushUpdate(privateTextUpdate({ fromId: 31, text: "xin chào" }));
    await waitUntil(() => fake.sentMessages().some((m) => m.chatId === "31"));
  });

  it("refuses to start with a token Telegram rejects", async () => {
    const fake = await fakeTelegram();
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const config = parseConfig({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", TELEGRAM_BOT_TOKEN: "999:WRONG", TELEGRAM_API_ROOT: fake.apiRoot });
    await expect(startChibo({ config, logger: pino({ level: "silent" }) })).rejects.toBeInstanceOf(TelegramTokenRejected);
  });
});
