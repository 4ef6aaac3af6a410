import crypto from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A message the fake accepted on /v3.0/oa/message/cs. */
export interface OaSentMessage {
  userId: string;
  text: string;
  buttons: { title: string; type: string; payload: string }[];
  accessToken: string;
  messageId: string;
}

export interface OaRefresh {
  refreshToken: string;
  accepted: boolean;
}

export interface FakeZaloOaOptions {
  appId?: string;
  appSecret?: string;
  /** The pair valid at start; later pairs are issued by the OAuth endpoint. */
  accessToken?: string;
  refreshToken?: string;
  /** Delay before answering a refresh, to let callers pile up behind it. */
  refreshDelayMs?: number;
  /** Called before a message is accepted (to look at what is stored at that moment). */
  onMessage?: (message: OaSentMessage) => void | Promise<void>;
}

/** Zalo's OpenAPI (messages) and OAuth (token refresh) on loopback; both roots are the same server. */
export interface FakeZaloOa {
  readonly root: string;
  readonly appId: string;
  readonly appSecret: string;
  /** The access token the message endpoint accepts now. */
  readonly validAccessToken: string;
  /** The refresh token the OAuth endpoint accepts now (each works once). */
  readonly validRefreshToken: string;
  messages(): OaSentMessage[];
  refreshes(): OaRefresh[];
  /** Sends with any token are refused as expired until a refresh issues a new one. */
  expireAccessToken(): void;
  /** Sends to this user get the "not interacted recently" error. */
  markOutsideWindow(userId: string): void;
  /** The next send gets this answer instead (an error code, or a bare HTTP status). */
  failNextSend(failure: { error: number; message?: string } | { status: number }): void;
  close(): Promise<void>;
}

export const EXPIRED_TOKEN_ERROR = { error: -216, message: "Access token is invalid" };
export const OUTSIDE_WINDOW_ERROR = { error: -230, message: "User has not interacted with the OA in the past 7 days" };

