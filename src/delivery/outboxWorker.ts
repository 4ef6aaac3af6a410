import crypto from "node:crypto";
import type { Logger } from "pino";
import type { OutboxMessage } from "../generated/prisma/client.ts";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";
import type { Attachment, Button } from "../channels/types.ts";
import { chatsOfMembers } from "../services/recipients.ts";
import { createOutbox } from "./outbox.ts";
import { createOutboxStore } from "./outboxStore.ts";
import { createRateLimiter, type RateLimits } from "./rateLimiter.ts";
import { DeliveryError, decideNextStep, type DeliveryFailure, type RetryPolicy } from "./retryPolicy.ts";

/** Sends one outbox row on its platform; throws DeliveryError saying what went wrong. */
export interface Transport {
  send(message: OutboxMessage): Promise<{ externalMessageId: string }>;
}

export type OutboxEvent =
  | { type: "sent"; message: OutboxMessage }
  | { type: "retry"; message: OutboxMessage; delayMs: number; reason: string }
  | { type: "failed"; message: OutboxMessage; reason: string }
  | { type: "unreachable"; message: OutboxMessage; reason: string };

export interface OutboxWorkerOptions {
  db: Db;
  transports: Record<string, Transport>;
  clock: Clock;
  logger: Logger;
  limits: Record<string, RateLimits>;
  retry: RetryPolicy;
  /** Messages in flight at once. After a crash at most this many can be sent twice. */
  concurrency?: number;
  batchSize?: number;
  /** How long a claimed row stays ours; after it another worker (or we, restarted) may take it. */
  leaseMs?: number;
  idlePollMs?: number;
  onEvent?: (event: OutboxEvent) => void;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_IDLE_POLL_MS = 200;
/** A row that would wait longer than this for its chat's limit goes back to the table meanwhile. */
const MAX_BUFFERED_WAIT_MS = 2_000;

/**
 * The outbox worker: claims due rows with a lease, sends them within each platform's limits and
 * records the outcome on the row. All correctness lives in the table (leases, attempts, next
 * attempt time), so several workers can share a database and a restart resumes where it stopped.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idlePollMs = options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
  const { clock, logger } = options;
  const store = createOutboxStore({ db: options.db, workerId: `outbox-${crypto.randomUUID().slice(0, 8)}`, leaseMs });
  const outbox = createOutbox({ db: options.db, clock });
  const limiters = new Map(Object.entries(options.limits).map(([channel, limits]) => [channel, createRateLimiter(limits)]));
  const buffer: OutboxMessage[] = [];
  const inFlight = new Set<Promise<void>>();
  const inFlightRows = new Map<number, OutboxMessage>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const nowMs = () => clock.now().getTime();
  const limiterFor = (channel: string) => {
    const limiter = limiters.get(channel);
    if (!limiter) throw new Error(`No rate limits configured for channel ${channel}`);
    return limiter;
  };

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  /** The first buffered row its limits allow now, or how long until one is allowed. */
  function pickNext(now: number): { index: number } | { waitMs: number } {
    let waitMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < buffer.length; i++) {
      const row = buffer[i]!;
      const delay = limiterFor(row.channel).delayFor(row.chatId, row.isGroup, now);
      if (delay === 0) return { index: i };
      waitMs = Math.min(waitMs, delay);
      // The global budget is shared: when it is the blocker, no later row can go sooner.
      if (limiterFor(row.channel).globalDelay(now) > 0) break;
    }
    return { waitMs };
  }

  async function release(rows: OutboxMessage[], nextAttemptAt: Date): Promise<void> {
    if (rows.length) await store.release(rows.map((r) => r.id), nextAttemptAt);
  }

  /** Rows held longer than half their lease (429 pauses, slow chats) get it extended. */
  async function renewLeasesIfDue(): Promise<void> {
    const held = [...buffer, ...inFlightRows.values()];
    const soon = nowMs() + leaseMs / 2;
    if (held.some((row) => (row.lockedUntil?.getTime() ?? 0) < soon)) await store.renew(held, clock.now());
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        await renewLeasesIfDue();
        if (buffer.length === 0) {
          // Rows still in flight may have outlived their lease; never take them back ourselves.
          const rows = await store.claim(clock.now(), batchSize, [...inFlightRows.keys()]);
          if (rows.length === 0) {
            await sleep(inFlight.size > 0 ? 10 : idlePollMs);
            continue;
          }
          buffer.push(...rows);
        }
        if (inFlight.size >= concurrency) {
          await Promise.race(inFlight);
          continue;
        }
        const now = nowMs();
        const next = pickNext(now);
        if ("waitMs" in next) {
          if (next.waitMs > MAX_BUFFERED_WAIT_MS) {
            // Nothing can go for a while (a long retry_after, a group's per-minute limit): give
            // the rows back instead of holding their lease.
            await release(buffer.splice(0), new Date(now + next.waitMs));
            continue;
          }
          await sleep(Math.min(next.waitMs, idlePollMs));
          continue;
        }
        const [row] = buffer.splice(next.index, 1);
        limiterFor(row!.channel).record(row!.chatId, row!.isGroup, now);
        inFlightRows.set(row!.id, row!);
        const task = send(row!).finally(() => {
          inFlight.delete(task);
          inFlightRows.delete(row!.id);
        });
        inFlight.add(task);
      } catch (error) {
        logger.error({ err: error }, "outbox worker loop failed; retrying");
        await sleep(1000);
      }
    }
  }

  async function send(row: OutboxMessage): Promise<void> {
    const transport = options.transports[row.channel];
    try {
      if (!transport) throw new DeliveryError({ kind: "permanent", description: `no transport for channel ${row.channel}` });
      const { externalMessageId } = await transport.send(row);
      await store.markSent(row.id, externalMessageId, clock.now());
      options.onEvent?.({ type: "sent", message: row });
    } catch (error) {
      await handleFailure(row, toFailure(error));
    }
  }

  async function handleFailure(row: OutboxMessage, failure: DeliveryFailure): Promise<void> {
    // attempts on the row count earlier failures; the policy counts this one too.
    const step = decideNextStep(failure, row.attempts + 1, options.retry);
    const now = nowMs();
    switch (step.action) {
      case "retryAfter": {
        limiterFor(row.channel).pauseUntil(now + step.pauseAllMs);
        if (step.delayMs < leaseMs / 2) {
          buffer.unshift(row); // same lease, first in line once the pause ends
        } else {
          await release([row], new Date(now + step.delayMs));
        }
        options.onEvent?.({ type: "retry", message: row, delayMs: step.delayMs, reason: "rate limited" });
        return;
      }
      case "retry":
        await store.retryLater(row.id, new Date(now + step.delayMs), describe(failure));
        options.onEvent?.({ type: "retry", message: row, delayMs: step.delayMs, reason: describe(failure) });
        return;
      case "deadLetter":
        await store.markFailed(row.id, step.reason);
        logger.warn({ outboxId: row.id, reason: step.reason }, "outbox message failed for good");
        options.onEvent?.({ type: "failed", message: row, reason: step.reason });
        return;
      case "markUnreachable":
        await store.markUnreachable(row, step.reason);
        options.onEvent?.({ type: "unreachable", message: row, reason: step.reason });
        return;
      case "fallBack": {
        const via = await fallBack(row);
        const reason = via ? `${step.reason}; sent by ${via} instead` : `${step.reason}; no other linked channel`;
        await store.markUndeliverable(row.id, reason);
        options.onEvent?.({ type: "unreachable", message: row, reason });
        return;
      }
    }
  }

  /**
   * The same message to the member's preferred chat on another channel, queued as a row of its
   * own (same broadcast, its own key), so it is sent, limited and reported like any other.
   */
  async function fallBack(row: OutboxMessage): Promise<string | undefined> {
    if (row.memberId === null || row.isGroup) return undefined;
    const [chat] = await chatsOfMembers(options.db, [row.memberId], { exceptChannel: row.channel });
    if (!chat) return undefined;
    await outbox.enqueue([{
      dedupeKey: `${row.dedupeKey}:via:${chat.channel}`,
      channel: chat.channel,
      chatId: chat.chatId,
      memberId: row.memberId,
      message: {
        text: row.text,
        ...(row.buttons ? { buttons: JSON.parse(row.buttons) as Button[][] } : {}),
        ...(row.attachment ? { attachment: JSON.parse(row.attachment) as Attachment } : {}),
      },
    }], row.broadcastId ?? undefined);
    return chat.channel;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops claiming, waits for messages in flight, and gives buffered rows back at once. */
    async stop() {
      running = false;
      wake?.();
      await loop;
      await Promise.allSettled(inFlight);
      await release(buffer.splice(0), clock.now());
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

function toFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryError) return error.failure;
  return { kind: "transient", description: error instanceof Error ? error.message : String(error) };
}

function describe(failure: DeliveryFailure): string {
  return failure.kind === "rateLimited" ? `rate limited for ${failure.retryAfterMs} ms` : failure.description;
}
