import type { Db } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";

/**
 * Stores a platform update before it is acknowledged. Returns false for an update already stored:
 * platforms redeliver when an answer is slow or lost, and each update is handled once.
 */
export function createInboundStore(deps: { db: Db; onStored?: () => void }) {
  return {
    async record(channel: string, externalId: string, payload: string, receivedAt: Date): Promise<boolean> {
      try {
        await deps.db.inboundUpdate.create({ data: { channel, externalId, payload, receivedAt } });
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
      deps.onStored?.();
      return true;
    },
  };
}

export type InboundStore = ReturnType<typeof createInboundStore>;
