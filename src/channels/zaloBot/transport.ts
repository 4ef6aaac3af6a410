import type { Logger } from "pino";
import type { Transport } from "../../delivery/outboxWorker.ts";
import { DeliveryError, type DeliveryFailure } from "../../delivery/retryPolicy.ts";
import { isLanguage, type Language, type Translator } from "../../i18n.ts";
import type { Db } from "../../storage/database.ts";
import type { Attachment, Button, PhotoShelf } from "../types.ts";
import { ZaloBotApiError, type ZaloBotApi } from "./api.ts";
import { choicesOf } from "./choices.ts";
import type { ChoiceStore } from "./choiceStore.ts";
import { renderForZaloBot } from "./render.ts";

/** How long numbered choices shown in a group can be answered. */
export const GROUP_CHOICES_TTL_MS = 24 * 3_600_000;

/** Wait this long after a 429 that does not say how long. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Sends outbox rows as one sendMessage each and remembers the numbered choices they showed; a
 * message without choices clears them in a private chat, except a file sent after its message.
 *
 * The platform sends text, photos by URL and stickers, but no documents. A row with a file (an
 * .xlsx digest) therefore goes as its text with a line saying the file was left out and where to
 * get it; failing the row instead would lose the text too, and the digest's items stay reachable
 * by their buttons, numbered here. A kept photo goes with sendPhoto at a signed link of chibo's
 * own address (PUBLIC_URL); without one, as its text with a line saying where the photo can be seen.
 */
export function createZaloBotTransport(deps: {
  api: ZaloBotApi; db: Db; choices: ChoiceStore; translator: Translator; logger: Logger; photos?: PhotoShelf;
}): Transport {
  const defaultLanguage: Language = isLanguage(deps.translator.instance.language) ? deps.translator.instance.language : "vi";

  /** The hint is worded for the member the row is for; group rows and unknown members get the default. */
  async function languageOf(memberId: number | null): Promise<Language> {
    if (memberId === null) return defaultLanguage;
    const member = await deps.db.member.findUnique({ where: { id: memberId }, select: { language: true } });
    return isLanguage(member?.language) ? member.language : defaultLanguage;
  }

  return {
    async send(row) {
      const buttons = row.buttons ? (JSON.parse(row.buttons) as Button[][]) : undefined;
      const attachment = row.attachment ? attachmentName(row.attachment) : undefined;
      const photoLink = attachment?.photoRef ? deps.photos?.link(attachment.photoRef) : undefined;
      const t = deps.translator.t(await languageOf(row.memberId));
      const fileNote = attachment?.photoRef ? t("zaloBot:photoNotSent") : attachment ? t("zaloBot:fileNotSent", { fileName: attachment.fileName }) : undefined;
      const text = renderForZaloBot(
        { text: row.text, buttons, ...(attachment && !photoLink ? { attachment } : {}) },
        { choiceHint: t("zaloBot:choiceHint"), ...(fileNote ? { fileNote } : {}) },
      );
      let sent: { message_id?: unknown };
      try {
        sent = photoLink
          ? await deps.api.call<{ message_id?: unknown }>("sendPhoto", { chat_id: row.chatId, photo: photoLink, ...(text ? { caption: text } : {}) })
          : await deps.api.call<{ message_id?: unknown }>("sendMessage", { chat_id: row.chatId, text });
      } catch (error) {
        throw new DeliveryError(classifyZaloBotError(error));
      }
      // A file without choices goes with the message before it (a digest's workbook follows the
      // digest) and asks nothing, so the digest's numbers stay answerable. In a group many people
      // answer the same reminder, and chibo's note of each answer must not end the others'
      // choice: there only new choices replace the old, and they lapse after a day, so a "1" in
      // the group's talk next week is talk. The message is out: failing now would send it again,
      // so a lost list is only logged.
      const choices = choicesOf(buttons);
      if (choices.length > 0 || (!attachment && !row.isGroup)) {
        const options = row.isGroup ? { ttlMs: GROUP_CHOICES_TTL_MS } : {};
        await deps.choices.remember(row.chatId, choices, options).catch((error: unknown) => deps.logger.warn({ err: error, outboxId: row.id }, "could not remember the numbered choices of a Zalo message"));
      }
      return { externalMessageId: String(sent?.message_id ?? "") };
    },
  };
}

/** Only the name and a kept photo's reference are used (no bytes are sent); an unreadable value still gets a note. */
function attachmentName(json: string): Attachment {
  let fileName = "";
  let photoRef: string | undefined;
  try {
    const value = JSON.parse(json) as { fileName?: unknown; photoRef?: unknown } | null;
    if (typeof value?.fileName === "string") fileName = value.fileName;
    if (typeof value?.photoRef === "string" && value.photoRef !== "") photoRef = value.photoRef;
  } catch {
    // the note below names no file then
  }
  return { fileName: fileName || "file", mimeType: "application/octet-stream", base64: "", ...(photoRef ? { photoRef } : {}) };
}

export function classifyZaloBotError(error: unknown): DeliveryFailure {
  if (error instanceof ZaloBotApiError) {
    const description = `${error.code}: ${error.description}`;
    if (error.code === 429) return { kind: "rateLimited", retryAfterMs: Math.max(1, error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) * 1000 };
    if (error.code === 403) return { kind: "blocked", description };
    if (error.code >= 500 || error.code === 408) return { kind: "transient", description };
    return { kind: "permanent", description };
  }
  // Network errors, timeouts, resets: the message may or may not have left; try again.
  return { kind: "transient", description: error instanceof Error ? error.message : String(error) };
}
