import type { Update } from "telegraf/types";
import type { ChatRef, InboundEvent } from "../types.ts";

const CHANNEL = "telegram" as const;

function chatRef(chat: { id: number; type: string; title?: string }): ChatRef {
  return { id: String(chat.id), kind: chat.type === "private" ? "private" : "group", ...(chat.title ? { title: chat.title } : {}) };
}

function displayName(user: { first_name: string; last_name?: string; username?: string }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || "";
}

/** A Telegram update as the core's platform-neutral event; everything else is left at this edge. */
export function decodeTelegramUpdate(update: Update): InboundEvent {
  const updateId = String(update.update_id);
  if ("message" in update && update.message) {
    const m = update.message;
    if (!m.from || m.from.is_bot) return { type: "ignored", updateId, reason: "no human sender" };
    const sender = { id: String(m.from.id), displayName: displayName(m.from), ...(m.from.language_code ? { languageCode: m.from.language_code } : {}) };
    const repliesToBot = Boolean("reply_to_message" in m && m.reply_to_message?.from?.is_bot);
    const base = { channel: CHANNEL, updateId, sender, chat: chatRef(m.chat), messageId: String(m.message_id), ...(repliesToBot ? { repliesToBot } : {}) };
    // The whole text, and no command entities: Telegram marks only "/l" of "/lịch"; the core reads commands from the text.
    if ("text" in m) return { type: "message", message: { ...base, contentKind: "text", text: m.text } };
    if ("photo" in m) {
      // The largest size comes last; its file id lets a committee fetch the photo later.
      const photoRef = m.photo.at(-1)?.file_id;
      return { type: "message", message: { ...base, contentKind: "photo", ...(photoRef ? { photoRef } : {}), ...("caption" in m && m.caption ? { text: m.caption } : {}) } };
    }
    if ("sticker" in m) return { type: "message", message: { ...base, contentKind: "sticker" } };
    return { type: "message", message: { ...base, contentKind: "other" } };
  }
  if ("callback_query" in update && update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat ? chatRef(q.message.chat) : { id: String(q.from.id), kind: "private" as const };
    return {
      type: "message",
      message: {
        channel: CHANNEL,
        updateId,
        sender: { id: String(q.from.id), displayName: displayName(q.from), ...(q.from.language_code ? { languageCode: q.from.language_code } : {}) },
        chat,
        contentKind: "button",
        buttonPayload: "data" in q ? q.data : undefined,
        callbackId: q.id,
        ...(q.message ? { messageId: String(q.message.message_id) } : {}),
      },
    };
  }
  if ("my_chat_member" in update && update.my_chat_member) {
    const change = update.my_chat_member;
    const chat = chatRef(change.chat);
    const gone = change.new_chat_member.status === "kicked" || change.new_chat_member.status === "left";
    const status = chat.kind === "private" ? (gone ? "blocked" : "unblocked") : gone ? "removed" : "added";
    return { type: "membership", change: { channel: CHANNEL, updateId, userId: String(change.from.id), chat, status } };
  }
  return { type: "ignored", updateId, reason: "unsupported update type" };
}
