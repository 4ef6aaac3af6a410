import type { Attachment, Button } from "../types.ts";
import { WebUpdateSchema } from "./decode.ts";

/** One line of the conversation as the page shows it. */
export type ChatItem =
  | { from: "bot"; id: number; at: string; text: string; buttons?: Button[][]; attachment?: Attachment; replyTo?: string }
  | { from: "me"; at: string; text: string; photo?: true };

interface SentRow {
  id: number;
  text: string;
  buttons: string | null;
  attachment: string | null;
  createdAt: Date;
  /** Set when the message answers one the page sent (a text chibo did not take): that update's id. */
  replyToMessageId?: string | null;
}

/** An outbox row chibo sent, for the page (buttons and file are stored as JSON on the row). */
export function botItem(row: SentRow): ChatItem {
  return {
    from: "bot",
    id: row.id,
    at: row.createdAt.toISOString(),
    text: row.text,
    ...(row.buttons ? { buttons: JSON.parse(row.buttons) as Button[][] } : {}),
    ...(row.attachment ? { attachment: JSON.parse(row.attachment) as Attachment } : {}),
    // The page's own id for its message (the update id is `<chat id>:<page's id>`).
    ...(row.replyToMessageId ? { replyTo: row.replyToMessageId.slice(row.replyToMessageId.lastIndexOf(":") + 1) } : {}),
  };
}

/** A stored web update, as the person's own line: the text typed, or the button's label. */
export function ownItem(row: { payload: string; receivedAt: Date }): ChatItem | undefined {
  let json: unknown;
  try {
    json = JSON.parse(row.payload);
  } catch {
    return undefined;
  }
  const update = WebUpdateSchema.safeParse(json);
  if (!update.success) return undefined;
  const text = update.data.button?.label ?? update.data.text;
  if (update.data.photo) return { from: "me", at: row.receivedAt.toISOString(), text: text ?? "", photo: true };
  return text === undefined ? undefined : { from: "me", at: row.receivedAt.toISOString(), text };
}

/** Both sides in time order; a question comes before the answer given in the same millisecond. */
export function mergeHistory(sent: SentRow[], updates: { payload: string; receivedAt: Date }[]): ChatItem[] {
  const items = [...updates.map(ownItem).filter((i): i is ChatItem => i !== undefined), ...sent.map(botItem)];
  return items.sort((a, b) => a.at.localeCompare(b.at) || (a.from === b.from ? 0 : a.from === "me" ? -1 : 1));
}

/** The cursor to poll from after these items: the last message of chibo's among them. */
export function lastBotId(items: ChatItem[], fallback = 0): number {
  return items.reduce((max, item) => (item.from === "bot" ? Math.max(max, item.id) : max), fallback);
}
