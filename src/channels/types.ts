/**
 * The channel boundary. A channel adapter turns a platform's update into an InboundEvent and
 * sends OutboundMessages; the core sees nothing of the platform (no telegraf or Zalo types).
 */
export type ChannelName = "telegram" | "zalo_bot" | "zalo_oa" | "web";

export interface ChatRef {
  id: string;
  kind: "private" | "group";
  title?: string;
}

export interface Sender {
  id: string;
  displayName: string;
  /** The platform's language hint (e.g. "vi", "en"), if any. */
  languageCode?: string;
}

export interface InboundMessage {
  channel: ChannelName;
  /** The platform's update id: the same update delivered twice has the same one. */
  updateId: string;
  sender: Sender;
  chat: ChatRef;
  /** "text", a pressed "button", or content chibo does not read. */
  contentKind: "text" | "button" | "photo" | "sticker" | "other";
  text?: string;
  /** The payload of a pressed button. */
  buttonPayload?: string;
  /** The platform's id of this message, for replying to it. */
  messageId?: string;
  /** Set for a button press the platform wants acknowledged. */
  callbackId?: string;
  /** The platform's reference to a sent photo (to keep with feedback). */
  photoRef?: string;
  /** The message answers one of the bot's own messages (matters in groups). */
  repliesToBot?: boolean;
}

/** The bot was blocked/unblocked by a person, or added to/removed from a group. */
export interface MembershipChange {
  channel: ChannelName;
  updateId: string;
  userId: string;
  chat: ChatRef;
  status: "blocked" | "unblocked" | "added" | "removed";
  /** The person just opened a chat with chibo (a Zalo OA follow): someone chibo does not know yet is told how to start. */
  introduce?: boolean;
}

export type InboundEvent =
  | { type: "message"; message: InboundMessage }
  | { type: "membership"; change: MembershipChange }
  | { type: "ignored"; updateId: string; reason: string };

export interface Button {
  label: string;
  /** At most 64 bytes (Telegram's callback_data limit). */
  payload: string;
}

/**
 * A file sent with a message (an .xlsx digest, say); small enough to keep in the outbox row. A
 * photo chibo keeps (one sent with feedback) travels by its reference instead, `photoRef`, with
 * `base64` empty: each channel reads, uploads or links it when the message is sent, so the row
 * never holds the photo and any channel can send it.
 */
export interface Attachment {
  fileName: string;
  mimeType: string;
  base64: string;
  /** A kept photo's local reference ("photo:<sha256>.jpg"): the message shows it as a photo. */
  photoRef?: string;
}

/** Where a channel finds a kept photo when it sends one (see Attachment.photoRef). */
export interface PhotoShelf {
  read(ref: string): Promise<{ bytes: Buffer; mimeType: string } | null>;
  /** An address the platform can fetch the photo from, for a while; undefined when chibo has no public URL. */
  link(ref: string): string | undefined;
}

/**
 * What the core sends: text plus optional rows of buttons, and optionally a file (the text is
 * then its caption); each channel renders it its own way.
 */
export interface OutboundMessage {
  text: string;
  buttons?: Button[][];
  attachment?: Attachment;
  replyToMessageId?: string;
  /**
   * The text quotes a member's feedback (their own words shown back, a reviewer's copy): its
   * stored copy is forgotten as soon as it is sent or given up, not kept for the retention period.
   */
  forgetText?: boolean;
  /**
   * Goes even during the quiet hours of the night, when anything else waits for the morning (see
   * delivery/quietHold.ts): members must know at once (their meeting moved to another day), or it
   * answers a person writing now (the core marks every answer so).
   */
  urgent?: boolean;
}
