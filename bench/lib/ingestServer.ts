/**
 * One side of the ingest benchmark, run as its own process so the load generator does not share
 * its event loop: `full` serves chibo's real Telegram webhook route (secret check, dedupe, store),
 * `full-oa` chibo's real Zalo OA route (raw body, signature, timestamp window, dedupe on msg_id,
 * store); `bare` and `bare-oa` are a plain node:http handler doing the same database insert (the
 * id taken from update_id or msg_id). Prints the port when ready.
 */
import http from "node:http";
import { pino } from "pino";
import { createTelegramChannel } from "../../src/channels/telegram/index.ts";
import { createZaloOaChannel } from "../../src/channels/zaloOa/index.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { createTranslator } from "../../src/i18n.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { systemClock } from "../../src/services/clock.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { isUniqueViolation } from "../../src/storage/errors.ts";

const [mode, databaseUrl, secret, appId] = process.argv.slice(2) as ["full" | "bare" | "full-oa" | "bare-oa", string, string, string | undefined];
const database = await openDatabase({ url: databaseUrl, busyTimeoutMs: 5000 });
const logger = pino({ level: "silent" });
let server: http.Server;

if (mode === "full") {
  const store = createInboundStore({ db: database.prisma });
  const telegram = createTelegramChannel({
    settings: { token: "1:BENCH", apiRoot: "http://127.0.0.1:9", publicUrl: "https://chibo.example", webhookSecret: secret },
    db: database.prisma, store, clock: systemClock, logger, translator: createTranslator(),
  });
  server = createHttpApp({ isDatabaseReachable: database.isReachable, logger, mounts: [telegram.mount] }).listen(0, "127.0.0.1");
} else if (mode === "full-oa") {
  const store = createInboundStore({ db: database.prisma });
  const oa = createZaloOaChannel({ settings: { appId: appId!, secretKey: secret, appSecret: "unused-in-bench" }, db: database.prisma, store, clock: systemClock, logger });
  server = createHttpApp({ isDatabaseReachable: database.isReachable, logger, mounts: [oa.mount] }).listen(0, "127.0.0.1");
} else {
  const channel = mode === "bare-oa" ? "zalo_oa" : "telegram";
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const update = JSON.parse(Buffer.concat(chunks).toString()) as { update_id?: number; message?: { msg_id?: string } };
      database.prisma.inboundUpdate
        .create({ data: { channel, externalId: String(update.update_id ?? update.message?.msg_id), payload: JSON.stringify(update), receivedAt: new Date() } })
        .then(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'))
        // A redelivered update is acknowledged like a new one, as the real route does.
        .catch((error: unknown) => res.writeHead(isUniqueViolation(error) ? 200 : 500).end());
    });
  }).listen(0, "127.0.0.1");
}
server.on("listening", () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === "object" && address ? address.port : 0}\n`);
});
