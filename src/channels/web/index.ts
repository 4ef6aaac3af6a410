import type { Express } from "express";
import type { Logger } from "pino";
import type { OutboxEvent } from "../../delivery/outboxWorker.ts";
import type { RateLimits } from "../../delivery/rateLimiter.ts";
import type { InboundDecoder } from "../../inbound/inboundProcessor.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Language, Translator } from "../../i18n.ts";
import type { Clock } from "../../services/clock.ts";
import { WEB_CHANNEL, type WebChatService } from "../../services/webChat.ts";
import { createWebApi } from "./api.ts";
import type { WebPhotos } from "./photoRoutes.ts";
import { decodeWebUpdate } from "./decode.ts";
import { webChatHostGuard } from "./hostCheck.ts";
import { buildChatPage } from "./page.ts";
import { createSentSignal } from "./sentSignal.ts";
import { createWebTransport } from "./transport.ts";

export const WEB_CHAT_PATH = "/chat";

/** Nothing to protect on the far side: the limits only keep one busy page from starving others. */
export const WEB_LIMITS: RateLimits = {
  global: { count: 50, windowMs: 1000 },
  perChat: { count: 50, windowMs: 1000 },
  perGroup: { count: 50, windowMs: 60_000 },
};

/**
 * The web chat: a page at /chat where a person picks a demo member and talks to chibo as them.
 * What they send is stored and handled like any platform's update; chibo's answers are outbox
 * rows the page reads back once sent.
 */
export function createWebChannel(deps: {
  webChat: WebChatService; store: InboundStore; clock: Clock; logger: Logger; translator: Translator; defaultLanguage: Language;
  /** Hosts answered besides this machine's own names (see isWebChatRequestAllowed). */
  allowedHosts?: readonly string[];
  photos?: WebPhotos;
}) {
  const signal = createSentSignal();
  const page = buildChatPage(deps.translator);
  // The demo chat's own history is read back from its stored updates, so they are kept.
  const decoder: InboundDecoder = { decode: decodeWebUpdate, keepsPayload: true };

  return {
    name: WEB_CHANNEL,
    decoder,
    transport: createWebTransport(),
    mount(app: Express) {
      // First: a request the web chat does not answer is refused before its body is read.
      const refusal = () => deps.translator.t(deps.defaultLanguage)("web:hostRefused");
      app.use(WEB_CHAT_PATH, webChatHostGuard(deps.allowedHosts ?? [], refusal));
      app.get(WEB_CHAT_PATH, (_req, res) => {
        res.set({ "content-security-policy": page.contentSecurityPolicy, "x-content-type-options": "nosniff", "cache-control": "no-store", "referrer-policy": "no-referrer" });
        res.type("html").send(page.html);
      });
      app.use(`${WEB_CHAT_PATH}/api`, createWebApi({ ...deps, signal }));
    },
    /** Wakes the page waiting on this chat when the worker has marked a message to it sent. */
    onOutboxEvent(event: OutboxEvent) {
      if (event.type === "sent" && event.message.channel === WEB_CHANNEL) signal.notify(event.message.chatId);
    },
    /** Ends every long poll at once, so the server can close. */
    stop() {
      signal.close();
    },
  };
}

export type WebChannel = ReturnType<typeof createWebChannel>;
