import type { Response } from "express";
import type { TFunction } from "i18next";
import type { Logger } from "pino";
import type { Outbox } from "../delivery/outbox.ts";
import type { Language, Translator } from "../i18n.ts";
import type { Clock } from "../services/clock.ts";
import type { ConsoleAccessService, ConsolePerson } from "../services/consoleAccess.ts";
import type { ConsoleSessionService, SignedIn } from "../services/consoleSessions.ts";
import type { FeedbackService } from "../services/feedback.ts";
import type { Services } from "../services/index.ts";
import type { WebPhotos } from "../channels/web/photoRoutes.ts";

/** What every console page may use: the same use cases as the chat, time, words. */
export interface ConsoleDeps {
  services: Services;
  feedback: FeedbackService;
  sessions: ConsoleSessionService;
  access: ConsoleAccessService;
  outbox: Outbox;
  clock: Clock;
  translator: Translator;
  logger: Logger;
  defaultLanguage: Language;
  /** Cookies marked Secure: chibo is reached over https (PUBLIC_URL). */
  secureCookies: boolean;
  /** The kept feedback photos, served to a reviewer who may see the item. */
  photos: Pick<WebPhotos, "read">;
  /** The address members open chibo at, for links and QR codes (PUBLIC_URL, or this machine). */
  baseUrl(): string;
  /** The link that opens the bot's private chat with a payload (Telegram's t.me), when known. */
  botLink(channel: string, payload: string): string | undefined;
}

/** The signed-in person, as every page sees them. */
export interface Viewer extends ConsolePerson {
  session: SignedIn;
  t: TFunction;
}

/** Set by the session middleware on every page behind sign-in. */
export function viewerOf(res: Response): Viewer {
  const viewer = res.locals.viewer as Viewer | undefined;
  if (!viewer) throw new Error("console page reached without a session");
  return viewer;
}
