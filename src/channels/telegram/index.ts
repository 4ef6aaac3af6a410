import http from "node:http";
import https from "node:https";
import type { Express } from "express";
import type { Logger } from "pino";
import { Telegraf, TelegramError } from "telegraf";
import type { Update } from "telegraf/types";
import type { InboundDecoder } from "../../inbound/inboundProcessor.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Translator } from "../../i18n.ts";
import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import type { PhotoShelf } from "../types.ts";
import { decodeTelegramUpdate } from "./decode.ts";
import { createTelegramPolling } from "./polling.ts";
import { ALLOWED_UPDATES, createCommandMenu } from "./setup.ts";
import { createTelegramTransport } from "./transport.ts";
import { createTelegramWebhookHandlers, TELEGRAM_WEBHOOK_PATH } from "./webhook.ts";

export interface TelegramSettings {
  token: string;
  apiRoot: string;
  /** With a public URL updates come by webhook; without one, by long polling. */
  publicUrl?: string;
  webhookSecret: string;
  pollTimeoutSeconds?: number;
  /** The first wait before the command menu is tried again after a failure; the wait then doubles. */
  menuRetryMs?: number;
}

export class TelegramTokenRejected extends Error {}

/** The Telegram channel: a transport for the outbox, a decoder for stored updates, and a way in. */
export function createTelegramChannel(deps: {
  settings: TelegramSettings; db: Db; store: InboundStore; clock: Clock; logger: Logger; translator: Translator; photos?: PhotoShelf;
}) {
  const { settings, logger } = deps;
  // telegraf's default agent is HTTPS-only; a self-hosted or fake Bot API may speak plain HTTP.
  const agent = settings.apiRoot.startsWith("http:") ? new http.Agent({ keepAlive: true, maxSockets: 64 }) : new https.Agent({ keepAlive: true, maxSockets: 64 });
  const bot = new Telegraf(settings.token, { telegram: { apiRoot: settings.apiRoot, agent, webhookReply: false } });
  const telegram = bot.telegram;
  const polling = settings.publicUrl
    ? undefined
    : createTelegramPolling({ telegram, store: deps.store, db: deps.db, clock: deps.clock, logger, pollTimeoutSeconds: settings.pollTimeoutSeconds });
  const menu = createCommandMenu({ telegram, translator: deps.translator, logger, retryFirstMs: settings.menuRetryMs });

  const decoder: InboundDecoder = {
    decode: (payload) => decodeTelegramUpdate(JSON.parse(payload) as Update),
    async acknowledge(event) {
      if (event.type === "message" && event.message.callbackId) await telegram.answerCbQuery(event.message.callbackId);
    },
  };

  return {
    name: "telegram" as const,
    transport: createTelegramTransport(telegram, deps.photos),
    decoder,
    mode: settings.publicUrl ? ("webhook" as const) : ("polling" as const),
    mount(app: Express) {
      if (!settings.publicUrl) return;
      app.post(TELEGRAM_WEBHOOK_PATH, ...createTelegramWebhookHandlers({ secret: settings.webhookSecret, store: deps.store, clock: deps.clock, logger }));
    },
    /** Checks the token, sets the webhook or starts polling; the command menu is set in the background. */
    async start(): Promise<{ username: string }> {
      let me;
      try {
        me = await telegram.getMe();
      } catch (error) {
        if (error instanceof TelegramError && (error.code === 401 || error.code === 404)) throw new TelegramTokenRejected(error.message);
        throw error;
      }
      menu.start();
      if (settings.publicUrl) {
        const url = new URL(TELEGRAM_WEBHOOK_PATH, settings.publicUrl).toString();
        await telegram.setWebhook(url, { secret_token: settings.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
      } else {
        await telegram.deleteWebhook();
        polling?.start();
      }
      return { username: me.username };
    },
    async stop() {
      menu.stop();
      await polling?.stop();
      agent.destroy();
    },
  };
}

export type TelegramChannel = ReturnType<typeof createTelegramChannel>;
