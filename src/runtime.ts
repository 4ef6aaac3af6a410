import type { Server } from "node:http";
import type { Logger } from "pino";
import { createTelegramChannel, TelegramTokenRejected, type TelegramChannel } from "./channels/telegram/index.ts";
import { createWebChannel, WEB_LIMITS } from "./channels/web/index.ts";
import { webChatStartLine, webChatUrl } from "./channels/web/startLine.ts";
import { createZaloBotChannel, ZALO_BOT_LIMITS, ZaloBotTokenRejected, type ZaloBotChannel } from "./channels/zaloBot/index.ts";
import { createZaloOaChannel, ZALO_OA_LIMITS, type ZaloOaChannel } from "./channels/zaloOa/index.ts";
import { telegramWebhookSecret, webChatHosts, webChatSetting, zaloBotWebhookSecret, type Config } from "./config.ts";
import { createCore } from "./core/createCore.ts";
import { createFlowStore } from "./core/flowStore.ts";
import { createFlowSweeper } from "./core/flowSweeper.ts";
import { askForConsent } from "./core/features/consent.ts";
import { startScheduling } from "./scheduling/index.ts";
import { nightlyBackupSettings } from "./scheduling/jobs/nightlyBackup.ts";
import { createOutbox } from "./delivery/outbox.ts";
import { createOutboxWorker, type OutboxEvent } from "./delivery/outboxWorker.ts";
import { DEFAULT_RETRY_POLICY } from "./delivery/retryPolicy.ts";
import { createConsoleMount } from "./console/app.ts";
import { pagesBaseUrl } from "./http/baseUrl.ts";
import { createHttpApp } from "./http/app.ts";
import { createBoundedServer, isLoopbackHost, type ServerLimits } from "./http/server.ts";
import { createTranslator } from "./i18n.ts";
import { createInboundProcessor } from "./inbound/inboundProcessor.ts";
import { createInboundStore } from "./inbound/inboundStore.ts";
import { setUpPhotos } from "./photos.ts";
import { systemClock, type Clock } from "./services/clock.ts";
import { createFeedbackService } from "./services/feedback.ts";
import { foldFeedbackSearchText } from "./services/feedbackSearchText.ts";
import { createServices } from "./services/index.ts";
import { createWebChatService } from "./services/webChat.ts";
import { describeSetup } from "./services/setupStatus.ts";
import { secrets } from "./redaction.ts";
import { openDatabase } from "./storage/database.ts";
import { createSecretBox } from "./storage/secretBox.ts";

export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  onOutboxEvent?: (event: OutboxEvent) => void;
  /** How long to wait before trying Telegram again when it could not be reached at start. */
  telegramRetryMs?: number;
  /** How often flows left alone are looked for (every minute by default). */
  flowSweepMs?: number;
}

const TELEGRAM_RETRY_MS = 30_000;

/** The HTTP port could not be opened (`code` is the system's: EADDRINUSE when another program has it). */
export class PortUnavailable extends Error {
  constructor(readonly port: number, readonly code: string, options?: ErrorOptions) {
    super(`could not listen on port ${port}: ${code}`, options);
  }
}

/** Listens, or rejects with PortUnavailable: express 5 hands a listen error to the same callback as success. */
function listen(app: ReturnType<typeof createHttpApp>, port: number, host: string, limits: ServerLimits): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createBoundedServer(app, limits).listen(port, host);
    const onError = (error: NodeJS.ErrnoException) => reject(new PortUnavailable(port, error.code ?? "unknown", { cause: error }));
    server.once("error", onError);
    server.once("listening", () => {
      server.off("error", onError);
      resolve(server);
    });
  });
}

