import type { Db } from "../storage/database.ts";

/** A guided conversation a person has open: which feature owns it, where it is, what it gathered. */
export interface OpenFlow {
  key: string;
  channel: string;
  chatId: string;
  memberId: number;
  feature: string;
  step: string;
  data: Record<string, unknown>;
  language: string;
  expiresAt: Date;
}

export type FlowStart = Omit<OpenFlow, "expiresAt">;

/** The key of a person's flow on a channel: one open flow per person per channel. */
export const flowKey = (channel: string, userId: string) => `${channel}:${userId}`;

/**
 * Open flows live in the database, so a restart loses nothing, and each has an expiry so one
 * left alone is dropped (politely, by the sweeper) instead of catching a later, unrelated reply.
 */
export function createFlowStore(deps: { db: Db; timeoutMs: number }) {
  const { db, timeoutMs } = deps;
  const toFlow = (row: { key: string; channel: string; chatId: string; memberId: number; feature: string; step: string; data: string; language: string; expiresAt: Date }): OpenFlow => ({
    ...row,
    data: JSON.parse(row.data) as Record<string, unknown>,
  });

  return {
    /** The open flow, or the one that ran out of time (`expired`), which is then removed. */
    async get(key: string, now: Date): Promise<{ open: OpenFlow | null; expired: OpenFlow | null }> {
      const row = await db.chatFlow.findUnique({ where: { key } });
      if (!row) return { open: null, expired: null };
      if (row.expiresAt.getTime() > now.getTime()) return { open: toFlow(row), expired: null };
      const removed = await db.chatFlow.deleteMany({ where: { key, expiresAt: row.expiresAt } });
      return { open: null, expired: removed.count ? toFlow(row) : null };
    },

    /** Starts or moves a flow on; every step gives the person the full timeout again. */
    async save(flow: FlowStart, now: Date): Promise<OpenFlow> {
      const expiresAt = new Date(now.getTime() + timeoutMs);
      const data = JSON.stringify(flow.data);
      const fields = { channel: flow.channel, chatId: flow.chatId, memberId: flow.memberId, feature: flow.feature, step: flow.step, data, language: flow.language, expiresAt };
      await db.chatFlow.upsert({ where: { key: flow.key }, create: { key: flow.key, ...fields, startedAt: now }, update: fields });
      return { ...flow, expiresAt };
    },

    async end(key: string): Promise<void> {
      await db.chatFlow.deleteMany({ where: { key } });
    },

    /**
     * Removes the flows that ran out of time and returns them, each to exactly one caller: the
     * delete is conditional on the expiry read, so two sweepers never both claim one flow.
     */
    async takeExpired(now: Date, limit = 100): Promise<OpenFlow[]> {
      const rows = await db.chatFlow.findMany({ where: { expiresAt: { lte: now } }, orderBy: { expiresAt: "asc" }, take: limit });
      const taken: OpenFlow[] = [];
      for (const row of rows) {
        const removed = await db.chatFlow.deleteMany({ where: { key: row.key, expiresAt: row.expiresAt } });
        if (removed.count) taken.push(toFlow(row));
      }
      return taken;
    },
  };
}

export type FlowStore = ReturnType<typeof createFlowStore>;
