import type { TFunction } from "i18next";
import type { OutboundMessage } from "../../channels/types.ts";
import type { Outbox } from "../../delivery/outbox.ts";
import { formatDisplayDateTime } from "../../domain/localTime.ts";
import type { Member } from "../../generated/prisma/client.ts";
import { isLanguage, type Translator } from "../../i18n.ts";
import { CONSENT_VERSION, hasAcceptedCurrent, privacyText, type ConsentService } from "../../services/consent.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { payloadParts } from "../payload.ts";
import { textBudget } from "../textBudget.ts";

/** yes: accept; no: asks to confirm (declining unlinks every chat); unlink: declines. */
const ANSWERS = new Set(["yes", "no", "unlink"]);
/** Versions are a year and month, as CONSENT_VERSION. */
const VERSION = /^\d{4}-\d{2}$/;

const button = (t: TFunction, label: string, answer: string) => ({ label: t(`consent:${label}`), payload: `consent:${answer}:${CONSENT_VERSION}` });

/** The short notice, with its two buttons: what chibo stores, why, who sees it, how long, the member's rights. */
export function consentNotice(consent: ConsentService, t: TFunction): OutboundMessage {
  const fullText = consent.fullTextUrl ? t("consent:fullTextAt", { url: consent.fullTextUrl }) : t("consent:fullTextCommand");
  return {
    text: t("consent:notice", { version: CONSENT_VERSION, reasonDays: consent.retention.attendanceReason, outboxDays: consent.retention.outboxText, fullText }),
    buttons: [[button(t, "accept", "yes"), button(t, "decline", "no")]],
  };
}

/**
 * /quyenriengtu: the full notice, for anyone (it is read before linking too); a linked member
 * also sees whether they accepted it, with the buttons to accept or withdraw. Its buttons answer
 * the notice: accepting records the time and version; declining, once confirmed, unlinks every
 * chat of the member. Until a member answers, chibo works for them as before: the notice was
 * shown at linking, and is shown again on /start and once more when its version changes.
 */
export const consentFeature: Feature = {
  name: "consent",
  commands: ["quyenriengtu"],
  aliases: ["privacy"],
  buttonPrefix: "consent",
  allowed: () => true,
  async handle(deps, conversation, input) {
    if (input.payload !== undefined) return answer(deps, conversation, input.payload);
    return showFullText(deps, conversation);
  },
};

async function showFullText(deps: CoreDeps, conversation: Conversation): Promise<void> {
  const { t, member, language, message } = conversation;
  for (const part of inParts(readable(privacyText(language)), textBudget(message.channel))) await conversation.reply({ text: part });
  if (member) await conversation.reply(status(t, member));
}

function status(t: TFunction, member: Member): OutboundMessage {
  if (hasAcceptedCurrent(member) && member.consentAt) {
    const text = t("consent:statusAccepted", { version: CONSENT_VERSION, at: formatDisplayDateTime(member.consentAt) });
    return { text, buttons: [[button(t, "withdraw", "no")]] };
  }
  return { text: t("consent:statusPending", { version: CONSENT_VERSION }), buttons: [[button(t, "accept", "yes"), button(t, "decline", "no")]] };
}

async function answer(deps: CoreDeps, conversation: Conversation, payload: string): Promise<void> {
  const { t, member, message } = conversation;
  const [choice, version] = payloadParts(payload, 2) ?? [];
  if (!choice || !ANSWERS.has(choice) || !version || !VERSION.test(version)) return conversation.reply({ text: t("chat:staleButton") });
  if (!member) return conversation.reply({ text: t("chat:needInvite") });
  const { consent } = deps.services;
  if (version !== CONSENT_VERSION) {
    await conversation.reply({ text: t("consent:replaced") });
    return conversation.reply(consentNotice(consent, t));
  }
  if (choice === "no") {
    return conversation.reply({ text: t("consent:confirmDecline"), buttons: [[button(t, "accept", "yes"), button(t, "unlink", "unlink")]] });
  }
  const actor = { kind: message.channel, memberId: member.id };
  if (choice === "unlink") {
    await consent.decline(member.id, actor, deps.clock.now());
    return conversation.reply({ text: t("consent:declined") });
  }
  const before = hasAcceptedCurrent(member);
  const saved = await consent.accept(member.id, version, actor, deps.clock.now());
  await conversation.reply({ text: t(before ? "consent:alreadyAccepted" : "consent:accepted", { version, at: formatDisplayDateTime(saved.consentAt!) }) });
}

/** The markdown as chat text: headings lose their marks. */
function readable(markdown: string): string {
  return markdown.replace(/^#+\s*/gm, "").trim();
}

/** Whole paragraphs per message, each message within `budget` characters (a longer paragraph is cut by lines). */
function inParts(text: string, budget: number): string[] {
  const pieces = text.split(/\n{2,}/).flatMap((paragraph) => (paragraph.length <= budget ? [paragraph] : paragraph.split("\n")));
  const parts: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = current ? `${current}\n\n${piece}` : piece;
    if (joined.length <= budget) current = joined;
    else {
      if (current) parts.push(current);
      current = piece.slice(0, budget);
    }
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * Asks every member who has a chat with chibo and has not accepted the current notice, once per
 * version: run at start, so a new version (which comes with a new release) reaches everyone, and
 * members linked before the notice existed are asked too. The outbox's key makes it once, however
 * often chibo starts and on however many instances.
 */
export async function askForConsent(deps: { consent: ConsentService; outbox: Outbox; translator: Translator }): Promise<number> {
  const chats = await deps.consent.chatsToAsk();
  if (chats.length === 0) return 0;
  const { queued } = await deps.outbox.enqueue(chats.map((chat) => ({
    dedupeKey: `consent:${chat.memberId}:${CONSENT_VERSION}`,
    channel: chat.channel,
    chatId: chat.chatId,
    memberId: chat.memberId,
    message: consentNotice(deps.consent, deps.translator.t(isLanguage(chat.language) ? chat.language : "vi")),
  })));
  return queued;
}
