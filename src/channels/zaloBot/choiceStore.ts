import type { Db } from "../../storage/database.ts";
import type { Choice } from "./choices.ts";

const keyOf = (chatId: string) => `zalo_bot:choices:${chatId}`;

/**
 * The numbered choices last shown in each chat, kept in the database so that an answer typed
 * after a restart, or handled by another instance, still finds them. The latest message decides:
 * one with choices replaces the list, one without clears it, so a number typed as an answer to
 * a later question (a reason, a date) is never read as a stale choice.
 */
export function createChoiceStore(db: Db) {
  return {
    async remember(chatId: string, choices: Choice[]): Promise<void> {
      const key = keyOf(chatId);
      if (choices.length === 0) {
        await db.channelState.deleteMany({ where: { key } });
        return;
      }
      const value = JSON.stringify(choices);
      await db.channelState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async shownIn(chatId: string): Promise<Choice[]> {
      const row = await db.channelState.findUnique({ where: { key: keyOf(chatId) } });
      if (!row) return [];
      try {
        const value = JSON.parse(row.value) as unknown;
        return Array.isArray(value) ? value.filter(isChoice) : [];
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
