/** A request that gives up by itself: a silent server must not hold a send or a poll forever. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The Bot API refused a call: `code` is its error_code (or the HTTP status when it gave none). */
export class ZaloBotApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
    /** Seconds to wait, when a 429 says so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${method} failed: ${code} ${description}`);
    this.name = "ZaloBotApiError";
  }
}

export interface ZaloBotApi {
  call<T = unknown>(method: string, params?: Record<string, unknown>, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T>;
}

/**
 * The Zalo Bot Platform's HTTP API (`<apiRoot>/bot<TOKEN>/<method>`, POST with a JSON body,
 * answers `{ ok, result }` or `{ ok: false, error_code, description }`) over plain fetch.
 * Errors never carry the URL: it holds the token.
 */
export function createZaloBotApi(settings: { token: string; apiRoot: string }): ZaloBotApi {
  const base = settings.apiRoot.replace(/\/+$/, "");
  return {
    async call<T>(method: string, params: Record<string, unknown> = {}, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
      const response = await fetch(`${base}/bot${settings.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
      const body = (await response.json().catch(() => undefined)) as ApiAnswer | undefined;
      if (response.ok && body?.ok === true) return body.result as T;
      const code = typeof body?.error_code === "number" ? body.error_code : response.status;
      const description = typeof body?.description === "string" ? body.description : response.statusText || "no description";
      throw new ZaloBotApiError(method, code, description, retryAfterOf(body, response.headers.get("retry-after")));
    },
  };
}

interface ApiAnswer {
  ok?: unknown;
  result?: unknown;
  error_code?: unknown;
  description?: unknown;
  retry_after?: unknown;
  parameters?: { retry_after?: unknown };
}

/** The platform documents no 429 shape, so Telegram's field, a flat one and the HTTP header are all read. */
function retryAfterOf(body: ApiAnswer | undefined, header: string | null): number | undefined {
  for (const value of [body?.parameters?.retry_after, body?.retry_after, header === null ? undefined : Number(header)]) {
    if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
}
