import type { InjectedFailure } from "./faultQueue.ts";

/** What the fake answers: an HTTP status and the Bot API's JSON envelope. */
export interface ApiReply {
  status: number;
  body: ApiEnvelope;
}

export type ApiEnvelope =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export const ok = (result: unknown): ApiReply => ({ status: 200, body: { ok: true, result } });

export function apiError(status: number, description: string, parameters?: { retry_after: number }): ApiReply {
  const body: ApiEnvelope = { ok: false, error_code: status, description };
  if (parameters) body.parameters = parameters;
  return { status, body };
}

// Wording copied from the real Bot API, so code that matches on descriptions is tested honestly.
export const badRequest = (reason: string) => apiError(400, `Bad Request: ${reason}`);
export const tooManyRequests = (retryAfterSeconds: number) =>
  apiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds });
export const unauthorized = () => apiError(401, "Unauthorized");
export const methodNotFound = () => apiError(404, "Not Found: method not found");

/** 403 for a chat that shut the bot out: a person blocks, a group kicks. */
export function forbiddenFor(chatId: string): ApiReply {
  return Number(chatId) < 0
    ? apiError(403, "Forbidden: bot was kicked from the group chat")
    : apiError(403, "Forbidden: bot was blocked by the user");
}

const SERVER_ERROR_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export const serverError = (status: 500 | 502 | 503) => apiError(status, SERVER_ERROR_TEXT[status] ?? "Server Error");

/** The answer for a failure queued with failNext. */
export function injectedReply(failure: Extract<InjectedFailure, { status: number }>): ApiReply {
  switch (failure.status) {
    case 429:
      return tooManyRequests(failure.retryAfter);
    case 403:
      return apiError(403, failure.description ?? "Forbidden: bot was blocked by the user");
    case 400:
      return apiError(400, failure.description ?? "Bad Request");
    default:
      return serverError(failure.status);
  }
}