/** Builds and starts chibo: database → services → core → channels → workers → http. */
export async function startChibo(options: RuntimeOptions) {
  const { config, logger } = options;
  for (const secret of [config.TELEGRAM_BOT_TOKEN, telegramWebhookSecret(config), config.ZALO_BOT_TOKEN, zaloBotWebhookSecret(config),
    config.ZALO_OA_SECRET_KEY, config.ZALO_OA_APP_SECRET, config.ZALO_OA_ACCESS_TOKEN, config.ZALO_OA_REFRESH_TOKEN, config.CHIBO_SECRET_KEY]) secrets.register(secret);
  const clock = options.clock ?? systemClock;
  const telegramRetryMs = options.telegramRetryMs ?? TELEGRAM_RETRY_MS;
  const translator = createTranslator({ defaultLanguage: config.DEFAULT_LANGUAGE });
  const t = translator.t(config.DEFAULT_LANGUAGE);
  const database = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  if (database.migrations?.applied.length) {
    logger.info({ migrations: database.migrations.applied }, t("common:migrationsApplied", { count: database.migrations.applied.length }));
  }
  const db = database.prisma;
  await foldFeedbackSearchText(db);
  const retention = { outboxText: config.RETENTION_OUTBOX_DAYS, inboundUpdate: config.RETENTION_INBOUND_DAYS, attendanceReason: config.RETENTION_ATTENDANCE_REASON_DAYS, auditLog: config.RETENTION_AUDIT_DAYS };
  const services = createServices({
    db, inviteTtlDays: config.INVITE_TTL_DAYS, privacy: { retention, publicUrl: config.PUBLIC_URL }, clock, translator, defaultLanguage: config.DEFAULT_LANGUAGE,
    console: { linkMinutes: config.CONSOLE_LINK_MINUTES, idleMinutes: config.CONSOLE_IDLE_MINUTES, sessionHours: config.CONSOLE_SESSION_HOURS },
  });
  const outbox = createOutbox({ db, clock });
  const flows = createFlowStore({ db, timeoutMs: config.FLOW_TIMEOUT_MINUTES * 60_000 });
  const photos = await setUpPhotos({ config, db, clock, logger });
  const feedback = createFeedbackService({ db, outbox, translator, photos: photos.feedbackPhotos });
  let telegramUsername: string | undefined;
  // Known once the server listens (PORT=0 picks a free port).
  let baseUrl = pagesBaseUrl(config.PUBLIC_URL, config.HOST, config.PORT);
  const links = {
    privateChat: (channel: string, payload: string) => (channel === "telegram" && telegramUsername ? `https://t.me/${telegramUsername}?start=${payload}` : undefined),
    consoleSignIn: (token: string) => `${baseUrl}/console/signin/${token}`,
  };
  const core = createCore({ db, services, feedback, links, outbox, flows, clock, translator, defaultLanguage: config.DEFAULT_LANGUAGE });
  const flowSweeper = createFlowSweeper({ flows, outbox, translator, clock, logger, intervalMs: options.flowSweepMs });

  let notifyProcessor = () => {};
  const store = createInboundStore({ db, onStored: () => notifyProcessor() });
  const telegram: TelegramChannel | undefined = config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel({
        settings: { token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, publicUrl: config.PUBLIC_URL, webhookSecret: telegramWebhookSecret(config) ?? "", menuRetryMs: telegramRetryMs },
        db, store, clock, logger, translator, photos: photos.shelf,
      })
    : undefined;
  const zaloBot: ZaloBotChannel | undefined = config.ZALO_BOT_TOKEN
    ? createZaloBotChannel({
        settings: { token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_BOT_API_ROOT, publicUrl: config.PUBLIC_URL, webhookSecret: zaloBotWebhookSecret(config) ?? "" },
        db, store, clock, logger, translator, photos: photos.shelf,
      })
    : undefined;
  const zaloOa: ZaloOaChannel | undefined = config.ZALO_OA_APP_ID && config.ZALO_OA_SECRET_KEY && config.ZALO_OA_APP_SECRET
    ? createZaloOaChannel({
        settings: {
          appId: config.ZALO_OA_APP_ID, secretKey: config.ZALO_OA_SECRET_KEY, appSecret: config.ZALO_OA_APP_SECRET,
          apiRoot: config.ZALO_OA_API_ROOT, oauthRoot: config.ZALO_OA_OAUTH_ROOT,
          ...(config.ZALO_OA_ACCESS_TOKEN ? { initialAccessToken: config.ZALO_OA_ACCESS_TOKEN } : {}),
          ...(config.ZALO_OA_REFRESH_TOKEN ? { initialRefreshToken: config.ZALO_OA_REFRESH_TOKEN } : {}),
        },
        db, store, clock, logger, translator, secretBox: createSecretBox(config.CHIBO_SECRET_KEY), photos: photos.shelf,
      })
    : undefined;
  if (zaloOa && !config.CHIBO_SECRET_KEY) logger.warn(t("common:secretKeyMissing"));
  // Anyone it answers may act as a demo member (never a real one): by default only this machine, and
  // only while no chat platform is connected.
  const webChat = webChatSetting(config);
  const allowedHosts = webChatHosts(config);
  const web = webChat.enabled
    ? createWebChannel({
        webChat: createWebChatService({ db }), store, clock, logger, translator, defaultLanguage: config.DEFAULT_LANGUAGE, allowedHosts, photos: photos.shelf,
      })
    : undefined;
  const processor = createInboundProcessor({
    db, handler: core, clock, logger,
    decoders: {
      ...(telegram ? { telegram: telegram.decoder } : {}),
      ...(zaloBot ? { zalo_bot: zaloBot.decoder } : {}),
      ...(zaloOa ? { zalo_oa: zaloOa.decoder } : {}),
      ...(web ? { web: web.decoder } : {}),
    },
  });
  notifyProcessor = () => processor.notify();
  const worker = createOutboxWorker({
    db, clock, logger,
    transports: {
      ...(telegram ? { telegram: telegram.transport } : {}),
      ...(zaloBot ? { zalo_bot: zaloBot.transport } : {}),
      ...(zaloOa ? { zalo_oa: zaloOa.transport } : {}),
      ...(web ? { web: web.transport } : {}),
    },
    limits: {
      web: WEB_LIMITS,
      zalo_bot: {
        ...ZALO_BOT_LIMITS,
        global: { count: config.ZALO_BOT_RATE_PER_SECOND, windowMs: 1000 },
        perChat: { count: config.ZALO_BOT_RATE_PER_CHAT_PER_SECOND, windowMs: 1000 },
      },
      zalo_oa: {
        ...ZALO_OA_LIMITS,
        global: { count: config.ZALO_OA_RATE_PER_SECOND, windowMs: 1000 },
        perChat: { count: config.ZALO_OA_RATE_PER_CHAT_PER_SECOND, windowMs: 1000 },
      },
      telegram: {
        global: { count: config.TELEGRAM_RATE_PER_SECOND, windowMs: 1000 },
        perChat: { count: config.TELEGRAM_RATE_PER_CHAT_PER_SECOND, windowMs: 1000 },
        perGroup: { count: config.TELEGRAM_RATE_PER_GROUP_PER_MINUTE, windowMs: 60_000 },
      },
    },
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.OUTBOX_MAX_ATTEMPTS },
    concurrency: config.OUTBOX_CONCURRENCY,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    onEvent: (event) => {
      web?.onOutboxEvent(event);
      options.onOutboxEvent?.(event);
    },
  });

  const consoleMount = createConsoleMount({
    services, feedback, sessions: services.consoleSessions, access: services.consoleAccess, outbox, clock, translator, logger,
    defaultLanguage: config.DEFAULT_LANGUAGE, secureCookies: Boolean(config.PUBLIC_URL?.startsWith("https:")), photos: photos.shelf,
    baseUrl: () => baseUrl, botLink: (channel, payload) => links.privateChat(channel, payload),
  });
  const mounts = [telegram?.mount, zaloBot?.mount, zaloOa?.mount, web?.mount, photos.mount, consoleMount].filter((m) => m !== undefined);
  const app = createHttpApp({ isDatabaseReachable: database.isReachable, logger, mounts });
  let server: Server;
  try {
    // Stored OA tokens the key cannot open stop the start here, before anything listens (SecretUnreadable).
    await zaloOa?.start();
    server = await listen(app, config.PORT, config.HOST, {
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS, maxConnections: config.HTTP_MAX_CONNECTIONS,
    });
  } catch (error) {
    // Nothing is running yet but what the channels built: release it and the database, then say why.
    web?.stop();
    await telegram?.stop();
    await zaloBot?.stop();
    await zaloOa?.stop();
    await database.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  baseUrl = pagesBaseUrl(config.PUBLIC_URL, config.HOST, port);
  logger.info({ host: config.HOST, port, database: config.DATABASE_URL }, t("common:started", { port }));
  const chatUrl = webChatUrl(config.HOST, port);
  logger.info(webChatStartLine(t, webChat, chatUrl, allowedHosts));
  logger.info(t("common:consoleReady", { url: `${baseUrl}/console` }));
  if (config.PUBLIC_URL && isLoopbackHost(config.HOST)) logger.info(t("common:localOnlyWithPublicUrl", { host: config.HOST, publicUrl: config.PUBLIC_URL }));

  processor.start();
  worker.start();
  flowSweeper.start();
  // Members who have not accepted the current notice of what chibo stores (a new version, or linked
  // before there was one) are sent it, once per version however often chibo starts.
  try {
    const asked = await askForConsent({ consent: services.consent, outbox, translator });
    if (asked > 0) logger.info({ asked }, t("consent:askedAtStart", { count: asked }));
  } catch (error) {
    logger.error({ err: error }, t("consent:askFailed"));
  }
  const scheduling = config.SCHEDULER_ENABLED
    ? startScheduling({
      db, services, feedback, outbox, translator, defaultLanguage: config.DEFAULT_LANGUAGE, clock, logger, catchUpMs: config.SCHEDULE_CATCH_UP_HOURS * 3_600_000,
      retention, backup: nightlyBackupSettings(config),
    })
    : undefined;
  let telegramRetry: NodeJS.Timeout | undefined;
  const connectTelegram = async (channel: TelegramChannel): Promise<void> => {
    try {
      const { username } = await channel.start();
      telegramUsername = username;
      logger.info({ telegram: username, mode: channel.mode }, t(channel.mode === "webhook" ? "common:telegramWebhook" : "common:telegramPolling", { username }));
    } catch (error) {
      // A wrong token is the operator's to fix; anything else (no network yet) is tried again.
      if (error instanceof TelegramTokenRejected) throw error;
      logger.warn({ err: error }, t("common:telegramUnreachable", { seconds: Math.round(telegramRetryMs / 1000) }));
      telegramRetry = setTimeout(() => void connectTelegram(channel).catch((e: unknown) => logger.error({ err: e }, t("common:telegramTokenRejected"))), telegramRetryMs);
    }
  };
  let zaloBotRetry: NodeJS.Timeout | undefined;
  let zaloBotUsername: string | undefined;
  const connectZaloBot = async (channel: ZaloBotChannel): Promise<void> => {
    try {
      const { username } = await channel.start();
      zaloBotUsername = username;
      logger.info({ zaloBot: username, mode: channel.mode }, t(channel.mode === "webhook" ? "common:zaloBotWebhook" : "common:zaloBotPolling", { username }));
    } catch (error) {
      if (error instanceof ZaloBotTokenRejected) throw error;
      logger.warn({ err: error }, t("common:zaloBotUnreachable", { seconds: Math.round(telegramRetryMs / 1000) }));
      zaloBotRetry = setTimeout(() => void connectZaloBot(channel).catch((e: unknown) => logger.error({ err: e }, t("common:zaloBotTokenRejected"))), telegramRetryMs);
    }
  };
  const stop = async () => {
    clearTimeout(telegramRetry);
    clearTimeout(zaloBotRetry);
    web?.stop();
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await telegram?.stop();
    await zaloBot?.stop();
    await zaloOa?.stop();
    await scheduling?.stop();
    await flowSweeper.stop();
    await processor.stop();
    await worker.stop();
    await database.close();
  };
  if (telegram) await connectTelegram(telegram).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (zaloBot) await connectZaloBot(zaloBot).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (zaloOa) logger.info(t("common:zaloOaReady"));
  const started = {
    ...(telegram ? { telegram: { username: telegramUsername } } : {}),
    ...(zaloBot ? { zaloBot: { username: zaloBotUsername } } : {}),
    zaloOa: Boolean(zaloOa),
    ...(web ? { webChatUrl: chatUrl } : {}),
  };
  for (const line of await describeSetup(db, t, started)) logger.info(line);

  return {
    port,
    db,
    services,
    outbox,
    feedback,
    flowSweeper,
    scheduler: scheduling?.scheduler,
    stop,
  };
}

export type Chibo = Awaited<ReturnType<typeof startChibo>>;
