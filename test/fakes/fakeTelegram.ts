import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiError, badRequest, injectedReply, methodNotFound, ok, unauthorized, type ApiReply } from "./telegram/apiReplies.ts";
import { BotCommands } from "./telegram/botCommands.ts";
import { CallLog, sentMessagesIn, type RecordedCall, type SentMessage } from "./telegram/callLog.ts";
import { ChatMessages, type BotUser } from "./telegram/chatMessages.ts";
import { FaultQueue, type FaultMatch, type InjectedFailure } from "./telegram/faultQueue.ts";
import { BadRequestBody, readParams, type Params } from "./telegram/requestParams.ts";
import { Responder } from "./telegram/responder.ts";
import { SendGate, type RateLimit } from "./telegram/sendGate.ts";
import { PeopleFiles, SentDocuments, type SentDocument, type SentPhoto } from "./telegram/sentDocuments.ts";
import { DEFAULT_BOT, DEFAULT_TOKEN } from "./telegram/telegramShapes.ts";
import { UpdateQueue } from "./telegram/updateQueue.ts";
import { waitUntil } from "./telegram/waitUntil.ts";

export * from "./telegram/updateBuilders.ts";
export { DEFAULT_BOT, DEFAULT_TOKEN } from "./telegram/telegramShapes.ts";
export type { CallbackQueryUpdate, MessageUpdate, MyChatMemberUpdate, TelegramChat, TelegramUser } from "./telegram/telegramShapes.ts";
export type { UploadedFile } from "./telegram/requestParams.ts";
export type { BotUser, FaultMatch, InjectedFailure, Params, RateLimit, RecordedCall, SentDocument, SentMessage, SentPhoto };

export interface FakeTelegramOptions {
  /** Default "123456:TEST"; any other token in a request is answered 401. */
  token?: string;
  /** What getMe answers; by default the id is the token's numeric prefix. */
  botUser?: BotUser;
  /** Flood control on sendMessage: at most perSecond accepted per fixed second, the rest 429. */
  rateLimit?: RateLimit;
  /** Share of sendMessage calls answered 429 at random (seeded), e.g. 0.01. */
  random429Rate?: number;
  /** retry_after of those random 429s; default rateLimit.retryAfterSeconds, else 1. */
  random429RetryAfterSeconds?: number;
  /** Seed of the random 429s; the same seed gives the same calls refused. Default 1. */
  seed?: number;
  /** Delay before every answer; the call takes effect at once, only its answer is late. */
  latencyMs?: number;
  /** Keep the call log (default true). Counts in stats() are kept either way. */
  recordCalls?: boolean;
  /** Keep only the latest N calls in the log; default unlimited. */
  maxRecordedCalls?: number;
  /** Clock for call times, message dates and flood windows, in ms; default Date.now. */
  now?: () => number;
  /** Answers for methods the fake lacks (or overrides), as `{ ok: true, result }`. */
  extraMethods?: Record<string, (params: Params) => unknown>;
}

export interface FakeTelegramStats {
  /** Calls received for this token, by method, including refused ones. */
  byMethod: Record<string, number>;
  total: number;
  /** Most sendMessage calls received within one second. */
  peakSendsPerSecond: number;
}

/** A Bot API server on loopback for telegraf (or any client) to call: `apiRoot` replaces api.telegram.org. */
export interface FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly port: number;
  /** Calls made with this fake's token, oldest first; with `maxRecordedCalls`, a fresh copy each read. */
  readonly calls: readonly RecordedCall[];
  callsTo(method: string): RecordedCall[];
  sentMessages(): SentMessage[];
  /** Files uploaded with sendDocument and accepted, with their bytes, oldest first. */
  sentDocuments(): SentDocument[];
  /** Photos uploaded with sendPhoto and accepted, with their bytes, oldest first. */
  sentPhotos(): SentPhoto[];
  /**
   * A file a person sent (a photo), under this file id: getFile gives its path and
   * `/file/bot<token>/<path>` its bytes, as the Bot API does for files up to 20 MB.
   */
  addFile(fileId: string, bytes: Buffer): void;
  stats(): FakeTelegramStats;
  /** Fails the next call(s) to `method` ("*" for any), optionally only those to one chat. */
  failNext(method: string, failure: InjectedFailure, match?: FaultMatch): void;
  /** Later sends to this chat get 403, as after the person blocks the bot (or a group removes it). */
  blockChat(chatId: string | number): void;
  unblockChat(chatId: string | number): void;
  /** Queues an Update for getUpdates and wakes a waiting long poll; returns its update_id. */
  pushUpdate(update: object): number;
  /** Resolves once `predicate` holds (checked every few ms); rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Seconds, floor(at / 1000), in which more than `limitPerSecond` sendMessage calls arrived. */
  windowsOverLimit(limitPerSecond: number): number;
  /** Forgets calls, faults, blocks, updates, messages, documents and commands; ids keep counting up. */
  reset(): void;
  /** Answers what is owed (long polls with no updates), then stops the server. */
  close(): Promise<void>;
}

