import { z } from "zod";
import type { InboundEvent } from "../types.ts";

/** What the page sent, as stored in the inbound table: the web chat's own "update". */
export const WebUpdateSchema = z.object({
  /** `<chat id>:<id the page chose>`: unique, and the same when the page retries a send. */
  id: z.string().min(1),
  chatId: z.string().min(1),
  displayName: z.string(),
  languageCode: z.enum(["vi", "en"]).optional(),
  text: z.string().optional(),
  button: z.object({ payload: z.string(), label: z.string() }).optional(),
  /** A photo the page uploaded, already kept by chibo: its local reference; `text` is then its caption. */
  photo: z.string().regex(/^photo:[0-9a-f]{64}\.(?:jpg|png|webp)$/).optional(),
});

export type WebUpdate = z.infer<typeof WebUpdateSchema>;

/** A stored web update as the core's event; the chat's id is also its person's id. */
export function decodeWebUpdate(payload: string): InboundEvent {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { type: "ignored", updateId: "unknown", reason: "not JSON" };
  }
  const parsed = WebUpdateSchema.safeParse(json);
  if (!parsed.success) return { type: "ignored", updateId: "unknown", reason: "not a web update" };
  const update = parsed.data;
  const base = {
    channel: "web" as const,
    updateId: update.id,
    sender: { id: update.chatId, displayName: update.displayName, ...(update.languageCode ? { languageCode: update.languageCode } : {}) },
    chat: { id: update.chatId, kind: "private" as const },
    messageId: update.id,
  };
  if (update.button) return { type: "message", message: { ...base, contentKind: "button", buttonPayload: update.button.payload } };
  if (update.photo) return { type: "message", message: { ...base, contentKind: "photo", photoRef: update.photo, ...(update.text ? { text: update.text } : {}) } };
  if (update.text !== undefined) return { type: "message", message: { ...base, contentKind: "text", text: update.text } };
  return { type: "ignored", updateId: update.id, reason: "neither text nor button" };
}
