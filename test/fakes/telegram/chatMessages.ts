import { badRequest, ok, type ApiReply } from "./apiReplies.ts";
import type { Params, UploadedFile } from "./requestParams.ts";
import { chatFromId, type TelegramChat } from "./telegramShapes.ts";

export interface BotUser {
  id: number;
  username: string;
  first_name: string;
}

interface StoredMessage {
  chatId: string;
  text: string | undefined;
  markupJson: string | undefined;
}

const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
const PARSE_MODES = new Set(["HTML", "Markdown", "MarkdownV2"]);
// Edits need the message; the oldest are forgotten past this, so a long benchmark stays bounded.
const MAX_STORED_MESSAGES = 100_000;

/**
 * The messages the bot sends and edits, with the checks Telegram makes before accepting one.
 * Message ids count up per fake and are never reused, as in a real chat.
 */
export class ChatMessages {
  private readonly messages = new Map<number, StoredMessage>();
  private nextMessageId = 1;

  constructor(private readonly bot: BotUser) {}

  sendMessage(params: Params, at: number): ApiReply {
    const chat = chatOf(params);
    if (typeof chat === "string") return badRequest(chat);
    const text = typeof params.text === "string" ? params.text : "";
    const refusal = checkText(text) ?? checkParseMode(params) ?? checkMarkup(params.reply_markup);
    if (refusal) return badRequest(refusal);
    const inlineMarkup = inlineKeyboardOf(params.reply_markup);
    const messageId = this.store({ chatId: String(chat.id), text, markupJson: jsonOf(inlineMarkup) });
    return ok({ message_id: messageId, from: this.botAsUser(), chat, date: seconds(at), text, ...(inlineMarkup ? { reply_markup: inlineMarkup } : {}) });
  }

  /** Without reply_markup the inline keyboard is removed, as Telegram does on a text edit. */
  editMessageText(params: Params, at: number): ApiReply {
    if (params.inline_message_id !== undefined) return ok(true);
    const found = this.find(params);
    if (typeof found === "string") return badRequest(found);
    if (found.stored.text === undefined) return badRequest("there is no text in the message to edit");
    const text = typeof params.text === "string" ? params.text : "";
    const refusal = checkText(text) ?? checkParseMode(params) ?? checkMarkup(params.reply_markup);
    if (refusal) return badRequest(refusal);
    const inlineMarkup = inlineKeyboardOf(params.reply_markup);
    return this.edit(found.messageId, { ...found.stored, text, markupJson: jsonOf(inlineMarkup) }, at);
  }

  editMessageReplyMarkup(params: Params, at: number): ApiReply {
    if (params.inline_message_id !== undefined) return ok(true);
    const found = this.find(params);
    if (typeof found === "string") return badRequest(found);
    const refusal = checkMarkup(params.reply_markup);
    if (refusal) return badRequest(refusal);
    return this.edit(found.messageId, { ...found.stored, markupJson: jsonOf(inlineKeyboardOf(params.reply_markup)) }, at);
  }

  /**
   * Accepts an upload (multipart) or a file_id / URL string, with Telegram's checks on the file
   * and the caption; keeps only the name and size here (the bytes go to SentDocuments).
   */
  sendDocument(params: Params, at: number): ApiReply {
    const chat = chatOf(params);
    if (typeof chat === "string") return badRequest(chat);
    const document = params.document;
    if (document === undefined || document === "") return badRequest("there is no document in the request");
    const upload = typeof document === "object" && document !== null ? (document as UploadedFile) : undefined;
    if (upload && upload.size === 0) return badRequest("file must be non-empty");
    const caption = typeof params.caption === "string" ? params.caption : undefined;
    if (caption !== undefined && caption.length > MAX_CAPTION_LENGTH) return badRequest("message caption is too long");
    const refusal = checkParseMode(params) ?? checkMarkup(params.reply_markup);
    if (refusal) return badRequest(refusal);
    const messageId = this.store({ chatId: String(chat.id), text: undefined, markupJson: undefined });
    const file = upload
      ? { file_id: `document-${messageId}`, file_unique_id: `u-document-${messageId}`, file_name: upload.filename, file_size: upload.size }
      : { file_id: String(document), file_unique_id: `u-${String(document).slice(0, 16)}` };
    return ok({ message_id: messageId, from: this.botAsUser(), chat, date: seconds(at), document: file, ...(caption === undefined ? {} : { caption }) });
  }

