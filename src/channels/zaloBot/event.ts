/**
 * A Zalo Bot Platform event as it reaches chibo, by webhook or getUpdates. Field names vary
 * between the documentation and real traffic (display_name or first_name; photo_url or photo),
 * so every field is optional and read defensively.
 */
export interface ZaloBotEvent {
  event_name?: unknown;
  message?: {
    message_id?: unknown;
    date?: unknown;
    text?: unknown;
    caption?: unknown;
    photo_url?: unknown;
    photo?: unknown;
    url?: unknown;
    from?: { id?: unknown; display_name?: unknown; first_name?: unknown; is_bot?: unknown };
    chat?: { id?: unknown; chat_type?: unknown };
  };
}

/**
 * The event in a webhook body or a getUpdates result: the documentation wraps it as
 * `{ ok, result: event }`, deliveries are seen flat; both are accepted.
 */
export function unwrapEvent(body: unknown): ZaloBotEvent | undefined {
  if (!body || typeof body !== "object") return undefined;
  const result = (body as { result?: unknown }).result;
  if (!("event_name" in body) && result && typeof result === "object") return result as ZaloBotEvent;
  return body as ZaloBotEvent;
}

/**
 * The stored id of an event. The platform gives no update id, so the event name and the
 * message id together identify it: the same event delivered twice (or by webhook and by a
 * poll) gets the same id, and a later event about the same message (a reaction) does not clash.
 */
export function zaloBotEventId(event: ZaloBotEvent): string | undefined {
  const id = event.message?.message_id;
  if (typeof event.event_name !== "string" || event.event_name === "") return undefined;
  if ((typeof id !== "string" || id === "") && (typeof id !== "number" || !Number.isFinite(id))) return undefined;
  return `${event.event_name}:${String(id)}`;
}
