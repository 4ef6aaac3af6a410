import crypto from "node:crypto";
import type { Logger } from "pino";
import type { OutboxMessage } from "../generated/prisma/client.ts";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";
import type { Attachment, Button } from "../channels/types.ts";
import { chatsOfMembers } from "../services/recipients.ts";
import { createOutbox } from "./outbox.ts";
import { createLaneQueue, laneOf, rowsOfLane, rowsOfNoLane, type Lane, type LaneQueue } from "./lanes.ts";
import { createOutboxStore } from "./outboxStore.ts";
import { createRateLimiter, type RateLimiter, type RateLimits } from "./rateLimiter.ts";
import { createSleeper } from "./sleeper.ts";
import { DeliveryError, decideNextStep, type DeliveryFailure, type RetryPolicy } from "./retryPolicy.ts";

/** Sends one outbox row on its platform; throws DeliveryError saying what went wrong. */
export interface Transport {
  send(message: OutboxMessage): Promise<{ externalMessageId: string }>;
  /** The channel reads sent rows back (the web chat's page does): their texts are kept, even one asked to be forgotten. */
  keepsText?: boolean;
}

export type OutboxEvent =
  | { type: "sent"; message: OutboxMessage }
  | { type: "retry"; message: OutboxMessage; delayMs: number; reason: string }
  | { type: "failed"; message: OutboxMessage; reason: string }
  | { type: "unreachable"; message: OutboxMessage; reason: string };

export interface OutboxWorkerOptions {
  db: Db;
  /** By lane (lanes.ts; today the channel). A row whose lane has no transport here fails at once. */
  transports: Record<Lane, Transport>;
  clock: Clock;
  logger: Logger;
  /** By lane, like `transports`; each lane with a transport needs its limits. */
  limits: Record<Lane, RateLimits>;
  retry: RetryPolicy;
  /** Messages in flight at once in each lane. After a crash at most this many per lane can be sent twice. */
  concurrency?: number;
  /** Rows claimed at once for each lane. */
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
/** How soon to look again at a chat whose previous message is still on its way (its end wakes the loop anyway). */
const BUSY_CHAT_RECHECK_MS = Math.min(DEFAULT_IDLE_POLL_MS, MAX_BUFFERED_WAIT_MS);

/**
 * The outbox worker: claims due rows with a lease, sends them within each platform's limits and
 * records the outcome on the row. All correctness lives in the table (leases, attempts, next
 * attempt time), so several workers can share a database and a restart resumes where it stopped.
 * Each lane (channel) is claimed, limited, paused and given send slots of its own, and the lanes
 * take turns: a flood, a 429 or a hung platform in one lane does not hold up the others.
 * A chat has one message on its way at a time, so its messages arrive in the order they were
 * queued: a digest's text before its file, the file before the next reply, however slow the upload.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idlePollMs = options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
  const { clock, logger } = options;
  const store = createOutboxStore({ db: options.db, workerId: `outbox-${crypto.randomUUID().slice(0, 8)}`, leaseMs });
  const outbox = createOutbox({ db: options.db, clock });
  /** Chats (lane and chat id) with a message on its way. */
  const busyChats = new Set<string>();
  const chatKey = (lane: Lane, chatId: string) => `${lane}\u0000${chatId}`;
  const lanes: LaneQueue[] = [
    ...Object.keys(options.transports).map((lane) => createLaneQueue(rowsOfLane(lane), oneAtATimePerChat(lane, createRateLimiter(limitsOf(lane))))),
    // Rows of a channel not set up here: claimed only to be failed with the reason, never left queued.
    createLaneQueue(rowsOfNoLane(Object.keys(options.transports))),
  ];
  const inFlight = new Set<Promise<void>>();
  const inFlightRows = new Map<number, OutboxMessage>();
  let running = false;
  let loop: Promise<void> | undefined;
  const { sleep, wake } = createSleeper();
  /** The lane whose turn it is to send first. */
  let turn = 0;

  const nowMs = () => clock.now().getTime();
  function limitsOf(lane: Lane): RateLimits {
    const limits = options.limits[lane];
    if (!limits) throw new Error(`No rate limits configured for channel ${lane}`);
    return limits;
  }

  /**
   * To the lane, a chat whose last message is still on its way is a chat whose limit is not up
   * yet: its next rows stay queued, in order, and later rows of other chats go past them.
   */
  function oneAtATimePerChat(lane: Lane, limiter: RateLimiter): RateLimiter {
    return {
      ...limiter,
      delayFor: (chatId, isGroup, nowMs) =>
        busyChats.has(chatKey(lane, chatId)) ? BUSY_CHAT_RECHECK_MS : limiter.delayFor(chatId, isGroup, nowMs),
    };
  }

  async function release(rows: OutboxMessage[], nextAttemptAt: Date): Promise<void> {
    if (rows.length) await store.release(rows.map((r) => r.id), nextAttemptAt);
  }

