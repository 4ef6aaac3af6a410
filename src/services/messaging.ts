import type { TFunction } from "i18next";
import type { Button } from "../channels/types.ts";
import type { Outbox } from "../delivery/outbox.ts";
import { isLanguage, type Language, type Translator } from "../i18n.ts";

/**
 * What a use case needs to tell people about what it did (a notice to a subtree, a meeting moved):
 * the outbox its messages are queued in and the words in each reader's language.
 */
export interface Messaging {
  outbox: Outbox;
  translator: Translator;
  /** The language of group chats, which hold people of every language. */
  defaultLanguage: Language;
}

/** The words in a member's stored language; Vietnamese when it is not one chibo speaks. */
export const wordsOf = (messaging: Messaging, language: string): TFunction => messaging.translator.t(isLanguage(language) ? language : "vi");

/** The two answer buttons of a meeting; reminders, /lich, a postponement and follow-up questions all use them. */
export function attendanceButtons(t: TFunction, meetingId: number): Button[][] {
  return [[
    { label: t("attendance:buttonPresent"), payload: `att:${meetingId}:p` },
    { label: t("attendance:buttonAbsent"), payload: `att:${meetingId}:a` },
  ]];
}
