import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export * from "./zaloBot/events.ts";

export const ZALO_BOT_TOKEN = "1234567890:zalo-bot-test-secret";
const TEXT_LIMIT = 2000;
const ROUTE = /^\/bot([^/]+)\/([^/]+)\/?$/;

export interface ZaloSentMessage {
  chatId: string;
  text: string;
  messageId: string;
  at: number;
}

/** A photo accepted by sendPhoto: the platform takes it by its URL. */
export interface ZaloSentPhoto {
  chatId: string;
  /** The URL the bot gave. */
  photo: string;
  caption?: string;
  messageId: string;
  at: number;
}

export interface ZaloBotCall {
  method: string;
  body: Record<string, unknown>;
  status: number;
}

/** A failure to answer instead of doing the call: an HTTP status with the platform's error body. */
export interface ZaloBotFailure {
  status: number;
  description?: string;
  retryAfterSeconds?: number;
}

/** The Zalo Bot Platform's API on loopback: `apiRoot` replaces https://bot-api.zaloplatforms.com. */
export interface FakeZaloBot {
  readonly apiRoot: string;
  readonly token: string;
  readonly calls: readonly ZaloBotCall[];
  callsTo(method: string): ZaloBotCall[];
  /** Messages accepted by sendMessage, oldest first. */
  sentMessages(): ZaloSentMessage[];
  /** Photos accepted by sendPhoto, oldest first; their message ids count with sendMessage's. */
  sentPhotos(): ZaloSentPhoto[];
  /** Serves these bytes as an image a person sent, at a URL of the platform's; returns the URL. */
  hostPhoto(bytes: Buffer, contentType?: string): string;
  /**
   * With a webhook set, pushUpdate posts the event to `origin` + the webhook's path with the
   * secret header, as the platform posts to the webhook (whose public host tests cannot reach).
   */
  deliverWebhooksTo(origin: string): void;
  /** The next `count` (default 1) sendMessage calls fail this way. */
  failNextSends(failure: ZaloBotFailure, count?: number): void;
  /** The person blocked the bot: every later sendMessage to this chat is refused with 403. */
  blockChat(chatId: string): void;
  /** The next `count` calls to `method` fail this way. */
  failNext(method: string, failure: ZaloBotFailure, count?: number): void;
  /** Queues an event for getUpdates (one per call, as on the platform) and wakes a waiting poll. */
  pushUpdate(event: object): void;
  readonly webhook: { url: string; secretToken: string } | undefined;
  close(): Promise<void>;
}

type Reply = { status: number; body: Record<string, unknown> };
const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const error = (status: number, description: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { ok: false, error_code: status, description, ...extra } });

