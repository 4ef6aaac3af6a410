import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import type { Update } from "telegraf/types";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import { ALLOWED_UPDATES } from "./setup.ts";

const OFFSET_KEY = "telegram:offset";
const POLL_TIMEOUT_SECONDS = 25;
const RETRY_DELAY_MS = 3_000;

/**
 * Long polling: each update is stored before the offset moves past it, and the offset itself is
 * stored, so a crash loses nothing and a restart does not fetch twice what it already stored.
 */
export function createTelegramPolling(deps: { telegram: Telegram; store: InboundStore; db: Db; clock: Clock; logger: Logger; pollTimeoutSeconds?: number }) {
  let running = false;
  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;

  async function readOffset(): Promise<number | undefined> {
    const row = await deps.db.channelState.findUnique({ where: { key: OFFSET_KEY } });
    return row ? Number(row.value) : undefined;
  }

  async function saveOffset(offset: number): Promise<void> {
    await deps.db.channelState.upsert({ where: { key: OFFSET_KEY }, create: { key: OFFSET_KEY, value: String(offset) }, update: { value: String(offset) } });
  }

  async function run(): Promise<void> {
    let offset = await readOffset();
    while (running) {
      abort = new AbortController();
      try {
        const updates = (await deps.telegram.callApi(
          "getUpdates",
          { offset, timeout: deps.pollTimeoutSeconds ?? POLL_TIMEOUT_SECONDS, allowed_updates: ALLOWED_UPDATES },
          // telegraf types the signal with an old shim; node-fetch accepts the built-in one.
          { signal: abort.signal as unknown as NonNullable<Parameters<Telegram["callApi"]>[2]>["signal"] },
        )) as Update[];
        for (const update of updates) {
          await deps.store.record("telegram", String(update.update_id), JSON.stringify(update), deps.clock.now());
          offset = update.update_id + 1;
        }
        if (updates.length && offset !== undefined) await saveOffset(offset);
      } catch (error) {
        if (!running) break;
        deps.logger.warn({ err: error }, "Telegram polling failed; retrying");
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
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