  /** sendPhoto: an upload (multipart) or a file_id / URL string, with the caption's checks; a photo message's sizes. */
  sendPhoto(params: Params, at: number): ApiReply {
    const chat = chatOf(params);
    if (typeof chat === "string") return badRequest(chat);
    const photo = params.photo;
    if (photo === undefined || photo === "") return badRequest("there is no photo in the request");
    const upload = typeof photo === "object" && photo !== null ? (photo as UploadedFile) : undefined;
    if (upload && upload.size === 0) return badRequest("file must be non-empty");
    const caption = typeof params.caption === "string" ? params.caption : undefined;
    if (caption !== undefined && caption.length > MAX_CAPTION_LENGTH) return badRequest("message caption is too long");
    const refusal = checkParseMode(params) ?? checkMarkup(params.reply_markup);
    if (refusal) return badRequest(refusal);
    const messageId = this.store({ chatId: String(chat.id), text: undefined, markupJson: undefined });
    const fileId = upload ? `photo-${messageId}` : String(photo);
    const sizes = [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 1280, height: 960, ...(upload ? { file_size: upload.size } : {}) }];
    return ok({ message_id: messageId, from: this.botAsUser(), chat, date: seconds(at), photo: sizes, ...(caption === undefined ? {} : { caption }) });
  }

  sendChatAction(params: Params): ApiReply {
    const chat = chatOf(params);
    if (typeof chat === "string") return badRequest(chat);
    return params.action ? ok(true) : badRequest("wrong parameter action in request");
  }

  botAsUser() {
    return { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username };
  }

  /** Forgets stored messages; ids keep counting up. */
  reset() {
    this.messages.clear();
  }

  private store(message: StoredMessage): number {
    const messageId = this.nextMessageId++;
    this.messages.set(messageId, message);
    if (this.messages.size > MAX_STORED_MESSAGES) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.messages.delete(oldest);
    }
    return messageId;
  }

  private find(params: Params): { messageId: number; stored: StoredMessage } | string {
    if (params.message_id === undefined) return "message identifier is not specified";
    const messageId = Number(params.message_id);
    const stored = this.messages.get(messageId);
    if (!stored || stored.chatId !== String(params.chat_id)) return "message to edit not found";
    return { messageId, stored };
  }

  private edit(messageId: number, next: StoredMessage, at: number): ApiReply {
    const current = this.messages.get(messageId);
    if (current && current.text === next.text && current.markupJson === next.markupJson) {
      return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    }
    this.messages.set(messageId, next);
    const chat = chatFromId(Number(next.chatId));
    const markup = next.markupJson === undefined ? {} : { reply_markup: JSON.parse(next.markupJson) as unknown };
    const text = next.text === undefined ? {} : { text: next.text };
    return ok({ message_id: messageId, from: this.botAsUser(), chat, date: seconds(at), edit_date: seconds(at), ...text, ...markup });
  }
}

/** The Chat object for a chat_id, or the Bot API's reason for refusing it. */
function chatOf(params: Params): TelegramChat | string {
  const raw = params.chat_id;
  if (raw === undefined || raw === "") return "chat_id is empty";
  const id = Number(raw);
  return Number.isSafeInteger(id) && id !== 0 ? chatFromId(id) : "chat not found";
}

function checkText(text: string): string | undefined {
  if (text.trim() === "") return "message text is empty";
  if (text.length > MAX_TEXT_LENGTH) return "message is too long";
  return undefined;
}

function checkParseMode(params: Params): string | undefined {
  const mode = params.parse_mode;
  return mode === undefined || PARSE_MODES.has(String(mode)) ? undefined : "unsupported parse_mode";
}

function checkMarkup(markup: unknown): string | undefined {
  for (const row of inlineKeyboardOf(markup)?.inline_keyboard ?? []) {
    for (const button of Array.isArray(row) ? row : []) {
      const data = (button as { callback_data?: unknown }).callback_data;
      if (typeof data === "string" && Buffer.byteLength(data, "utf8") > MAX_CALLBACK_DATA_BYTES) return "BUTTON_DATA_INVALID";
    }
  }
  return undefined;
}

// Only inline keyboards belong to the message; reply keyboards go to the client and are not echoed.
function inlineKeyboardOf(markup: unknown): { inline_keyboard: unknown[] } | undefined {
  const parsed = typeof markup === "string" ? safeJson(markup) : markup;
  const keyboard = (parsed as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  return Array.isArray(keyboard) ? { inline_keyboard: keyboard } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const jsonOf = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
const seconds = (ms: number) => Math.floor(ms / 1000);