export async function startFakeZaloBot(options: { token?: string } = {}): Promise<FakeZaloBot> {
  const token = options.token ?? ZALO_BOT_TOKEN;
  const calls: ZaloBotCall[] = [];
  const sent: ZaloSentMessage[] = [];
  const photos: ZaloSentPhoto[] = [];
  const hosted = new Map<string, { bytes: Buffer; contentType: string }>();
  let webhookOrigin: string | undefined;
  const faults = new Map<string, ZaloBotFailure[]>();
  const queue: object[] = [];
  const polls = new Set<(reply: Reply) => void>();
  let webhook: { url: string; secretToken: string } | undefined;
  let nextMessageId = 1;
  let closing = false;
  const blocked = new Set<string>();

  function takeFault(method: string): ZaloBotFailure | undefined {
    return faults.get(method)?.shift();
  }

  /** One event per call; an empty poll ends with 408 "Request timeout", as the platform's does. */
  function getUpdates(body: Record<string, unknown>, res: ServerResponse): Reply | Promise<Reply> {
    if (webhook) return error(400, "Webhook is set; delete it before calling getUpdates");
    const next = queue.shift();
    if (next) return ok(next);
    const timeoutSeconds = Number(body.timeout ?? 30) || 0;
    if (timeoutSeconds <= 0 || closing) return error(408, "Request timeout");
    return new Promise((resolve) => {
      const settle = (reply: Reply) => {
        clearTimeout(timer);
        polls.delete(settle);
        resolve(reply);
      };
      const timer = setTimeout(() => settle(error(408, "Request timeout")), timeoutSeconds * 1000);
      polls.add(settle);
      res.once("close", () => settle(error(408, "Request timeout")));
    });
  }

  function sendMessage(body: Record<string, unknown>): Reply {
    const text = typeof body.text === "string" ? body.text : "";
    if (body.chat_id === undefined || body.chat_id === "") return error(400, "chat_id is required");
    if (text.length < 1 || text.length > TEXT_LIMIT) return error(400, `text must be 1 to ${TEXT_LIMIT} characters`);
    if (blocked.has(String(body.chat_id))) return error(403, "Forbidden: the user has blocked the bot");
    const messageId = `bot-msg-${nextMessageId++}`;
    sent.push({ chatId: String(body.chat_id), text, messageId, at: Date.now() });
    return ok({ message_id: messageId, date: Date.now() });
  }

  function sendPhoto(body: Record<string, unknown>): Reply {
    if (body.chat_id === undefined || body.chat_id === "") return error(400, "chat_id is required");
    if (typeof body.photo !== "string" || !/^https?:\/\//.test(body.photo)) return error(400, "photo must be a URL");
    const caption = typeof body.caption === "string" ? body.caption : undefined;
    if (caption !== undefined && caption.length > TEXT_LIMIT) return error(400, `caption must be at most ${TEXT_LIMIT} characters`);
    if (blocked.has(String(body.chat_id))) return error(403, "Forbidden: the user has blocked the bot");
    const messageId = `bot-msg-${nextMessageId++}`;
    photos.push({ chatId: String(body.chat_id), photo: body.photo, ...(caption === undefined ? {} : { caption }), messageId, at: Date.now() });
    return ok({ message_id: messageId, date: Date.now() });
  }

  const handlers: Record<string, (body: Record<string, unknown>, res: ServerResponse) => Reply | Promise<Reply>> = {
    getMe: () => ok({ id: token.split(":")[0], account_name: "chibo_test_bot", account_type: "BASIC", can_join_groups: false }),
    getUpdates,
    setWebhook: (body) => {
      if (typeof body.url !== "string" || typeof body.secret_token !== "string" || body.secret_token.length < 8) return error(400, "url and secret_token (8-256 characters) are required");
      webhook = { url: body.url, secretToken: body.secret_token };
      return ok({ url: body.url, updated_at: Date.now() });
    },
    deleteWebhook: () => {
      webhook = undefined;
      return ok({ url: "", updated_at: Date.now() });
    },
    getWebhookInfo: () => ok({ url: webhook?.url ?? "", updated_at: Date.now() }),
    sendMessage: (body) => sendMessage(body),
    sendPhoto: (body) => sendPhoto(body),
    sendChatAction: () => ok(true),
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> {
    const media = hosted.get(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (media && req.method === "GET") {
      res.writeHead(200, { "content-type": media.contentType, "content-length": media.bytes.length });
      res.end(media.bytes);
      return undefined;
    }
    const route = ROUTE.exec(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (!route || req.method !== "POST") return error(404, "Not Found");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      return error(400, "Body is not JSON");
    }
    if (route[1] !== token) return error(401, "Unauthorized");
    const method = route[2] ?? "";
    const handler = handlers[method];
    const call: ZaloBotCall = { method, body, status: 0 };
    calls.push(call);
    const fault = takeFault(method);
    const reply = fault
      ? error(fault.status, fault.description ?? "Injected failure", fault.retryAfterSeconds === undefined ? {} : { parameters: { retry_after: fault.retryAfterSeconds } })
      : handler
        ? await handler(body, res)
        : error(404, "Method not found");
    call.status = reply.status;
    return reply;
  }

  const server = createServer((req, res) => {
    answer(req, res)
      .then((reply) => {
        if (!reply || res.writableEnded || res.destroyed) return;
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(JSON.stringify(reply.body));
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    get calls() {
      return calls;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    sentMessages: () => [...sent],
    sentPhotos: () => [...photos],
    hostPhoto(bytes, contentType = "image/jpeg") {
      const path = `/media/photo-${hosted.size + 1}.jpg`;
      hosted.set(path, { bytes, contentType });
      return `http://127.0.0.1:${port}${path}`;
    },
    deliverWebhooksTo(origin) {
      webhookOrigin = origin;
    },
    blockChat: (chatId) => void blocked.add(chatId),
    failNextSends: (failure, count = 1) => faults.set("sendMessage", [...(faults.get("sendMessage") ?? []), ...Array<ZaloBotFailure>(count).fill(failure)]),
    failNext: (method, failure, count = 1) => faults.set(method, [...(faults.get(method) ?? []), ...Array<ZaloBotFailure>(count).fill(failure)]),
    pushUpdate(event) {
      if (webhook && webhookOrigin) {
        const target = new URL(new URL(webhook.url).pathname, webhookOrigin);
        const headers = { "content-type": "application/json", "x-bot-api-secret-token": webhook.secretToken };
        void fetch(target, { method: "POST", headers, body: JSON.stringify(event) }).catch(() => undefined);
        return;
      }
      queue.push(event);
      const [waiting] = polls;
      if (waiting) waiting(ok(queue.shift()));
    },
    get webhook() {
      return webhook;
    },
    async close() {
      closing = true;
      for (const settle of [...polls]) settle(error(408, "Request timeout"));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
