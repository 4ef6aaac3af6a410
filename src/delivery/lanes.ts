import type { OutboxMessage, Prisma } from "../generated/prisma/client.ts";
import type { RateLimiter } from "./rateLimiter.ts";

/**
 * A lane is the outbox rows one sender sends under one set of limits: today a channel
 * ("telegram", "zalo_bot", "zalo_oa", "web"). The worker claims, paces, pauses and sends each lane
 * on its own, so a flood, a 429 or a hung API in one lane never delays another.
 *
 * Every row of a chat must fall in the same lane: rows are claimed and sent oldest first within
 * their lane, and that is what keeps a chat's messages in order. A channel with several bot
 * accounts makes each account its own lane by changing `laneOf` and `rowsOfLane` together; the
 * worker's transports and limits are keyed by lane.
 */
export type Lane = string;

export type LaneFilter = Prisma.OutboxMessageWhereInput;

export function laneOf(row: Pick<OutboxMessage, "channel">): Lane {
  return row.channel;
}

/** The rows of one lane, as a filter on the outbox table (the rows `laneOf` maps to it). */
export function rowsOfLane(lane: Lane): LaneFilter {
  return { channel: lane };
}

/** Rows in none of these lanes: nobody here can send them. */
export function rowsOfNoLane(lanes: readonly Lane[]): LaneFilter {
  return { NOT: lanes.map(rowsOfLane) };
}

/** One lane as a worker holds it: the rows it claimed (oldest first), its limits, its sends in flight. */
export interface LaneQueue {
  readonly filter: LaneFilter;
  readonly rows: OutboxMessage[];
  inFlight: number;
  /** The earliest time worth asking the table for more of this lane's rows. */
  claimAfterMs: number;
  /** The first held row the limits allow at nowMs, or how long until one is allowed. */
  pick(nowMs: number): { index: number } | { waitMs: number };
  /** Takes a row `pick` allowed out of the queue and counts its send against the limits. */
  take(index: number, nowMs: number): OutboxMessage;
  /** ms until the lane's own budget (its global limit, a 429 pause) lets any row go. */
  pausedMs(nowMs: number): number;
  pauseUntil(untilMs: number): void;
}

/** Without a limiter nothing is paced: for rows that fail without reaching any platform. */
export function createLaneQueue(filter: LaneFilter, limiter?: RateLimiter): LaneQueue {
  const rows: OutboxMessage[] = [];
  const pausedMs = (nowMs: number) => limiter?.globalDelay(nowMs) ?? 0;
  return {
    filter,
    rows,
    inFlight: 0,
    claimAfterMs: Number.NEGATIVE_INFINITY,
    pick(nowMs) {
      let waitMs = Number.POSITIVE_INFINITY;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const delay = limiter?.delayFor(row.chatId, row.isGroup, nowMs) ?? 0;
        if (delay === 0) return { index: i };
        waitMs = Math.min(waitMs, delay);
        // The lane's budget is shared by all its rows: when it is the blocker, no later row can go sooner.
        if (pausedMs(nowMs) > 0) break;
      }
      return { waitMs };
    },
    take(index, nowMs) {
      const [row] = rows.splice(index, 1);
      limiter?.record(row!.chatId, row!.isGroup, nowMs);
      return row!;
    },
    pausedMs,
    pauseUntil: (untilMs) => limiter?.pauseUntil(untilMs),
  };
}
