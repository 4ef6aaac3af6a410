import type { OutboxMessage, Prisma } from "../generated/prisma/client.ts";
import { secrets } from "../redaction.ts";
import type { Db } from "../storage/database.ts";
import type { LaneFilter } from "./lanes.ts";

const ERROR_MAX_CHARS = 500;
/** What is left of the text of a row that asked to forget it (as the retention purge leaves it). */
export const FORGOTTEN_TEXT = "";

/**
 * The outbox table's state changes, each one conditional on the row still being ours, so two
 * workers (or a worker and its restarted self) never both own a row.
 */
export function createOutboxStore(deps: { db: Db; workerId: string; leaseMs: number }) {
  const { db, leaseMs } = deps;
  let claims = 0;

  /** Due rows, and rows whose owner's lease ran out (it crashed mid-send). */
  const due = (now: Date) => ({ status: "queued", nextAttemptAt: { lte: now } });
  const abandoned = (now: Date) => ({ status: "sending", lockedUntil: { lt: now } });

  /**
   * Up to `limit` claimable rows of one lane, oldest first, leased to us. Two queries rather than
   * one with OR: each reads only its own slice of the (channel, status, nextAttemptAt) index, where
   * the OR would walk every row of the lane ever sent. `excludeIds` are rows we are still sending.
   */
  async function claim(now: Date, lane: LaneFilter, limit: number, excludeIds: number[] = []): Promise<OutboxMessage[]> {
    const notHeld = excludeIds.length ? { id: { notIn: excludeIds } } : {};
    const oldest = (state: Prisma.OutboxMessageWhereInput) =>
      db.outboxMessage.findMany({ where: { AND: [lane, state, notHeld] }, orderBy: { id: "asc" }, take: limit, select: { id: true } });
    const found = [...(await oldest(due(now))), ...(await oldest(abandoned(now)))];
    if (found.length === 0) return [];
    const ids = found.map((row) => row.id).sort((a, b) => a - b).slice(0, limit);
    const token = `${deps.workerId}:${++claims}`;
    await db.outboxMessage.updateMany({
      where: { id: { in: ids }, OR: [due(now), abandoned(now)] },
      data: { status: "sending", lockedBy: token, lockedUntil: new Date(now.getTime() + leaseMs) },
    });
    return db.outboxMessage.findMany({ where: { id: { in: ids }, lockedBy: token, status: "sending" }, orderBy: { id: "asc" } });
  }

  const ours = (id: number) => ({ id, status: "sending" });
  /** What a row that asked to be forgotten keeps once sent: no text and no file (a member's export). */
  const FORGOTTEN = { text: FORGOTTEN_TEXT, attachment: null };
  /** A row given up for good (nothing sends it again) loses its text if it asked to. */
  const forgetIfAsked = (id: number, status: string) =>
    db.outboxMessage.updateMany({ where: { id, status, forgetText: true }, data: FORGOTTEN });

  return {
    claim,
    /** Whether any lane has a row to claim: one cheap look (an index per state) before asking lane by lane. */
    async anyClaimable(now: Date, excludeIds: number[] = []): Promise<boolean> {
      const notHeld = excludeIds.length ? { id: { notIn: excludeIds } } : {};
      return (await db.outboxMessage.findFirst({ where: { OR: [due(now), abandoned(now)], ...notHeld }, select: { id: true } })) !== null;
    },
    /** Extends the lease of rows we still hold (waiting for a rate limit or a 429 pause). */
    async renew(rows: OutboxMessage[], now: Date) {
      const lockedUntil = new Date(now.getTime() + leaseMs);
      const tokens = [...new Set(rows.map((r) => r.lockedBy).filter((t): t is string => t !== null))];
      await db.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) }, status: "sending", lockedBy: { in: tokens } }, data: { lockedUntil } });
      for (const row of rows) row.lockedUntil = lockedUntil;
    },
    async release(ids: number[], nextAttemptAt: Date) {
      await db.outboxMessage.updateMany({ where: { id: { in: ids }, status: "sending" }, data: { status: "queued", lockedBy: null, lockedUntil: null, nextAttemptAt } });
    },
    /** `forgetText`: the row asked for it (and its channel does not read sent texts back): the text goes now. */
    async markSent(id: number, externalMessageId: string, at: Date, options: { forgetText?: boolean } = {}) {
      const forget = options.forgetText ? FORGOTTEN : {};
      await db.outboxMessage.updateMany({ where: ours(id), data: { status: "sent", externalMessageId, sentAt: at, lockedBy: null, lockedUntil: null, lastError: null, ...forget } });
    },
    async retryLater(id: number, nextAttemptAt: Date, error: string) {
      await db.outboxMessage.updateMany({
        where: ours(id),
        data: { status: "queued", attempts: { increment: 1 }, nextAttemptAt, lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) },
      });
    },
    async markFailed(id: number, error: string) {
      await db.$transaction([
        db.outboxMessage.updateMany({
          where: ours(id),
          data: { status: "failed", attempts: { increment: 1 }, lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) },
        }),
        forgetIfAsked(id, "failed"),
      ]);
    },
    /** This message cannot reach the chat now (the chat itself stays usable): recorded with why. */
    async markUndeliverable(id: number, error: string) {
      await db.$transaction([
        db.outboxMessage.updateMany({ where: ours(id), data: { status: "unreachable", lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) } }),
        forgetIfAsked(id, "unreachable"),
      ]);
    },
    /** The recipient blocked the bot (or it left the group): stop writing to that chat. */
    async markUnreachable(row: OutboxMessage, error: string) {
      await db.$transaction([
        db.outboxMessage.updateMany({ where: ours(row.id), data: { status: "unreachable", lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) } }),
        forgetIfAsked(row.id, "unreachable"),
        db.chatIdentity.updateMany({ where: { channel: row.channel, chatId: row.chatId }, data: { reachable: false } }),
        db.groupChat.updateMany({ where: { channel: row.channel, externalChatId: row.chatId }, data: { reachable: false } }),
      ]);
    },
  };
}
