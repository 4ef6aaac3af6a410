/**
 * The fields chibo reads from a Zalo OA webhook event. Zalo sends more (and more event names than
 * chibo handles); everything else stays in the stored payload untouched.
 */
export interface ZaloOaEvent {
  app_id?: string | number;
  event_name?: string;
  /** Milliseconds since the epoch, as a string or a number. */
  timestamp?: string | number;
  sender?: { id?: string | number };
  recipient?: { id?: string | number };
  follower?: { id?: string | number };
  message?: {
    msg_id?: string | number;
    text?: string;
    attachments?: { type?: string; payload?: { url?: string; thumbnail?: string; id?: string } }[];
  };
}

const idOf = (value: string | number | undefined): string | undefined => (value === undefined || value === "" ? undefined : String(value));

/** The person the event is about: the sender of a message, the follower of a (un)follow. */
export function personIdOf(event: ZaloOaEvent): string | undefined {
  return idOf(event.sender?.id) ?? idOf(event.follower?.id);
}

/**
 * The key that makes a redelivered event the same row: Zalo's message id when the event has
 * one, else the event name, person and timestamp (a follow, say, has no message).
 */
export function externalIdOf(event: ZaloOaEvent): string {
  return idOf(event.message?.msg_id) ?? `${event.event_name ?? "unknown"}:${personIdOf(event) ?? "-"}:${idOf(event.timestamp) ?? "-"}`;
}
