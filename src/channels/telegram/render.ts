import { cutText } from "../cutText.ts";
import type { Attachment, Button, OutboundMessage } from "../types.ts";

/** Telegram's limits: 4096 characters of text, 1024 of a caption, 64 bytes of callback data. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
export const CALLBACK_DATA_LIMIT_BYTES = 64;

type InlineKeyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
type ReplyParameters = { message_id: number; allow_sending_without_reply: boolean };

export interface TelegramSendParams {
  text: string;
  extra: {
    reply_markup?: InlineKeyboard;
    reply_parameters?: ReplyParameters;
    link_preview_options: { is_disabled: boolean };
  };
}

export interface TelegramDocumentParams {
  /** What telegraf uploads as multipart: the bytes under a file name. */
  document: { source: Buffer; filename: string };
  extra: {
    caption?: string;
    reply_markup?: InlineKeyboard;
    /**
     * As JSON text: in a multipart body telegraf 4.16.3 serializes only reply_markup, and silently
     * drops any other object-valued field, reply_parameters included.
     */
    reply_parameters?: string;
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
  const keyboard = inlineKeyboard(message.buttons);
  if (keyboard) extra.reply_markup = keyboard;
  const reply = replyParameters(message.replyToMessageId);
  if (reply) extra.reply_parameters = reply;
  return { text, extra };
}

/**
 * A message with a file: the file uploaded under its name, the text as its caption with the
 * buttons. One outbox row stays one Bot API call (one send to count against the limits, one
 * outcome to retry), so a text longer than a caption is cut with an ellipsis rather than sent
 * as a second message; a producer with more to say queues the text as its own row first.
 */
export function renderDocumentForTelegram(message: OutboundMessage & { attachment: Attachment }): TelegramDocumentParams {
  const extra: TelegramDocumentParams["extra"] = {};
  const caption = cutText(message.text.trim(), TELEGRAM_CAPTION_LIMIT);
  if (caption !== "") extra.caption = caption;
  const keyboard = inlineKeyboard(message.buttons);
  if (keyboard) extra.reply_markup = keyboard;
  const reply = replyParameters(message.replyToMessageId);
  if (reply) extra.reply_parameters = JSON.stringify(reply);
  return { document: { source: Buffer.from(message.attachment.base64, "base64"), filename: safeFileName(message.attachment.fileName) }, extra };
}

export interface TelegramPhotoParams {
  photo: { source: Buffer; filename: string };
  extra: TelegramDocumentParams["extra"];
}

/**
 * A kept photo, uploaded with sendPhoto so it shows in the chat (a file id would only work for the
 * bot that received it); the text is its caption, with the buttons, as for a document.
 */
export function renderPhotoForTelegram(message: OutboundMessage & { attachment: Attachment }, bytes: Buffer): TelegramPhotoParams {
  const { document, extra } = renderDocumentForTelegram({ ...message, attachment: { ...message.attachment, base64: "" } });
  return { photo: { source: bytes, filename: document.filename }, extra };
}

/**
 * telegraf writes the name into the part's header as `filename="…"` unescaped: a quote or a line
 * break would end the header early (and cut the name), so those become "_". UTF-8 letters stay.
 */
export function safeFileName(name: string): string {
  const cleaned = name.normalize("NFC").replace(/["\\\u0000-\u001f\u007f]/g, "_").trim();
  return cleaned === "" ? "file" : cleaned;
}

function inlineKeyboard(buttons: Button[][] | undefined): InlineKeyboard | undefined {
  if (!buttons?.length) return undefined;
  return {
    inline_keyboard: buttons.map((row) =>
      row.map((button) => {
        if (Buffer.byteLength(button.payload, "utf8") > CALLBACK_DATA_LIMIT_BYTES) {
          throw new Error(`Button payload over ${CALLBACK_DATA_LIMIT_BYTES} bytes: ${button.payload}`);
        }
        return { text: button.label, callback_data: button.payload };
      }),
    ),
  };
}

function replyParameters(replyToMessageId: string | undefined): ReplyParameters | undefined {
  return replyToMessageId && /^\d+$/.test(replyToMessageId) ? { message_id: Number(replyToMessageId), allow_sending_without_reply: true } : undefined;
}
