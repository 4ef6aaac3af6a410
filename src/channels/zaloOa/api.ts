import type { ZaloOaMessageBody } from "./render.ts";

/** What Zalo's OpenAPI answers: `error` 0 on success, a negative code otherwise. */
export interface ZaloOaReply {
  error: number;
  message?: string;
  data?: { message_id?: string; user_id?: string; attachment_id?: string };
}

/** An answer that is not Zalo's JSON (a proxy's 502 page, say), with its HTTP status. */
export class ZaloOaHttpError extends Error {
  constructor(readonly status: number, body: string) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
    this.name = "ZaloOaHttpError";
  }
}

export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/** Zalo refused a refresh (a used or expired refresh token, a wrong app secret). */
export class ZaloOaRefreshRejected extends Error {
  constructor(readonly code: number | undefined, description: string) {
    super(`Zalo OA refused to refresh the access token (${code ?? "?"}): ${description}`);
    this.name = "ZaloOaRefreshRejected";
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

async function readJson(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return JSON.parse(body);
  } catch {
    throw new ZaloOaHttpError(response.status, body);
  }
}

/** Sends a consultation message; network failures throw as they come, answers come back as they are. */
export async function postConsultationMessage(apiRoot: string, accessToken: string, body: ZaloOaMessageBody): Promise<ZaloOaReply> {
  const response = await fetch(new URL("/v3.0/oa/message/cs", apiRoot), {
    method: "POST",
    headers: { "content-type": "application/json", access_token: accessToken },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (response.status >= 500 || response.status === 429) throw new ZaloOaHttpError(response.status, await response.text());
  const reply = (await readJson(response)) as Partial<ZaloOaReply> | null;
  if (!reply || typeof reply.error !== "number") throw new ZaloOaHttpError(response.status, JSON.stringify(reply));
  return reply as ZaloOaReply;
}

/**
 * Uploads an image for the OA's messages (`POST /v2.0/oa/upload/image`, multipart field "file");
 * the answer's `data.attachment_id` then names it in a media message. Zalo keeps the image.
 */
export async function uploadImage(apiRoot: string, accessToken: string, image: { bytes: Buffer; mimeType: string; fileName: string }): Promise<ZaloOaReply> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(image.bytes)], { type: image.mimeType }), image.fileName);
  const response = await fetch(new URL("/v2.0/oa/upload/image", apiRoot), {
    method: "POST",
    headers: { access_token: accessToken },
    body: form,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (response.status >= 500 || response.status === 429) throw new ZaloOaHttpError(response.status, await response.text());
  const reply = (await readJson(response)) as Partial<ZaloOaReply> | null;
  if (!reply || typeof reply.error !== "number") throw new ZaloOaHttpError(response.status, JSON.stringify(reply));
  return reply as ZaloOaReply;
}

/** Trades a refresh token (usable once) for a new access and refresh token. */
export async function refreshAccessToken(settings: { oauthRoot: string; appId: string; appSecret: string }, refreshToken: string): Promise<RefreshedTokens> {
  const response = await fetch(new URL("/v4/oa/access_token", settings.oauthRoot), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", secret_key: settings.appSecret },
    body: new URLSearchParams({ app_id: settings.appId, grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (response.status >= 500) throw new ZaloOaHttpError(response.status, await response.text());
  const reply = (await readJson(response)) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; error?: unknown; error_name?: unknown; error_description?: unknown; message?: unknown } | null;
  const expiresInSeconds = Number(reply?.expires_in);
  if (typeof reply?.access_token === "string" && typeof reply.refresh_token === "string" && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0) {
    return { accessToken: reply.access_token, refreshToken: reply.refresh_token, expiresInSeconds };
  }
  const description = [reply?.error_name, reply?.error_description, reply?.message].filter((part) => typeof part === "string").join(": ");
  throw new ZaloOaRefreshRejected(typeof reply?.error === "number" ? reply.error : undefined, description || `HTTP ${response.status}`);
}
