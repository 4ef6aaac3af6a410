import type { Telegram } from "telegraf";
import { TelegramError } from "telegraf";
import { DeliveryError, type DeliveryFailure } from "../../delivery/retryPolicy.ts";
import type { Transport } from "../../delivery/outboxWorker.ts";
import type { Button } from "../types.ts";
import { renderForTelegram } from "./render.ts";

/** Sends outbox rows with telegraf and says what Telegram's errors mean for the outbox. */
export function createTelegramTransport(telegram: Telegram): Transport {
  return {
    async send(row) {
      const buttons = row.buttons ? (JSON.parse(row.buttons) as Button[][]) : undefined;
      const { text, extra } = renderForTelegram({ text: row.text, buttons, replyToMessageId: row.replyToMessageId ?? undefined });
      try {
        const sent = await telegram.sendMessage(row.chatId, text, extra);
        return { externalMessageId: String(sent.message_id) };
      } catch (error) {
        throw new DeliveryError(classifyTelegramError(error));
      }
    },
  };
}

export function classifyTelegramError(error: unknown): DeliveryFailure {
  if (error instanceof TelegramError) {
    const description = `${error.code}: ${error.description}`;
    if (error.code === 429) return { kind: "rateLimited", retryAfterMs: Math.max(1, error.parameters?.retry_after ?? 1) * 1000 };
    if (error.code === 403) return { kind: "blocked", description };
    if (error.code >= 500 || error.code === 409) return { kind: "transient", description };
    return { kind: "permanent", description };
  }
  // Network errors, timeouts, resets: the message may or may not have left; try again.
  return { kind: "transient", description: error instanceof Error ? error.message : String(error) };
}
