import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createZaloBotChannel, ZALO_BOT_LIMITS, type ZaloBotChannel } from "../../src/channels/zaloBot/index.ts";
import { createCore } from "../../src/core/createCore.ts";
import { createFlowStore } from "../../src/core/flowStore.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createOutboxWorker } from "../../src/delivery/outboxWorker.ts";
import { DEFAULT_RETRY_POLICY } from "../../src/delivery/retryPolicy.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { createTranslator } from "../../src/i18n.ts";
import { createInboundProcessor, type InboundHandler } from "../../src/inbound/inboundProcessor.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { systemClock, type Clock } from "../../src/services/clock.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import type { FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";

export const WEBHOOK_SECRET = "zalo-webhook-secret-for-tests";

export interface ZaloBotChibo {
  database: TestDatabase;
  services: Services;
  channel: ZaloBotChannel;
  /** The bot's account name, as start() returned it. */
  username: string;
  /** Where the webhook listens, when started with a public URL. */
  baseUrl?: string;
  stop(): Promise<void>;
}

/**
 * chibo's core, inbound processor and outbox wired to the Zalo Bot channel alone, on a fresh
 * database, against the fake platform: by webhook when `publicUrl` is given, else by polling.
 * `handler` replaces the core, to see what the channel hands over.
 */
export async function startChiboOnZaloBot(fake: FakeZaloBot, options: { publicUrl?: string; clock?: Clock; handler?: InboundHandler } = {}): Promise<ZaloBotChibo> {
  const clock = options.clock ?? systemClock;
  const logger = pino({ level: "silent" });
  const database = await freshDatabase();
  const db = database.prisma;
  const translator = createTranslator({ defaultLanguage: "vi" });
  const services = createServices({ db, inviteTtlDays: 14 });
  const outbox = createOutbox({ db, clock });
  const flows = createFlowStore({ db, timeoutMs: 30 * 60_000 });
  const feedback = createFeedbackService({ db, outbox, translator });
  const core = createCore({ db, services, feedback, outbox, flows, clock, translator, defaultLanguage: "vi" });

  let notify = () => {};
  const store = createInboundStore({ db, onStored: () => notify() });
  const channel = createZaloBotChannel({
    settings: { token: fake.token, apiRoot: fake.apiRoot, webhookSecret: WEBHOOK_SECRET, pollTimeoutSeconds: 2, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) },
    db, store, clock, logger, translator,
  });
  const processor = createInboundProcessor({ db, handler: options.handler ?? core, clock, logger, decoders: { zalo_bot: channel.decoder }, idlePollMs: 20 });
  notify = () => processor.notify();
  const worker = createOutboxWorker({
    db, clock, logger,
    transports: { zalo_bot: channel.transport },
    limits: { zalo_bot: { ...ZALO_BOT_LIMITS, perChat: { count: 100, windowMs: 1000 } } },
    retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    idlePollMs: 20,
  });

  let server: Server | undefined;
  if (options.publicUrl) {
    const app = createHttpApp({ isDatabaseReachable: async () => true, logger, mounts: [(a) => channel.mount(a)] });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
  }
  processor.start();
  worker.start();
  const { username } = await channel.start();

  return {
    database,
    services,
    channel,
    username,
    ...(server ? { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } : {}),
    async stop() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await channel.stop();
      await processor.stop();
      await worker.stop();
      await database.cleanup();
    },
  };
}
