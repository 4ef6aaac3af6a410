import type { ChatRef, InboundEvent, InboundMessage } from "../types.ts";
import type { Choice } from "./choices.ts";
import { matchChoice } from "./choices.ts";
import { unwrapEvent, zaloBotEventId, type ZaloBotEvent } from "./event.ts";

const CHANNEL = "zalo_bot" as const;

const CONTENT_KINDS: Record<string, InboundMessage["contentKind"]> = {
  "message.text.received": "text",
  "message.image.received": "photo",
  "message.sticker.received": "sticker",
  "message.unsupported.received": "other",
};

/** A text longer than this is no answer to a numbered list; the choices are not even read. */
const MAX_CHOICE_REPLY_LENGTH = 200;

/** The choices last shown in a chat (empty when none). */
export type ChoicesShownIn = (chatId: string) => Promise<Choice[]>;

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined);

/**
 * A Zalo Bot event as the core's platform-neutral event. The platform has no buttons: a text
 * that is a number or a label of the choices last shown in its chat comes to the core as the
 * press of that button, its text kept; any other text stays text.
 */
export async function decodeZaloBotEvent(body: unknown, choicesShownIn: ChoicesShownIn): Promise<InboundEvent> {
  const event = unwrapEvent(body) ?? {};
  const updateId = zaloBotEventId(event) ?? "";
  const contentKind = typeof event.event_name === "string" ? CONTENT_KINDS[event.event_name] : undefined;
  if (!contentKind) return { type: "ignored", updateId, reason: `unsupported event ${String(event.event_name)}` };
  const base = messageBase(event, updateId);
  if (!base) return { type: "ignored", updateId, reason: "no human sender or chat" };
  const m = event.message ?? {};
  if (contentKind === "text") {
    const text = typeof m.text === "string" ? m.text : "";
    const choice = text.length <= MAX_CHOICE_REPLY_LENGTH ? matchChoice(text, await choicesShownIn(base.chat.id)) : undefined;
    if (choice) return { type: "message", message: { ...base, contentKind: "button", buttonPayload: choice.payload, text } };
    return { type: "message", message: { ...base, contentKind: "text", text } };
  }
  if (contentKind === "photo") {
    const photoRef = str(m.photo_url) ?? str(m.photo) ?? str(m.url);
    const caption = str(m.caption) ?? str(m.text);
    return { type: "message", message: { ...base, contentKind, ...(photoRef ? { photoRef } : {}), ...(caption ? { text: caption } : {}) } };
  }
  return { type: "message", message: { ...base, contentKind } };
}

function messageBase(event: ZaloBotEvent, updateId: string) {
  const m = event.message;
  const fromId = str(m?.from?.id);
  const chatId = str(m?.chat?.id) ?? fromId;
  if (!m || !fromId || !chatId || m.from?.is_bot === true) return undefined;
  const chat: ChatRef = { id: chatId, kind: String(m.chat?.chat_type).toUpperCase() === "GROUP" ? "group" : "private" };
  // The documentation's samples say first_name, real traffic display_name.
  const displayName = str(m.from?.display_name) ?? str(m.from?.first_name) ?? "";
  const messageId = str(m.message_id);
  return { channel: CHANNEL, updateId, sender: { id: fromId, displayName }, chat, ...(messageId ? { messageId } : {}) };
}
