import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import type { Choice } from "./choices.ts";

const keyOf = (chatId: string) => `zalo_bot:choices:${chatId}`;

interface Stored {
  choices: Choice[];
  /** When the choices stop counting (ISO); none: until replaced. */
  until?: string;
}

/**
 * The numbered choices last shown in each chat, kept in the database so that an answer typed
 * after a restart, or handled by another instance, still finds them. The latest message decides:
 * one with choices replaces the list, one without clears it, so a number typed as an answer to
 * a later question (a reason, a date) is never read as a stale choice. Choices may be given a
 * lifetime (in groups, where they are not cleared by every message), after which a number is
 * words again.
 */
export function createChoiceStore(db: Db, clock: Clock) {
  return {
    async remember(chatId: string, choices: Choice[], options: { ttlMs?: number } = {}): Promise<void> {
      const key = keyOf(chatId);
      if (choices.length === 0) {
        await db.channelState.deleteMany({ where: { key } });
        return;
      }
      const stored: Stored = { choices, ...(options.ttlMs === undefined ? {} : { until: new Date(clock.now().getTime() + options.ttlMs).toISOString() }) };
      const value = JSON.stringify(stored);
      await db.channelState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async shownIn(chatId: string): Promise<Choice[]> {
      const row = await db.channelState.findUnique({ where: { key: keyOf(chatId) } });
      if (!row) return [];
      try {
        const value = JSON.parse(row.value) as unknown;
        // A bare list was written before choices had a lifetime.
        const stored: Partial<Stored> = Array.isArray(value) ? { choices: value as Choice[] } : ((value ?? {}) as Partial<Stored>);
        if (stored.until && clock.now().getTime() >= Date.parse(stored.until)) return [];
        return Array.isArray(stored.choices) ? stored.choices.filter(isChoice) : [];
      } catch {
        return [];
      }
    },
  };
}

function isChoice(value: unknown): value is Choice {
  return Boolean(value) && typeof (value as Choice).label === "string" && typeof (value as Choice).payload === "string";
}

export type ChoiceStore = ReturnType<typeof createChoiceStore>;
