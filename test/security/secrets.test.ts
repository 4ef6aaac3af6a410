import http from "node:http";
import { Telegram } from "telegraf";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createOutboxWorker } from "../../src/delivery/outboxWorker.ts";
import { createTelegramTransport } from "../../src/channels/telegram/transport.ts";
import { createLogger } from "../../src/logger.ts";
import { createRedactor } from "../../src/redaction.ts";
import { startChibo } from "../../src/runtime.ts";
import { systemClock } from "../../src/services/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const TOKEN = "123456789:AAEsecretTokenForRedactionTests_x1";
const RETRY = { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };
const LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };

/** A proxy in front of the Bot API answering every call with an HTML 404, as a misconfigured one does. */
async function htmlServer() {
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<html><body><h1>404 Not Found</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { root: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.cleanup();
  database = undefined;
});

/** Every text column of every table, as one text: what someone with the database file reads. */
async function everythingStored(db: TestDatabase["prisma"]): Promise<string> {
  const tables = await db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'table'`;
  const rows = await Promise.all(tables.map((t) => db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${t.name}"`)));
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

describe("secrets in logs and stored errors", () => {
  it("masks registered secrets, Bot API paths and token parameters, and nothing else", () => {
    const redactor = createRedactor();
    redactor.register("oa-refresh-token-0123456789");
    redactor.register("short");
    expect(redactor.redact("refresh with oa-refresh-token-0123456789 failed; short answer")).toBe("refresh with [redacted] failed; short answer");
    expect(redactor.redact("request to https://api.telegram.org/bot999:UNKNOWN_TOKEN_abcdef/getMe failed")).toBe("request to https://api.telegram.org/bot[redacted]/getMe failed");
    expect(redactor.redact("GET /v4/oa/access_token?refresh_token=abc123&app_id=1")).toBe("GET /v4/oa/access_token?refresh_token=[redacted]&app_id=1");
    expect(redactor.redact('{"access_token":"zzz999","expires_in":"90000"}')).toBe('{"access_token":"[redacted]","expires_in":"90000"}');
    expect(redactor.errorText(new Error(`bad ${"oa-refresh-token-0123456789"}`))).toBe("bad [redacted]");
  });

  it("keeps the bot token out of the start log when the Bot API answers HTML", async () => {
    const proxy = await htmlServer();
    database = await freshDatabase();
    const lines: string[] = [];
    const logger = createLogger("debug", { destination: { write: (line: string) => lines.push(line) } });
    const config = parseConfig({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: proxy.root, SCHEDULER_ENABLED: "false" });
    const chibo = await startChibo({ config, logger, telegramRetryMs: 200 });
    try {
      await waitUntil(async () => lines.filter((l) => l.includes("getMe")).length >= 2);
      const log = lines.join("");
      expect(log).toContain("/bot[redacted]/getMe");
      expect(log).not.toContain(TOKEN);
      expect(log).not.toContain(TOKEN.split(":")[1]);
      expect(await everythingStored(database.prisma)).not.toContain(TOKEN.split(":")[1]);
    } finally {
      await chibo.stop();
      await proxy.close();
    }
  });

  it("stores no token in a message's last error when sending meets an HTML answer", async () => {
    const proxy = await htmlServer();
    database = await freshDatabase();
    const db = database.prisma;
    const lines: string[] = [];
    const logger = createLogger("debug", { destination: { write: (line: string) => lines.push(line) } });
    // The token is not registered here: the Bot API path pattern alone must catch it.
    const transport = createTelegramTransport(new Telegram(TOKEN, { apiRoot: proxy.root }));
    await createOutbox({ db, clock: systemClock }).enqueue([{ dedupeKey: "m1", channel: "telegram", chatId: "42", message: { text: "Xin chào" } }]);
    const worker = createOutboxWorker({ db, transports: { telegram: transport }, clock: systemClock, logger, limits: { telegram: LIMITS }, retry: RETRY, idlePollMs: 20 });
    worker.start();
    try {
      await waitUntil(async () => (await db.outboxMessage.findFirstOrThrow()).status === "failed");
      const row = await db.outboxMessage.findFirstOrThrow();
      expect(row.lastError).toContain("/bot[redacted]/sendMessage");
      expect(await everythingStored(db)).not.toContain(TOKEN.split(":")[1]);
      expect(lines.join("")).not.toContain(TOKEN.split(":")[1]);
    } finally {
      await worker.stop();
      await proxy.close();
    }
  });
});
