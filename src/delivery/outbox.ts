import type { OutboundMessage } from "../channels/types.ts";
import type { Clock } from "../services/clock.ts";
import type { Db, DbClient } from "../storage/database.ts";
import { quietHoldOf } from "./quietHold.ts";

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

  /**
   * Queues the messages all together or none: in one transaction of their own, or in the caller's
   * (`tx`), so a notice and its messages are written as one. During the quiet hours that apply to
   * its recipient a message waits until they end (see quietHold.ts), unless it is an answer to
   * someone writing now or marked urgent.
   */
  async function enqueue(messages: QueuedMessage[], broadcastId?: number, tx?: DbClient): Promise<{ queued: number; alreadyQueued: number }> {
    const now = clock.now();
    const fresh = dedupeWithin(messages);
    const batches = batchesByTime(fresh, await quietHoldOf(tx ?? db, fresh, now), now);
    const write = async (client: DbClient) => {
      let queued = 0;
      for (const batch of batches) queued += await insertFresh(client, batch.messages, broadcastId ?? null, now, batch.notBefore);
      if (broadcastId !== undefined) {
        const total = await client.outboxMessage.count({ where: { broadcastId } });
        await client.broadcast.update({ where: { id: broadcastId }, data: { total } });
      }
      return { queued, alreadyQueued: messages.length - queued };
    };
    if (tx) return write(tx);
    // One statement needs no transaction of its own.
    if (batches.length <= 1 && broadcastId === undefined) return write(db);
    return db.$transaction(write, { maxWait: 10_000, timeout: 120_000 });
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

  /**
   * One statement per chunk: the rows travel as one JSON parameter (SQLite's json_each), each text,
   * buttons and attachment once in a second one however many rows share it, and a dedupe key that
   * is already queued is skipped by the unique index, so the count is what was new.
   */
  async function insertFresh(client: DbClient, chunk: QueuedMessage[], broadcastId: number | null, now: Date, notBefore: Date): Promise<number> {
    if (chunk.length === 0) return 0;
    const strings: string[] = [];
    const indexOf = new Map<string, number>();
    const intern = (value: string | null) => {
      if (value === null) return null;
      let index = indexOf.get(value);
      if (index === undefined) {
        index = strings.push(value) - 1;
        indexOf.set(value, index);
      }
      return index;
    };
    // Many rows share one buttons object (a reminder's, per language): written out once each.
    const json = new Map<object, string>();
    const written = (value: object | undefined) => {
      if (!value) return null;
      let text = json.get(value);
      if (text === undefined) {
        text = JSON.stringify(value);
        json.set(value, text);
      }
      return text;
    };
    const rows = chunk.map((m) => [
      m.dedupeKey,
      m.channel,
      m.chatId,
      m.isGroup ? 1 : 0,
      m.memberId ?? null,
      intern(m.message.text),
      intern(written(m.message.buttons)),
      intern(written(m.message.attachment)),
      m.message.replyToMessageId ?? null,
      m.message.forgetText ? 1 : 0,
    ]);
    return client.$executeRaw`
      INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "isGroup", "memberId", "text", "buttons", "attachment", "replyToMessageId", "forgetText", "broadcastId", "nextAttemptAt", "createdAt")
      SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4,
        s.strings ->> (r.value ->> 5), s.strings ->> (r.value ->> 6), s.strings ->> (r.value ->> 7),
        r.value ->> 8, r.value ->> 9, ${broadcastId}, ${notBefore}, ${now}
      FROM json_each(${JSON.stringify(rows)}) AS r, (SELECT ${JSON.stringify(strings)} AS strings) AS s WHERE true
      ON CONFLICT ("dedupeKey") DO NOTHING`;
  }

  return { createBroadcast, enqueue, summary };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** The messages in chunks of at most INSERT_CHUNK that share when they may first go (`now` when not held), in order. */
function batchesByTime(messages: QueuedMessage[], heldUntil: (Date | null)[], now: Date): { notBefore: Date; messages: QueuedMessage[] }[] {
  const byTime = new Map<number, QueuedMessage[]>();
  messages.forEach((m, i) => {
    const at = (heldUntil[i] ?? now).getTime();
    const same = byTime.get(at);
    if (same) same.push(m);
    else byTime.set(at, [m]);
  });
  return [...byTime].flatMap(([at, group]) => {
    const chunks: { notBefore: Date; messages: QueuedMessage[] }[] = [];
    for (let i = 0; i < group.length; i += INSERT_CHUNK) chunks.push({ notBefore: new Date(at), messages: group.slice(i, i + INSERT_CHUNK) });
    return chunks;
  });
}

function dedupeWithin(messages: QueuedMessage[]): QueuedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => (seen.has(m.dedupeKey) ? false : (seen.add(m.dedupeKey), true)));
}
