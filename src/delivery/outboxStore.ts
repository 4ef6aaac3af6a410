import type { OutboxMessage } from "../generated/prisma/client.ts";
import { secrets } from "../redaction.ts";
import type { Db } from "../storage/database.ts";

const ERROR_MAX_CHARS = 500;

/**
 * The outbox table's state changes, each one conditional on the row still being ours, so two
 * workers (or a worker and its restarted self) never both own a row.
 */
export function createOutboxStore(deps: { db: Db; workerId: string; leaseMs: number }) {
  const { db, leaseMs } = deps;
  let claims = 0;

  /** Due rows, and rows whose owner's lease ran out (it crashed mid-send), oldest first. */
  const claimable = (now: Date) => ({
    OR: [
      { status: "queued", nextAttemptAt: { lte: now } },
      { status: "sending", lockedUntil: { lt: now } },
    ],
  });

  async function claim(now: Date, limit: number, excludeIds: number[] = []): Promise<OutboxMessage[]> {
    const candidates = await db.outboxMessage.findMany({ where: { ...claimable(now), ...(excludeIds.length ? { id: { notIn: excludeIds } } : {}) }, orderBy: { id: "asc" }, take: limit, select: { id: true } });
    if (candidates.length === 0) return [];
    const token = `${deps.workerId}:${++claims}`;
    await db.outboxMessage.updateMany({
      where: { id: { in: candidates.map((c) => c.id) }, ...claimable(now) },
      data: { status: "sending", lockedBy: token, lockedUntil: new Date(now.getTime() + leaseMs) },
    });
    return db.outboxMessage.findMany({ where: { lockedBy: token, status: "sending" }, orderBy: { id: "asc" } });
  }

  const ours = (id: number) => ({ id, status: "sending" });

  return {
    claim,
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
    async markSent(id: number, externalMessageId: string, at: Date) {
      await db.outboxMessage.updateMany({ where: ours(id), data: { status: "sent", externalMessageId, sentAt: at, lockedBy: null, lockedUntil: null, lastError: null } });
    },
    async retryLater(id: number, nextAttemptAt: Date, error: string) {
      await db.outboxMessage.updateMany({
        where: ours(id),
        data: { status: "queued", attempts: { increment: 1 }, nextAttemptAt, lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) },
      });
    },
    async markFailed(id: number, error: string) {
      await db.outboxMessage.updateMany({
        where: ours(id),
        data: { status: "failed", attempts: { increment: 1 }, lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) },
      });
    },
    /** This message cannot reach the chat now (the chat itself stays usable): recorded with why. */
    async markUndeliverable(id: number, error: string) {
      await db.outboxMessage.updateMany({ where: ours(id), data: { status: "unreachable", lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) } });
    },
    /** The recipient blocked the bot (or it left the group): stop writing to that chat. */
    async markUnreachable(row: OutboxMessage, error: string) {
      await db.$transaction([
        db.outboxMessage.updateMany({ where: ours(row.id), data: { status: "unreachable", lockedBy: null, lockedUntil: null, lastError: secrets.redact(error).slice(0, ERROR_MAX_CHARS) } }),
        db.chatIdentity.updateMany({ where: { channel: row.channel, chatId: row.chatId }, data: { reachable: false } }),
        db.groupChat.updateMany({ where: { channel: row.channel, externalChatId: row.chatId }, data: { reachable: false } }),
      ]);
    },
  };
}
