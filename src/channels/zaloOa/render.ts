import { cutText } from "../cutText.ts";
import type { Button, OutboundMessage } from "../types.ts";

/** Zalo OA's limits as chibo applies them: 2000 characters of text, 5 buttons on a message. */
export const ZALO_OA_TEXT_LIMIT = 2000;
export const ZALO_OA_MAX_BUTTONS = 5;
/** Assumed: Zalo shows short titles only; longer labels are cut rather than refused. */
const BUTTON_TITLE_LIMIT = 100;

/**
 * A pressed button comes back as a message the person "sent" (hidden from the chat by
 * `oa.query.hide`) whose text is the button's query. The prefix tells such a press from anything a
 * person could type by chance ("vang:om" is a reason, not a button), so the decoder reads only
 * queries that start with it as button presses.
 */
export const BUTTON_QUERY_PREFIX = "#chibo:";

export interface ZaloOaButton {
  title: string;
  type: "oa.query.hide";
  payload: string;
}

/** An image in a media message: uploaded to Zalo before (its attachment id), or at an address Zalo fetches. */
export type ZaloOaImage = { attachment_id: string } | { url: string };

/** The body of a consultation message (`POST /v3.0/oa/message/cs`). */
export interface ZaloOaMessageBody {
  recipient: { user_id: string };
  message: {
    text: string;
    attachment?:
      | { type: "template"; payload: { buttons: ZaloOaButton[] } }
      | { type: "template"; payload: { template_type: "media"; elements: ({ media_type: "image" } & ZaloOaImage)[] } };
  };
}

/**
 * Plain text with up to five buttons. With more choices than that (a roll call's member list)
 * every choice is numbered: the first five are buttons, the rest numbered lines under the text,
 * and a reply with the number picks it (see choices.ts). One outbox row stays one API call, so a
 * retry never repeats half a message. Text past the limit is cut with an ellipsis, keeping the
 * numbered choices and `notes` (such as where to find a file) whole. With an `image` the message
 * is a media message showing it, the text its caption.
 */
export function renderForZaloOa(userId: string, message: OutboundMessage, notes: string[] = [], image?: ZaloOaImage): ZaloOaMessageBody {
  const choices = message.buttons?.flat() ?? [];
  const numbered = choices.length > ZALO_OA_MAX_BUTTONS;
  const overflow = numbered ? choices.slice(ZALO_OA_MAX_BUTTONS).map((button, i) => `${ZALO_OA_MAX_BUTTONS + i + 1}. ${button.label}`) : [];
  const tail = [...(overflow.length ? [overflow.join("\n")] : []), ...notes].join("\n\n");
  const text = tail ? `${cutText(message.text, ZALO_OA_TEXT_LIMIT - tail.length - 2)}\n\n${tail}` : cutText(message.text, ZALO_OA_TEXT_LIMIT);
  const buttons = choices.slice(0, ZALO_OA_MAX_BUTTONS).map((button, i) => toButton(button, numbered ? i + 1 : undefined));
  // A photo's message is a media message, its text the caption; the core puts no buttons on one.
  const attachment = image
    ? { attachment: { type: "template" as const, payload: { template_type: "media" as const, elements: [{ media_type: "image" as const, ...image }] } } }
    : buttons.length ? { attachment: { type: "template" as const, payload: { buttons } } } : {};
  return { recipient: { user_id: userId }, message: { text: cutText(text, ZALO_OA_TEXT_LIMIT), ...attachment } };
}

/** True when a rendered message numbered its choices, so that a reply with a number picks one. */
export function numbersChoices(buttons: Button[][]): boolean {
  return buttons.flat().length > ZALO_OA_MAX_BUTTONS;
}

function toButton(button: Button, number: number | undefined): ZaloOaButton {
  const title = number === undefined ? button.label : `${number}. ${button.label}`;
  return { title: cutText(title, BUTTON_TITLE_LIMIT), type: "oa.query.hide", payload: `${BUTTON_QUERY_PREFIX}${button.payload}` };
}

