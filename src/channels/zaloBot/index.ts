import type { Express } from "express";
import type { Logger } from "pino";
import type { InboundDecoder } from "../../inbound/inboundProcessor.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Translator } from "../../i18n.ts";
import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import type { PhotoShelf } from "../types.ts";
import { createZaloBotApi, ZaloBotApiError } from "./api.ts";
import { createChoiceStore } from "./choiceStore.ts";
import { decodeZaloBotEvent } from "./decode.ts";
import { createZaloBotPolling } from "./polling.ts";
import { createZaloBotTransport } from "./transport.ts";
import { createZaloBotWebhookHandlers, ZALO_BOT_WEBHOOK_PATH } from "./webhook.ts";

export { ZALO_BOT_LIMITS } from "./limits.ts";
export { ZALO_BOT_WEBHOOK_PATH } from "./webhook.ts";

export interface ZaloBotSettings {
  token: string;
  /** https://bot-api.zaloplatforms.com, or a stand-in. */
  apiRoot: string;
  /** With a public URL events come by webhook; without one, by long polling. */
  publicUrl?: string;
  /** 8 to 256 characters; the platform sends it back on every webhook call. */
  webhookSecret: string;
  pollTimeoutSeconds?: number;
}

export class ZaloBotTokenRejected extends Error {}

/** The Zalo Bot Platform channel: a transport for the outbox, a decoder for stored events, and a way in. */
export function createZaloBotChannel(deps: {
  settings: ZaloBotSettings; db: Db; store: InboundStore; clock: Clock; logger: Logger; translator: Translator; photos?: PhotoShelf;
}) {
  const { settings, logger } = deps;
  const api = createZaloBotApi(settings);
  const choices = createChoiceStore(deps.db, deps.clock);
  const polling = settings.publicUrl
    ? undefined
    : createZaloBotPolling({ api, store: deps.store, clock: deps.clock, logger, pollTimeoutSeconds: settings.pollTimeoutSeconds });

  const decoder: InboundDecoder = {
    decode: (payload) => decodeZaloBotEvent(JSON.parse(payload) as unknown, (chatId) => choices.shownIn(chatId)),
  };

  return {
    name: "zalo_bot" as const,
    transport: createZaloBotTransport({ api, db: deps.db, choices, translator: deps.translator, logger, ...(deps.photos ? { photos: deps.photos } : {}) }),
    decoder,
    mode: settings.publicUrl ? ("webhook" as const) : ("polling" as const),
    mount(app: Express) {
      if (!settings.publicUrl) return;
      app.post(ZALO_BOT_WEBHOOK_PATH, ...createZaloBotWebhookHandlers({ secret: settings.webhookSecret, store: deps.store, clock: deps.clock, logger }));
    },
    /** Checks the token, then sets the webhook or starts polling; returns the bot's account name. */
    async start(): Promise<{ id: string; username: string }> {
      let me: { id?: unknown; account_name?: unknown; display_name?: unknown };
      try {
        me = await api.call("getMe");
      } catch (error) {
        if (error instanceof ZaloBotApiError && (error.code === 401 || error.code === 404)) throw new ZaloBotTokenRejected(error.description);
        throw error;
      }
      if (settings.publicUrl) {
        const url = new URL(ZALO_BOT_WEBHOOK_PATH, settings.publicUrl).toString();
        await api.call("setWebhook", { url, secret_token: settings.webhookSecret });
      } else {
        // getUpdates does not work while a webhook is set.
        await api.call("deleteWebhook");
        polling?.start();
      }
      const name = [me.account_name, me.display_name].find((v): v is string => typeof v === "string" && v !== "");
      return { id: String(me.id ?? ""), username: name ?? "" };
    },
    async stop() {
      await polling?.stop();
    },
  };
}

export type ZaloBotChannel = ReturnType<typeof createZaloBotChannel>;
