import type { Express } from "express";
import type { Logger } from "pino";
import { createTranslator, type Translator } from "../../i18n.ts";
import type { InboundDecoder } from "../../inbound/inboundProcessor.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import type { SecretBox } from "../../storage/secretBox.ts";
import type { PhotoShelf } from "../types.ts";
import { refreshAccessToken } from "./api.ts";
import { numberedChoiceFromOutbox } from "./choices.ts";
import { decodeZaloOaEvent } from "./decode.ts";
import type { ZaloOaEvent } from "./event.ts";
import { createZaloOaTokens } from "./tokens.ts";
import { createZaloOaTransport } from "./transport.ts";
import { createZaloOaWebhookHandler, readRawBody, ZALO_OA_WEBHOOK_PATH } from "./webhook.ts";

export { ZALO_OA_LIMITS } from "./limits.ts";
export { ZALO_OA_WEBHOOK_PATH } from "./webhook.ts";

export const DEFAULT_ZALO_OA_API_ROOT = "https://openapi.zalo.me";
export const DEFAULT_ZALO_OA_OAUTH_ROOT = "https://oauth.zaloapp.com";
/**
 * An event older than this is refused as a replay (its signature would still be valid). Zalo
 * retries a failed delivery after 30 s, 5, 15 and 30 min and 1 h with the event's own timestamp,
 * so the window covers those retries; a repeat inside it is caught by its stored id.
 */
export const DEFAULT_MAX_EVENT_AGE_MS = 75 * 60_000;
/**
 * How often the access token is looked at while nothing is sent. A quiet OA still refreshes it
 * before it expires, and so keeps its refresh token in use: otherwise weeks without a message
 * would leave only expired tokens and the app would have to be authorized again by hand.
 */
export const DEFAULT_TOKEN_CHECK_MS = 15 * 60_000;

export interface ZaloOaSettings {
  appId: string;
  /** The OA secret key: Zalo signs webhook events with it. */
  secretKey: string;
  /** The app secret: it authorizes token refreshes. */
  appSecret: string;
  apiRoot?: string;
  oauthRoot?: string;
  /** Used once, when the database holds no tokens from them yet; later pairs live in the database. */
  initialAccessToken?: string;
  initialRefreshToken?: string;
  maxEventAgeMs?: number;
  tokenCheckMs?: number;
}

/**
 * The Zalo Official Account channel: events come by webhook and are stored before the answer;
 * messages go out as consultation messages, which Zalo allows only to people who wrote to the OA
 * recently (otherwise the outbox is told `outsideWindow` and may use another of their chats).
 * Without a translator, notes to the member are in Vietnamese.
 */
export function createZaloOaChannel(deps: {
  settings: ZaloOaSettings; db: Db; store: InboundStore; clock: Clock; logger: Logger; translator?: Translator; secretBox?: SecretBox; photos?: PhotoShelf;
}) {
  const apiRoot = deps.settings.apiRoot ?? DEFAULT_ZALO_OA_API_ROOT;
  const oauthRoot = deps.settings.oauthRoot ?? DEFAULT_ZALO_OA_OAUTH_ROOT;
  const maxEventAgeMs = deps.settings.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS;
  const { settings, db, clock, logger } = deps;
  const t = (deps.translator ?? createTranslator()).t("vi");

  const tokens = createZaloOaTokens({
    db,
    clock,
    logger,
    refresh: (refreshToken) => refreshAccessToken({ oauthRoot, appId: settings.appId, appSecret: settings.appSecret }, refreshToken),
    ...(settings.initialAccessToken ? { initialAccessToken: settings.initialAccessToken } : {}),
    ...(settings.initialRefreshToken ? { initialRefreshToken: settings.initialRefreshToken } : {}),
    ...(deps.secretBox ? { box: deps.secretBox } : {}),
  });
  const numberedChoice = numberedChoiceFromOutbox(db);
  let keepFresh: NodeJS.Timeout | undefined;
  let checking: Promise<unknown> | undefined;
  const decoder: InboundDecoder = {
    decode: (payload) => decodeZaloOaEvent(JSON.parse(payload) as ZaloOaEvent, numberedChoice),
  };

  return {
    name: "zalo_oa" as const,
    transport: createZaloOaTransport({
      apiRoot, tokens, fileNote: (fileName) => t("zaloOa:fileElsewhere", { fileName }), photoNote: () => t("zaloOa:photoElsewhere"),
      ...(deps.photos ? { photos: deps.photos } : {}),
    }),
    decoder,
    tokens,
    mount(app: Express) {
      const handler = createZaloOaWebhookHandler({ settings: { appId: settings.appId, secretKey: settings.secretKey, maxEventAgeMs }, store: deps.store, clock, logger });
      app.post(ZALO_OA_WEBHOOK_PATH, readRawBody, handler);
    },
    /** Stores the configured tokens if they are new and keeps them fresh; the webhook URL is set in Zalo's console. */
    async start(): Promise<void> {
      await tokens.seed();
      keepFresh ??= setInterval(() => {
        checking ??= tokens
          .accessToken()
          .catch((error: unknown) => logger.warn({ err: error }, "could not refresh the Zalo OA access token; trying again later"))
          .finally(() => {
            checking = undefined;
          });
      }, settings.tokenCheckMs ?? DEFAULT_TOKEN_CHECK_MS);
      keepFresh.unref();
    },
    async stop(): Promise<void> {
      clearInterval(keepFresh);
      keepFresh = undefined;
      await checking;
    },
  };
}

export type ZaloOaChannel = ReturnType<typeof createZaloOaChannel>;
