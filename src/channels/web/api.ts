import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { isDomainError } from "../../domain/errors.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Language, Translator } from "../../i18n.ts";
import type { Clock } from "../../services/clock.ts";
import { WEB_CHANNEL, webChatId, type WebChatService } from "../../services/webChat.ts";
import type { WebUpdate } from "./decode.ts";
import { botItem, lastBotId, mergeHistory } from "./messages.ts";
import { photoRoutes, type WebPhotos } from "./photoRoutes.ts";
import { parseMessagesQuery, parsePick, parseSend, requestLanguage, TEXT_LIMIT_CHARS } from "./requests.ts";
import type { SentSignal } from "./sentSignal.ts";

const HISTORY_LIMIT = 50;
const BATCH_LIMIT = 50;
/** A long poll looks at the table again this often, for messages sent by another instance. */
const RECHECK_MS = 2_000;
const BODY_LIMIT = "64kb";
const STATUS: Record<string, number> = { "web:unknownMember": 404 };

export interface WebApiDeps {
  webChat: WebChatService;
  store: InboundStore;
  signal: SentSignal;
  clock: Clock;
  logger: Logger;
  translator: Translator;
  defaultLanguage: Language;
  /** Where photos are kept: the page can then send one, and show those chibo sends. */
  photos?: WebPhotos;
}

/** The page's JSON API: demo members, picking one, sending, and reading chibo's answers. */
export function createWebApi(deps: WebApiDeps): Router {
  const { webChat, clock } = deps;
  const router = express.Router();
  // First: a photo's body is larger than any other this API reads.
  if (deps.photos) router.use(photoRoutes({ ...deps, photos: deps.photos }));
  router.use(express.json({ limit: BODY_LIMIT }));

  router.get("/members", async (_req, res) => {
    res.json({ members: await webChat.listDemoMembers() });
  });

  router.post("/pick", async (req, res) => {
    const { memberId } = parsePick(req.body);
    const { member } = await webChat.link(memberId, clock.now());
    const { sent, written } = await webChat.history(member.id, HISTORY_LIMIT, clock.now());
    const history = mergeHistory(sent, written);
    // The page counts what is typed against the limit, so a long paste is never cut unseen.
    res.json({ member, history, cursor: lastBotId(history), textLimit: TEXT_LIMIT_CHARS });
  });

  router.post("/send", async (req, res) => {
    const input = parseSend(req.body);
    const { member, chatId } = await webChat.link(input.memberId, clock.now());
    const update: WebUpdate = {
      id: `${chatId}:${input.clientId}`,
      chatId,
      displayName: member.fullName,
      ...(input.languageCode ? { languageCode: input.languageCode } : {}),
      ...("button" in input ? { button: input.button } : { text: input.text }),
    };
    // Stored like a Telegram update: the inbound processor hands it to the core from the table.
    const stored = await deps.store.record(WEB_CHANNEL, update.id, JSON.stringify(update), clock.now());
    res.status(202).json({ id: update.id, duplicate: !stored });
  });

  router.get("/messages", async (req, res) => {
    const query = parseMessagesQuery(req.query);
    const chatId = webChatId((await webChat.demoMember(query.memberId)).id);
    let rows = await webChat.sentAfter(query.memberId, query.after, BATCH_LIMIT, clock.now());
    // Long poll: wait for a message in slices (a wake-up may come early), at most `wait` seconds.
    for (let leftMs = query.wait * 1000; rows.length === 0 && leftMs > 0 && !deps.signal.closed; leftMs -= RECHECK_MS) {
      await deps.signal.wait(chatId, Math.min(RECHECK_MS, leftMs));
      if (!deps.signal.closed) rows = await webChat.sentAfter(query.memberId, query.after, BATCH_LIMIT, clock.now());
    }
    const messages = rows.map(botItem);
    res.json({ messages, cursor: lastBotId(messages, query.after) });
  });

  router.use((_req, res) => {
    res.status(404).json({ error: "web:notFound", message: deps.translator.t(deps.defaultLanguage)("web:notFound") });
  });

  // This API's error boundary: a translated sentence the page can show, never a stack trace.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const t = deps.translator.t(requestLanguage(req, deps.defaultLanguage));
    const status = (error as { status?: unknown }).status;
    if (isDomainError(error)) {
      res.status(STATUS[error.code] ?? 400).json({ error: error.code, message: t(error.code, error.params) });
    } else if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: status === 413 ? "web:tooLarge" : "web:badRequest", message: t(status === 413 ? "web:tooLarge" : "web:badRequest") });
    } else {
      deps.logger.error({ err: error, path: req.path }, "web chat request failed");
      if (!res.headersSent) res.status(500).json({ error: "web:internalError", message: t("web:internalError") });
    }
  });

  return router;
}