export async function startFakeZaloOa(options: FakeZaloOaOptions = {}): Promise<FakeZaloOa> {
  const appId = options.appId ?? "1234567890";
  const appSecret = options.appSecret ?? "app-secret-for-tests";
  let accessToken = options.accessToken ?? "access-0";
  let refreshToken = options.refreshToken ?? "refresh-0";
  let issued = 0;
  let nextMessageId = 1;
  const sent: OaSentMessage[] = [];
  const refreshes: OaRefresh[] = [];
  const outsideWindow = new Set<string>();
  const failures: ({ error: number; message?: string } | { status: number })[] = [];

  async function sendMessage(req: IncomingMessage, body: string): Promise<[number, unknown]> {
    const given = String(req.headers.access_token ?? "");
    if (given === "" || given !== accessToken) return [200, EXPIRED_TOKEN_ERROR];
    const failure = failures.shift();
    if (failure && "status" in failure) return [failure.status, "<html>upstream trouble</html>"];
    if (failure) return [200, failure];
    const parsed = JSON.parse(body) as { recipient?: { user_id?: string }; message?: { text?: string; attachment?: { payload?: { buttons?: OaSentMessage["buttons"] } } } };
    const userId = parsed.recipient?.user_id ?? "";
    if (!userId || typeof parsed.message?.text !== "string") return [200, { error: -201, message: "Parameter is invalid" }];
    if (outsideWindow.has(userId)) return [200, OUTSIDE_WINDOW_ERROR];
    const message: OaSentMessage = { userId, text: parsed.message.text, buttons: parsed.message.attachment?.payload?.buttons ?? [], accessToken: given, messageId: `oa-msg-${nextMessageId++}` };
    await options.onMessage?.(message);
    sent.push(message);
    return [200, { error: 0, message: "Success", data: { message_id: message.messageId, user_id: userId } }];
  }

  async function refresh(req: IncomingMessage, body: string): Promise<[number, unknown]> {
    const form = new URLSearchParams(body);
    const given = form.get("refresh_token") ?? "";
    if (req.headers.secret_key !== appSecret || form.get("app_id") !== appId || form.get("grant_type") !== "refresh_token") {
      return [200, { error: -14002, error_name: "Invalid app", error_description: "app id or secret key is wrong" }];
    }
    if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
    const accepted = given !== "" && given === refreshToken;
    refreshes.push({ refreshToken: given, accepted });
    if (!accepted) return [200, { error: -14014, error_name: "Invalid refresh token", error_description: "refresh token is invalid or already used" }];
    issued += 1;
    accessToken = `access-${issued}`;
    refreshToken = `refresh-${issued}`;
    return [200, { access_token: accessToken, refresh_token: refreshToken, expires_in: "90000" }];
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const route = req.method === "POST" && path === "/v3.0/oa/message/cs" ? sendMessage : req.method === "POST" && path === "/v4/oa/access_token" ? refresh : undefined;
    const [status, reply] = route ? await route(req, body) : [404, { error: -404, message: "not found" }];
    res.writeHead(status, { "content-type": typeof reply === "string" ? "text/html" : "application/json" });
    res.end(typeof reply === "string" ? reply : JSON.stringify(reply));
  }

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    root,
    appId,
    appSecret,
    get validAccessToken() {
      return accessToken;
    },
    get validRefreshToken() {
      return refreshToken;
    },
    messages: () => [...sent],
    refreshes: () => [...refreshes],
    expireAccessToken() {
      accessToken = `expired-${crypto.randomUUID()}`;
    },
    markOutsideWindow: (userId) => void outsideWindow.add(userId),
    failNextSend: (failure) => void failures.push(failure),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A webhook body signed as Zalo signs it: `X-ZEvent-Signature: mac=` the SHA-256 of app id, raw
 * body, the body's timestamp and the OA secret key. Computed here on its own, not with chibo's code.
 */
export function signedEvent(body: object, signer: { appId: string; secretKey: string; timestamp?: string | number }): { rawBody: string; headers: Record<string, string> } {
  const withTime = { ...body, ...(signer.timestamp === undefined ? {} : { timestamp: signer.timestamp }) } as { timestamp?: unknown };
  const rawBody = JSON.stringify(withTime);
  const mac = crypto.createHash("sha256").update(`${signer.appId}${rawBody}${String(withTime.timestamp ?? "")}${signer.secretKey}`).digest("hex");
  return { rawBody, headers: { "content-type": "application/json", "x-zevent-signature": `mac=${mac}` } };
}

let nextMsgId = 1000;

/** A `user_send_text` event from `senderId` to the OA, with a fresh msg_id unless given. */
export function userSendText(args: { appId: string; senderId: string; text: string; timestampMs: number; msgId?: string; oaId?: string }) {
  return {
    app_id: args.appId,
    user_id_by_app: `app-${args.senderId}`,
    event_name: "user_send_text",
    timestamp: String(args.timestampMs),
    sender: { id: args.senderId },
    recipient: { id: args.oaId ?? "579745863508352884" },
    message: { msg_id: args.msgId ?? `msg-${nextMsgId++}`, text: args.text },
  };
}

/** A `follow` or `unfollow` event: no message, the person is `follower.id`. */
export function followEvent(args: { appId: string; followerId: string; timestampMs: number; unfollow?: boolean; oaId?: string }) {
  return {
    app_id: args.appId,
    event_name: args.unfollow ? "unfollow" : "follow",
    timestamp: String(args.timestampMs),
    oa_id: args.oaId ?? "579745863508352884",
    source: "oa_profile",
    follower: { id: args.followerId },
  };
}

/** A `user_send_image` event: the photo's URL in the first attachment, an optional caption as text. */
export function userSendImage(args: { appId: string; senderId: string; url: string; caption?: string; timestampMs: number; msgId?: string }) {
  const base = userSendText({ ...args, text: args.caption ?? "" });
  const { text: _text, ...message } = base.message;
  return { ...base, event_name: "user_send_image", message: { ...message, ...(args.caption ? { text: args.caption } : {}), attachments: [{ type: "image", payload: { url: args.url, thumbnail: args.url } }] } };
}

/** A `user_send_sticker` event. */
export function userSendSticker(args: { appId: string; senderId: string; timestampMs: number; msgId?: string }) {
  const base = userSendText({ ...args, text: "" });
  const { text: _text, ...message } = base.message;
  return { ...base, event_name: "user_send_sticker", message: { ...message, attachments: [{ type: "sticker", payload: { id: "sticker-1", url: "https://zalo.example/sticker.png" } }] } };
}
