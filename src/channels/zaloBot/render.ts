import { cutText } from "../cutText.ts";
import type { OutboundMessage } from "../types.ts";
import { choicesOf, numberedList } from "./choices.ts";

/** sendMessage takes 1 to 2000 characters. */
export const ZALO_BOT_TEXT_LIMIT = 2000;

export interface ZaloBotRenderTexts {
  /** The line under a numbered list, in the reader's language: "Trả lời bằng số (1, 2…)." */
  choiceHint: string;
  /** Said in place of an attachment, which this platform cannot send. */
  fileNote?: string;
}

/**
 * One plain-text message (the platform has no parse mode to escape for and no buttons): the
 * text, the note about a file left out, then the buttons as a numbered list with a hint. When
 * it is too long, the text is cut with an ellipsis and the list kept whole, since the list is
 * what the person answers.
 */
export function renderForZaloBot(message: OutboundMessage, texts: ZaloBotRenderTexts): string {
  const choices = choicesOf(message.buttons);
  const tail = [
    ...(message.attachment && texts.fileNote ? [texts.fileNote] : []),
    ...(choices.length ? [`${numberedList(choices)}\n${texts.choiceHint}`] : []),
  ].join("\n\n");
  const body = message.text.trim();
  if (tail === "") return cutText(body, ZALO_BOT_TEXT_LIMIT);
  if (body === "") return cutText(tail, ZALO_BOT_TEXT_LIMIT);
  const room = ZALO_BOT_TEXT_LIMIT - tail.length - 2;
  if (room < 1) return cutText(`${body}\n\n${tail}`, ZALO_BOT_TEXT_LIMIT);
  return `${cutText(body, room)}\n\n${tail}`;
}

