/** Zalo Bot Platform events as the platform sends them (flat, as seen in real deliveries). */
export interface ZaloBotTestEvent {
  event_name: string;
  message: {
    message_id: string;
    date: number;
    from: { id: string; display_name: string; is_bot: boolean };
    chat: { id: string; chat_type: "PRIVATE" | "GROUP" };
    text?: string;
    photo_url?: string;
    caption?: string;
    sticker?: string;
  };
}

let nextMessageId = 1;
const DATE_MS = Date.UTC(2026, 11, 3, 3, 0, 0);

interface From {
  fromId: string | number;
  displayName?: string;
  messageId?: string;
}

function event(name: string, from: From, chat: { id: string; chat_type: "PRIVATE" | "GROUP" }, content: Partial<ZaloBotTestEvent["message"]> = {}): ZaloBotTestEvent {
  const messageId = from.messageId ?? `zmsg${String(nextMessageId++).padStart(6, "0")}`;
  return {
    event_name: name,
    message: { message_id: messageId, date: DATE_MS, from: { id: String(from.fromId), display_name: from.displayName ?? "Nguyễn Văn An", is_bot: false }, chat, ...content },
  };
}

const privateChat = (fromId: string | number) => ({ id: String(fromId), chat_type: "PRIVATE" as const });
const groupChat = (groupId: string | number) => ({ id: String(groupId), chat_type: "GROUP" as const });

export const privateText = (o: From & { text: string }) => event("message.text.received", o, privateChat(o.fromId), { text: o.text });
export const groupText = (o: From & { groupId: string | number; text: string }) => event("message.text.received", o, groupChat(o.groupId), { text: o.text });
export const image = (o: From & { url?: string; caption?: string; groupId?: string | number }) =>
  event("message.image.received", o, o.groupId === undefined ? privateChat(o.fromId) : groupChat(o.groupId), { ...(o.url ? { photo_url: o.url } : {}), ...(o.caption ? { caption: o.caption } : {}) });
export const sticker = (o: From) => event("message.sticker.received", o, privateChat(o.fromId), { sticker: "sticker-id-1" });
export const unsupported = (o: From) => event("message.unsupported.received", o, privateChat(o.fromId));
/** Any event name, for events chibo does not read. */
export const otherEvent = (o: From & { eventName: string }) => event(o.eventName, o, privateChat(o.fromId));
/** The shape the documentation shows for webhook bodies and getUpdates results. */
export const wrapped = (e: object) => ({ ok: true, result: e });