  /** Rows held longer than half their lease (429 pauses, slow chats) get it extended. */
  async function renewLeasesIfDue(): Promise<void> {
    const held = [...lanes.flatMap((lane) => lane.rows), ...inFlightRows.values()];
    const soon = nowMs() + leaseMs / 2;
    if (held.some((row) => (row.lockedUntil?.getTime() ?? 0) < soon)) await store.renew(held, clock.now());
  }

  /** Each lane that has sent all it held claims more, unless its pause would only keep them waiting. */
  async function refill(): Promise<void> {
    const now = nowMs();
    const hungry: LaneQueue[] = [];
    for (const lane of lanes) {
      if (lane.rows.length > 0 || now < lane.claimAfterMs) continue;
      const pausedMs = lane.pausedMs(now);
      if (pausedMs > MAX_BUFFERED_WAIT_MS) lane.claimAfterMs = now + pausedMs - MAX_BUFFERED_WAIT_MS;
      else hungry.push(lane);
    }
    if (hungry.length === 0) return;
    // Rows still in flight may have outlived their lease; never take them back ourselves.
    const held = [...inFlightRows.keys()];
    // An idle outbox costs one query a poll, not two for every lane.
    if (!(await store.anyClaimable(clock.now(), held))) {
      for (const lane of hungry) lane.claimAfterMs = now + idlePollMs;
      return;
    }
    for (const lane of hungry) {
      const rows = await store.claim(clock.now(), lane.filter, batchSize, held);
      lane.rows.push(...rows);
      lane.claimAfterMs = rows.length > 0 ? now : now + idlePollMs;
    }
  }

  /** The next row to send, the lanes taking turns; or how long until one may go. */
  async function nextSend(): Promise<{ lane: LaneQueue; row: OutboxMessage } | { waitMs: number }> {
    let waitMs = Number.POSITIVE_INFINITY;
    for (let k = 0; k < lanes.length; k++) {
      const lane = lanes[(turn + k) % lanes.length]!;
      // A lane with every slot busy waits for a send to finish, which wakes the loop.
      if (lane.rows.length === 0 || lane.inFlight >= concurrency) continue;
      const now = nowMs();
      const pick = lane.pick(now);
      if ("index" in pick) {
        turn = (turn + k + 1) % lanes.length;
        return { lane, row: lane.take(pick.index, now) };
      }
      if (pick.waitMs > MAX_BUFFERED_WAIT_MS) {
        // Nothing in this lane can go for a while (a long retry_after, a group's per-minute
        // limit): give its rows back instead of holding their lease.
        await release(lane.rows.splice(0), new Date(now + pick.waitMs));
        continue;
      }
      waitMs = Math.min(waitMs, pick.waitMs);
    }
    return { waitMs };
  }

  /** How long until an empty lane may claim again, so a poll is never overslept. */
  function msUntilClaim(now: number): number {
    const times = lanes.filter((lane) => lane.rows.length === 0).map((lane) => lane.claimAfterMs - now);
    return Math.max(0, Math.min(...times));
  }

  function dispatch(lane: LaneQueue, row: OutboxMessage): void {
    lane.inFlight++;
    inFlightRows.set(row.id, row);
    const chat = chatKey(laneOf(row), row.chatId);
    busyChats.add(chat);
    const task = send(lane, row).finally(() => {
      lane.inFlight--;
      inFlight.delete(task);
      inFlightRows.delete(row.id);
      busyChats.delete(chat);
      wake();
    });
    inFlight.add(task);
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        await renewLeasesIfDue();
        await refill();
        const next = await nextSend();
        if ("row" in next) dispatch(next.lane, next.row);
        else await sleep(Math.min(next.waitMs, idlePollMs, msUntilClaim(nowMs())));
      } catch (error) {
        logger.error({ err: error }, "outbox worker loop failed; retrying");
        await sleep(1000);
      }
    }
  }

  async function send(lane: LaneQueue, row: OutboxMessage): Promise<void> {
    const transport = options.transports[laneOf(row)];
    try {
      if (!transport) throw new DeliveryError({ kind: "permanent", description: `no transport for channel ${row.channel}` });
      const { externalMessageId } = await transport.send(row);
      await store.markSent(row.id, externalMessageId, clock.now(), { forgetText: row.forgetText && !transport.keepsText });
      options.onEvent?.({ type: "sent", message: row });
    } catch (error) {
      await handleFailure(lane, row, toFailure(error));
    }
  }

  async function handleFailure(lane: LaneQueue, row: OutboxMessage, failure: DeliveryFailure): Promise<void> {
    // attempts on the row count earlier failures; the policy counts this one too.
    const step = decideNextStep(failure, row.attempts + 1, options.retry);
    const now = nowMs();
    switch (step.action) {
      case "retryAfter": {
        lane.pauseUntil(now + step.pauseAllMs);
        if (step.delayMs < leaseMs / 2) {
          lane.rows.unshift(row); // same lease, first in its lane once the pause ends
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
        // The original was already due (the quiet hours held it, or let it go): its copy is not held again.
        urgent: true,
        ...(row.forgetText ? { forgetText: true } : {}),
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
      wake();
      await loop;
      await Promise.allSettled(inFlight);
      await release(lanes.flatMap((lane) => lane.rows.splice(0)), clock.now());
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