const ROUTE = /^\/bot([^/]+)\/([^/]+)\/?$/;
const FILE_ROUTE = /^\/file\/bot([^/]+)\/(.+)$/;
/** getFile refuses files past this, as the Bot API does. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5_000;

type Handler = (params: Params, at: number, res: ServerResponse, uploads: Map<string, Buffer>) => ApiReply | Promise<ApiReply>;

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botUser = options.botUser ?? { ...DEFAULT_BOT, id: Number(token.split(":")[0]) || DEFAULT_BOT.id };
  const latencyMs = options.latencyMs ?? 0;
  const now = options.now ?? Date.now;
  const random429Rate = options.random429Rate ?? 0;
  if (options.rateLimit && !(options.rateLimit.perSecond > 0)) throw new Error("rateLimit.perSecond must be positive");
  if (!(random429Rate >= 0 && random429Rate <= 1)) throw new Error("random429Rate must be between 0 and 1");

  const log = new CallLog({ record: options.recordCalls ?? true, maxCalls: options.maxRecordedCalls ?? Infinity });
  const faults = new FaultQueue();
  const gate = new SendGate({
    rateLimit: options.rateLimit,
    random429Rate,
    random429RetryAfterSeconds: options.random429RetryAfterSeconds ?? options.rateLimit?.retryAfterSeconds ?? 1,
    seed: options.seed ?? 1,
  });
  const updates = new UpdateQueue();
  const messages = new ChatMessages(botUser);
  const commands = new BotCommands();
  const responder = new Responder();
  const documents = new SentDocuments();
  const photos: SentPhoto[] = [];
  const peopleFiles = new PeopleFiles();

  const handlers: Record<string, Handler> = {
    getMe: () => ok({ ...messages.botAsUser(), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
    getUpdates: (params, _at, res) => updates.getUpdates(responder.isClosing ? { ...params, timeout: 0 } : params, abortedOnClose(res)),
    setWebhook: (params) => updates.setWebhook(params),
    deleteWebhook: (params) => updates.deleteWebhook(params),
    getWebhookInfo: () => updates.webhookInfo(),
    sendMessage: (params, at) => messages.sendMessage(params, at),
    editMessageText: (params, at) => messages.editMessageText(params, at),
    editMessageReplyMarkup: (params, at) => messages.editMessageReplyMarkup(params, at),
    sendDocument: (params, at, _res, uploads) => {
      const reply = messages.sendDocument(params, at);
      const bytes = uploads.get("document");
      if (reply.body.ok && bytes) documents.record(documentOf(params, bytes, reply, at));
      return reply;
    },
    sendPhoto: (params, at, _res, uploads) => {
      const reply = messages.sendPhoto(params, at);
      const bytes = uploads.get("photo");
      if (reply.body.ok && bytes) photos.push(photoOf(params, bytes, reply, at));
      return reply;
    },
    getFile: (params) => {
      const file = peopleFiles.byFileId(String(params.file_id ?? ""));
      if (!file) return badRequest("wrong file_id or the file is temporarily unavailable");
      if (file.bytes.length > MAX_DOWNLOAD_BYTES) return badRequest("file is too big");
      return ok({ file_id: params.file_id, file_unique_id: `u-${String(params.file_id)}`, file_size: file.bytes.length, file_path: file.filePath });
    },
    sendChatAction: (params) => messages.sendChatAction(params),
    answerCallbackQuery: (params) => (params.callback_query_id ? ok(true) : badRequest("QUERY_ID_INVALID")),
    setMyCommands: (params) => commands.set(params),
    getMyCommands: (params) => commands.get(params),
    deleteMyCommands: (params) => commands.delete(params),
  };
  for (const [name, answer] of Object.entries(options.extraMethods ?? {})) handlers[name] = (params) => ok(answer(params));
  // The Bot API matches method names case-insensitively.
  const methodNames = new Map(Object.keys(handlers).map((name) => [name.toLowerCase(), name]));

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const download = FILE_ROUTE.exec(url.pathname);
    if (download && req.method === "GET") {
      const bytes = download[1] === token ? peopleFiles.byPath(decodeURIComponent(download[2] ?? "")) : undefined;
      res.writeHead(bytes ? 200 : 404, { "content-type": bytes ? "application/octet-stream" : "application/json", "content-length": bytes?.length ?? 2 });
      res.end(bytes ?? "{}");
      return;
    }
    let params: Params;
    let uploads: Map<string, Buffer>;
    try {
      ({ params, uploads } = await readParams(req, url.searchParams));
    } catch (error) {
      if (error instanceof BadRequestBody) return responder.send(res, badRequest(error.message), 0);
      throw error;
    }
    const route = ROUTE.exec(url.pathname);
    if (!route) return responder.send(res, apiError(404, "Not Found"), 0);
    if (route[1] !== token) return responder.send(res, unauthorized(), latencyMs);
    const requested = route[2] ?? "";
    // telegraf repeats the method as a form field in multipart bodies; it is not a parameter.
    if (typeof params.method === "string" && params.method.toLowerCase() === requested.toLowerCase()) delete params.method;
    const method = methodNames.get(requested.toLowerCase());
    const at = now();
    const chatId = params.chat_id === undefined ? undefined : String(params.chat_id);
    const call: RecordedCall = { method: method ?? requested, body: params, at, status: 0, ...(chatId === undefined ? {} : { chatId }) };
    const handler = method === undefined ? undefined : handlers[method];
    if (method === undefined || handler === undefined) return finish(res, call, methodNotFound(), latencyMs);

    const failure = faults.take(method, chatId);
    if (failure && "networkError" in failure) {
      log.add({ ...call, injected: true });
      return responder.drop(res, latencyMs);
    }
    gate.noteReceived(method, at);
    const delayMs = latencyMs + (failure && "delayMs" in failure ? failure.delayMs : 0);
    const injected = failure && "status" in failure ? injectedReply(failure) : undefined;
    if (injected) return finish(res, { ...call, injected: true }, injected, delayMs);
    const reply = gate.check(method, chatId, at) ?? (await handler(params, at, res, uploads));
    finish(res, call, reply, delayMs);
  }

  function finish(res: ServerResponse, call: RecordedCall, reply: ApiReply, delayMs: number) {
    const messageId = reply.body.ok ? (reply.body.result as { message_id?: unknown } | null)?.message_id : undefined;
    log.add({ ...call, status: reply.status, ...(typeof messageId === "number" ? { messageId } : {}) });
    responder.send(res, reply, delayMs);
  }

  const server = createServer((req, res) => {
    responder.track(res);
    answer(req, res).catch((error: unknown) => responder.send(res, apiError(500, `fake Telegram failed: ${String(error)}`), 0));
  });
  // Longer than Node's client-side idle timeout, so a reused keep-alive socket is never closed under a request.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    port,
    get calls() {
      return log.all();
    },
    callsTo: (method) => log.all().filter((call) => call.method === method),
    sentMessages: () => sentMessagesIn(log.all()),
    sentDocuments: () => documents.all(),
    sentPhotos: () => [...photos],
    addFile: (fileId, bytes) => void peopleFiles.add(fileId, bytes),
    stats: () => ({ byMethod: log.countsByMethod(), total: log.count(), peakSendsPerSecond: gate.peakPerSecond() }),
    failNext: (method, failure, match) => faults.add(method, failure, match),
    blockChat: (chatId) => gate.block(String(chatId)),
    unblockChat: (chatId) => gate.unblock(String(chatId)),
    pushUpdate: (update) => updates.push(update),
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) => waitUntil(predicate, timeoutMs, () => log.countsByMethod()),
    windowsOverLimit: (limitPerSecond) => gate.windowsOverLimit(limitPerSecond),
    reset() {
      log.reset();
      faults.clear();
      gate.reset();
      updates.reset();
      messages.reset();
      documents.reset();
      photos.length = 0;
      peopleFiles.reset();
      commands.reset();
    },
    close() {
      closed ??= (async () => {
        updates.releaseHeldPoll();
        await responder.finish();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

function documentOf(params: Params, bytes: Buffer, reply: ApiReply, at: number): SentDocument {
  const result = (reply.body.ok ? reply.body.result : {}) as { message_id: number; document: { file_name: string } };
  const document: SentDocument = { chatId: String(params.chat_id), fileName: result.document.file_name, bytes, messageId: result.message_id, at };
  if (typeof params.caption === "string") document.caption = params.caption;
  if (params.reply_markup !== undefined) document.replyMarkup = params.reply_markup;
  return document;
}

function photoOf(params: Params, bytes: Buffer, reply: ApiReply, at: number): SentPhoto {
  const result = (reply.body.ok ? reply.body.result : {}) as { message_id: number };
  const photo: SentPhoto = { chatId: String(params.chat_id), bytes, messageId: result.message_id, at };
  if (typeof params.caption === "string") photo.caption = params.caption;
  if (params.reply_markup !== undefined) photo.replyMarkup = params.reply_markup;
  return photo;
}

/** Aborts when the client goes away, so a held long poll is let go instead of kept until its timeout. */
function abortedOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  return controller.signal;
}
