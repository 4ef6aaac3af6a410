import type { OutboundMessage } from "../channels/types.ts";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";

/** One message for one chat. `dedupeKey` names the logical message and recipient. */
export interface QueuedMessage {
  dedupeKey: string;
  channel: string;
  chatId: string;
  isGroup?: boolean;
  memberId?: number;
  message: OutboundMessage;
}

export interface BroadcastSummary {
  broadcastId: number;
  total: number;
  queued: number;
  sent: number;
  failed: number;
  unreachable: number;
  /** Recipients that could not be reached, and why. */
  problems: { chatId: string; memberId: number | null; status: string; error: string | null }[];
}

const INSERT_CHUNK = 500;

/**
 * Every outgoing message is a row first. A dedupe key that is already queued is skipped, so the
 * same reminder or notice can never be queued twice, even when its producer runs again.
 */
export function createOutbox(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function createBroadcast(input: { key: string; kind: string; createdById?: number }) {
    return db.broadcast.upsert({
      where: { key: input.key },
      create: { key: input.key, kind: input.kind, createdById: input.createdById ?? null, createdAt: clock.now() },
      update: {},
    });
  }

  async function enqueue(messages: QueuedMessage[], broadcastId?: number): Promise<{ queued: number; alreadyQueued: number }> {
    let queued = 0;
    const now = clock.now();
    for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
      const chunk = dedupeWithin(messages.slice(i, i + INSERT_CHUNK));
      queued += await db.$transaction(async (tx) => {
        const existing = await tx.outboxMessage.findMany({ where: { dedupeKey: { in: chunk.map((m) => m.dedupeKey) } }, select: { dedupeKey: true } });
        const known = new Set(existing.map((e) => e.dedupeKey));
        const fresh = chunk.filter((m) => !known.has(m.dedupeKey));
        if (fresh.length === 0) return 0;
        const result = await tx.outboxMessage.createMany({
          data: fresh.map((m) => ({
            dedupeKey: m.dedupeKey,
            channel: m.channel,
            chatId: m.chatId,
            isGroup: m.isGroup ?? false,
            memberId: m.memberId ?? null,
            broadcastId: broadcastId ?? null,
            text: m.message.text,
            buttons: m.message.buttons ? JSON.stringify(m.message.buttons) : null,
            attachment: m.message.attachment ? JSON.stringify(m.message.attachment) : null,
            replyToMessageId: m.message.replyToMessageId ?? null,
            nextAttemptAt: now,
            createdAt: now,
          })),
        });
        return result.count;
      });
    }
    if (broadcastId !== undefined) {
      const total = await db.outboxMessage.count({ where: { broadcastId } });
      await db.broadcast.update({ where: { id: broadcastId }, data: { total } });
    }
    return { queued, alreadyQueued: messages.length - queued };
  }

  async function summary(broadcastId: number): Promise<BroadcastSummary> {
    const groups = await db.outboxMessage.groupBy({ by: ["status"], where: { broadcastId }, _count: { _all: true } });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    const problems = await db.outboxMessage.findMany({
      where: { broadcastId, status: { in: ["failed", "unreachable"] } },
      select: { chatId: true, memberId: true, status: true, lastError: true },
      orderBy: { id: "asc" },
    });
    return {
      broadcastId,
      total: groups.reduce((sum, g) => sum + g._count._all, 0),
      queued: count("queued") + count("sending"),
      sent: count("sent"),
      failed: count("failed"),
      unreachable: count("unreachable"),
      problems: problems.map((p) => ({ chatId: p.chatId, memberId: p.memberId, status: p.status, error: p.lastError })),
    };
  }

  return { createBroadcast, enqueue, summary };
}

export type Outbox = ReturnType<typeof createOutbox>;

function dedupeWithin(messages: QueuedMessage[]): QueuedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => (seen.has(m.dedupeKey) ? false : (seen.add(m.dedupeKey), true)));
}
