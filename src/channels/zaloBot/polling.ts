import type { Logger } from "pino";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import { ZaloBotApiError, type ZaloBotApi } from "./api.ts";
import { unwrapEvent, zaloBotEventId, type ZaloBotEvent } from "./event.ts";

const POLL_TIMEOUT_SECONDS = 25;
/** The platform answers an empty long poll with error 408 ("Request timeout"): poll again at once. */
const EMPTY_POLL_CODE = 408;
/** Time given to the server beyond the poll's own timeout before the request is given up. */
const POLL_GRACE_MS = 10_000;
const RETRY_DELAY_MS = 3_000;

/**
 * Long polling. The platform's getUpdates has no offset: each call hands over at most one event
 * and the platform forgets it, so there is no position to keep. Each event is stored before the
 * next call, and held in memory until it is. The stored row's unique id (event and message) is
 * what keeps a redelivered event, by poll or webhook, from being handled twice, across restarts.
 */
export function createZaloBotPolling(deps: { api: ZaloBotApi; store: InboundStore; clock: Clock; logger: Logger; pollTimeoutSeconds?: number; retryDelayMs?: number }) {
  const timeoutSeconds = deps.pollTimeoutSeconds ?? POLL_TIMEOUT_SECONDS;
  const retryDelayMs = deps.retryDelayMs ?? RETRY_DELAY_MS;
  let running = false;
  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;

  /** Events fetched but not stored yet: the platform will not hand them over again, so they are kept until stored. */
  let unstored: ZaloBotEvent[] = [];

  function eventsIn(result: unknown): ZaloBotEvent[] {
    // One event per call is documented; a list is accepted too, should the API grow one.
    return (Array.isArray(result) ? result : [result]).map(unwrapEvent).filter((event): event is ZaloBotEvent => event !== undefined && zaloBotEventId(event) !== undefined);
  }

  async function storeUnstored(): Promise<void> {
    for (let event = unstored[0]; event; event = unstored[0]) {
      await deps.store.record("zalo_bot", zaloBotEventId(event)!, JSON.stringify(event), deps.clock.now());
      unstored.shift();
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      abort?.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async function run(): Promise<void> {
    while (running) {
      abort = new AbortController();
      try {
        if (unstored.length === 0) {
          const result = await deps.api.call("getUpdates", { timeout: String(timeoutSeconds) }, { signal: abort.signal, timeoutMs: timeoutSeconds * 1000 + POLL_GRACE_MS });
          unstored = eventsIn(result);
        }
        await storeUnstored();
      } catch (error) {
        if (!running) break;
        if (error instanceof ZaloBotApiError && error.code === EMPTY_POLL_CODE) continue;
        deps.logger.warn({ err: error }, "Zalo Bot polling failed; retrying");
        await pause(retryDelayMs);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      abort?.abort();
      await loop;
    },
  };
}
