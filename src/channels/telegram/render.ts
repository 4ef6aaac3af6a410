import type { OutboundMessage } from "../types.ts";

/** Telegram's limits: 4096 characters of text, 64 bytes of callback data. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT_BYTES = 64;

export interface TelegramSendParams {
  text: string;
  extra: {
    reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
    reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
    link_preview_options: { is_disabled: boolean };
  };
}

/**
 * Plain text (no parse mode, so nothing to escape) with buttons as an inline keyboard. Text past
 * Telegram's limit is cut with an ellipsis; the core keeps its messages shorter than that.
 */
export function renderForTelegram(message: OutboundMessage): TelegramSendParams {
  const chars = [...message.text];
  const text = chars.length > TELEGRAM_TEXT_LIMIT ? `${chars.slice(0, TELEGRAM_TEXT_LIMIT - 1).join("")}…` : message.text;
  const extra: TelegramSendParams["extra"] = { link_preview_options: { is_disabled: true } };
  if (message.buttons?.length) {
    extra.reply_markup = {
      inline_keyboard: message.buttons.map((row) =>
        row.map((button) => {
          if (Buffer.byteLength(button.payload, "utf8") > CALLBACK_DATA_LIMIT_BYTES) {
            throw new Error(`Button payload over ${CALLBACK_DATA_LIMIT_BYTES} bytes: ${button.payload}`);
          }
          return { text: button.label, callback_data: button.payload };
        }),
      ),
    };
  }
  if (message.replyToMessageId && /^\d+$/.test(message.replyToMessageId)) {
    extra.reply_parameters = { message_id: Number(message.replyToMessageId), allow_sending_without_reply: true };
  }
  return { text, extra };
}
