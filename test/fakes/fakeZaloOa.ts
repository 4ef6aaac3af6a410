import crypto from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readParams } from "./telegram/requestParams.ts";

/** A message the fake accepted on /v3.0/oa/message/cs. */
export interface OaSentMessage {
  userId: string;
  text: string;
  buttons: { title: string; type: string; payload: string }[];
  accessToken: string;
  messageId: string;
  /** A media message's image: uploaded before (its attachment id, and the bytes uploaded) or by URL. */
  image?: { attachmentId?: string; url?: string; bytes?: Buffer };
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
  /** Images uploaded to /v2.0/oa/upload/image and accepted, oldest first. */
  uploads(): { attachmentId: string; bytes: Buffer }[];
  /** Serves these bytes as an image a person sent, at a URL on Zalo's side; returns the URL. */
  hostPhoto(bytes: Buffer, contentType?: string): string;
  close(): Promise<void>;
}

export const EXPIRED_TOKEN_ERROR = { error: -216, message: "Access token is invalid" };
export const OUTSIDE_WINDOW_ERROR = { error: -230, message: "User has not interacted with the OA in the past 7 days" };
/** From our notes: the upload takes JPEG and PNG up to 1 MB. */
const MAX_UPLOAD_BYTES = 1024 * 1024;

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
  const uploaded: { attachmentId: string; bytes: Buffer }[] = [];
  const hosted = new Map<string, { bytes: Buffer; contentType: string }>();

  async function sendMessage(req: IncomingMessage, body: string): Promise<[number, unknown]> {
    const given = String(req.headers.access_token ?? "");
    if (given === "" || given !== accessToken) return [200, EXPIRED_TOKEN_ERROR];
    const failure = failures.shift();
    if (failure && "status" in failure) return [failure.status, "<html>upstream trouble</html>"];
    if (failure) return [200, failure];
    type Element = { media_type?: string; attachment_id?: string; url?: string };
    type Payload = { buttons?: OaSentMessage["buttons"]; template_type?: string; elements?: Element[] };
    const parsed = JSON.parse(body) as { recipient?: { user_id?: string }; message?: { text?: string; attachment?: { payload?: Payload } } };
    const userId = parsed.recipient?.user_id ?? "";
    if (!userId || typeof parsed.message?.text !== "string") return [200, { error: -201, message: "Parameter is invalid" }];
    const payload = parsed.message.attachment?.payload;
    const element = payload?.template_type === "media" ? payload.elements?.[0] : undefined;
    if (payload?.template_type === "media" && (element?.media_type !== "image" || (!element.attachment_id && !element.url))) return [200, { error: -201, message: "elements is invalid" }];
    const upload = element?.attachment_id ? uploaded.find((u) => u.attachmentId === element.attachment_id) : undefined;
    if (element?.attachment_id && !upload) return [200, { error: -201, message: "attachment_id is invalid" }];
    if (outsideWindow.has(userId)) return [200, OUTSIDE_WINDOW_ERROR];
    const image = element ? { ...(element.attachment_id ? { attachmentId: element.attachment_id, bytes: upload!.bytes } : {}), ...(element.url ? { url: element.url } : {}) } : undefined;
    const message: OaSentMessage = {
      userId, text: parsed.message.text, buttons: payload?.buttons ?? [], accessToken: given, messageId: `oa-msg-${nextMessageId++}`, ...(image ? { image } : {}),
    };
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

  /** The image upload: a multipart body with the file in the field "file". */
  async function upload(req: IncomingMessage, res: ServerResponse) {
    const given = String(req.headers.access_token ?? "");
    const { uploads } = await readParams(req, new URLSearchParams());
    const file = uploads.get("file");
    let reply: unknown;
    if (given === "" || given !== accessToken) reply = EXPIRED_TOKEN_ERROR;
    else if (!file || file.length === 0) reply = { error: -201, message: "file is invalid" };
    else if (file.length > MAX_UPLOAD_BYTES) reply = { error: -210, message: "file size exceeds the limit" };
    else {
      const attachmentId = `oa-attachment-${uploaded.length + 1}`;
      uploaded.push({ attachmentId, bytes: file });
      reply = { error: 0, message: "Success", data: { attachment_id: attachmentId } };
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(reply));
  }

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const requested = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (req.method === "POST" && requested === "/v2.0/oa/upload/image") return upload(req, res);
    const media = req.method === "GET" ? hosted.get(requested) : undefined;
    if (media) {
      res.writeHead(200, { "content-type": media.contentType, "content-length": media.bytes.length });
      res.end(media.bytes);
      return;
    }
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
    uploads: () => [...uploaded],
    hostPhoto(bytes, contentType = "image/jpeg") {
      const path = `/media/photo-${hosted.size + 1}.jpg`;
      hosted.set(path, { bytes, contentType });
      return `${root}${path}`;
    },
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
