import type { Telegram } from "telegraf";
import { TelegramError } from "telegraf";
import { DeliveryError, type DeliveryFailure } from "../../delivery/retryPolicy.ts";
import type { Transport } from "../../delivery/outboxWorker.ts";
import type { Attachment, Button, PhotoShelf } from "../types.ts";
import { renderDocumentForTelegram, renderForTelegram, renderPhotoForTelegram } from "./render.ts";

/**
 * Sends outbox rows with telegraf and says what Telegram's errors mean for the outbox. A row with
 * an attachment goes as one sendDocument (the file uploaded, the text as its caption); a kept
 * photo as one sendPhoto, uploaded from the shelf.
 */
export function createTelegramTransport(telegram: Telegram, photos?: PhotoShelf): Transport {
  return {
    async send(row) {
      const buttons = row.buttons ? (JSON.parse(row.buttons) as Button[][]) : undefined;
      const message = { text: row.text, buttons, replyToMessageId: row.replyToMessageId ?? undefined };
      const attachment = row.attachment ? parseAttachment(row.attachment) : undefined;
      const photo = attachment?.photoRef ? await photos?.read(attachment.photoRef) : undefined;
      if (attachment?.photoRef && !photo) throw new DeliveryError({ kind: "permanent", description: "the photo is no longer kept" });
      try {
        if (attachment && photo) {
          const { photo: upload, extra } = renderPhotoForTelegram({ ...message, attachment }, photo.bytes);
          const sent = await telegram.sendPhoto(row.chatId, upload, extra as Parameters<Telegram["sendPhoto"]>[2]);
          return { externalMessageId: String(sent.message_id) };
        }
        if (attachment) {
          const { document, extra } = renderDocumentForTelegram({ ...message, attachment });
          // reply_parameters travels as JSON text in multipart (see render.ts); telegraf's types want the object.
          const sent = await telegram.sendDocument(row.chatId, document, extra as Parameters<Telegram["sendDocument"]>[2]);
          return { externalMessageId: String(sent.message_id) };
        }
        const { text, extra } = renderForTelegram(message);
        const sent = await telegram.sendMessage(row.chatId, text, extra);
        return { externalMessageId: String(sent.message_id) };
      } catch (error) {
        throw new DeliveryError(classifyTelegramError(error));
      }
    },
  };
}

/** The row's file; a row whose file cannot be read will never send, so it fails at once. */
function parseAttachment(json: string): Attachment {
  let value: Partial<Attachment> | null = null;
  try {
    value = JSON.parse(json) as Partial<Attachment> | null;
  } catch {
    // reported below, with the other shapes we cannot send
  }
  const photoRef = typeof value?.photoRef === "string" && value.photoRef !== "" ? value.photoRef : undefined;
  if (!value || typeof value.fileName !== "string" || typeof value.base64 !== "string" || (value.base64 === "" && !photoRef)) {
    throw new DeliveryError({ kind: "permanent", description: "attachment is not { fileName, mimeType, base64 } with content" });
  }
  const mimeType = typeof value.mimeType === "string" ? value.mimeType : "application/octet-stream";
  return { fileName: value.fileName, mimeType, base64: value.base64, ...(photoRef ? { photoRef } : {}) };
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
