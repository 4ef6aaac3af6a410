import type { InboundEvent, InboundMessage } from "../types.ts";
import type { NumberedChoice } from "./choices.ts";
import { externalIdOf, personIdOf, type ZaloOaEvent } from "./event.ts";
import { BUTTON_QUERY_PREFIX } from "./render.ts";

const CHANNEL = "zalo_oa" as const;
const NUMBER_REPLY = /^\s*(\d{1,2})\s*$/;
/** Events a person causes by writing or sending something; the rest are decoded below or ignored. */
const CONTENT_KINDS: Record<string, InboundMessage["contentKind"]> = {
  user_send_image: "photo",
  user_send_sticker: "sticker",
  user_send_gif: "other",
  user_send_file: "other",
  user_send_audio: "other",
  user_send_video: "other",
  user_send_location: "other",
  user_send_link: "other",
  user_send_business_card: "other",
};

/**
 * A Zalo OA event as the core's platform-neutral event. The OA API only has one-to-one chats, so
 * the chat is the person. Events carry no display name (that takes a profile lookup per person).
 */
export async function decodeZaloOaEvent(event: ZaloOaEvent, numberedChoice?: NumberedChoice): Promise<InboundEvent> {
  const updateId = externalIdOf(event);
  const personId = personIdOf(event);
  const name = event.event_name ?? "";
  if (!personId) return { type: "ignored", updateId, reason: "no person in the event" };
  const chat = { id: personId, kind: "private" as const };

  if (name === "follow" || name === "unfollow") {
    const change = name === "follow" ? { status: "unblocked" as const, introduce: true } : { status: "blocked" as const };
    return { type: "membership", change: { channel: CHANNEL, updateId, userId: personId, chat, ...change } };
  }
  const messageId = event.message?.msg_id === undefined ? {} : { messageId: String(event.message.msg_id) };
  const base = { channel: CHANNEL, updateId, sender: { id: personId, displayName: "" }, chat, ...messageId };

  // A tapped button arrives as user_send_text; user_click_button is reported by one source only.
  if (name === "user_send_text" || name === "user_click_button") {
    const text = event.message?.text ?? "";
    if (text.startsWith(BUTTON_QUERY_PREFIX)) {
      return { type: "message", message: { ...base, contentKind: "button", buttonPayload: text.slice(BUTTON_QUERY_PREFIX.length) } };
    }
    const number = NUMBER_REPLY.exec(text)?.[1];
    const picked = number && numberedChoice ? await numberedChoice(personId, Number(number)) : undefined;
    if (picked !== undefined) return { type: "message", message: { ...base, contentKind: "button", buttonPayload: picked } };
    return { type: "message", message: { ...base, contentKind: "text", text } };
  }
  const contentKind = CONTENT_KINDS[name];
  if (contentKind) {
    const photoRef = contentKind === "photo" ? event.message?.attachments?.[0]?.payload?.url : undefined;
    const caption = event.message?.text ? { text: event.message.text } : {};
    return { type: "message", message: { ...base, contentKind, ...(photoRef ? { photoRef } : {}), ...caption } };
  }
  // user_click_chatnow, user_submit_info, the OA's own echoes (oa_send_*) and names Zalo adds later.
  return { type: "ignored", updateId, reason: `unhandled Zalo OA event ${name || "(no name)"}` };
}
