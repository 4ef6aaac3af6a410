import type { Db } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";

interface Pending {
  channel: string;
  externalId: string;
  payload: string;
  receivedAt: Date;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;

/**
 * Stores platform updates before they are acknowledged. Returns false for an update already
 * stored: platforms redeliver when an answer is slow or lost, and each update is handled once.
 *
 * Updates arriving together are written together (one transaction for everything that came in
 * during the same tick): a webhook under load then costs one commit per batch instead of one per
 * request, which keeps its answer fast. Each caller still learns only when its own row is stored.
 */
export function createInboundStore(deps: { db: Db; onStored?: () => void }) {
  const { db } = deps;
  let queue: Pending[] = [];
  let flushing = false;

  async function writeBatch(batch: Pending[]): Promise<boolean[]> {
    return db.$transaction(async (tx) => {
      const existing = await tx.inboundUpdate.findMany({
        where: { OR: batch.map((p) => ({ channel: p.channel, externalId: p.externalId })) },
        select: { channel: true, externalId: true },
      });
      const seen = new Set(existing.map((e) => `${e.channel}\u0000${e.externalId}`));
      const stored = batch.map((p) => {
        const key = `${p.channel}\u0000${p.externalId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const fresh = batch.filter((_, i) => stored[i]);
      if (fresh.length) await tx.inboundUpdate.createMany({ data: fresh.map(({ channel, externalId, payload, receivedAt }) => ({ channel, externalId, payload, receivedAt })) });
      return stored;
    });
  }

  /** One by one: used when a batch met a row another process wrote in between. */
  async function writeEach(batch: Pending[]): Promise<boolean[]> {
    const results: boolean[] = [];
    for (const { channel, externalId, payload, receivedAt } of batch) {
      try {
        await db.inboundUpdate.create({ data: { channel, externalId, payload, receivedAt } });
        results.push(true);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        results.push(false);
      }
    }
    return results;
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        try {
          const stored = await writeBatch(batch).catch((error: unknown) => {
            if (isUniqueViolation(error)) return writeEach(batch);
            throw error;
          });
          batch.forEach((p, i) => p.resolve(stored[i] ?? false));
          if (stored.some(Boolean)) deps.onStored?.();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    record(channel: string, externalId: string, payload: string, receivedAt: Date): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ channel, externalId, payload, receivedAt, resolve, reject });
        if (!flushing) setImmediate(() => void flush());
      });
    },
  };
}

export type InboundStore = ReturnType<typeof createInboundStore>;
