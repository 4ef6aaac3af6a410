import { isDomainError } from "../../domain/errors.ts";
import { hasAcceptedCurrent } from "../../services/consent.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { consentNotice } from "./consent.ts";
import { begin as beginFeedback } from "./feedback.ts";

/**
 * `/start <invite code>` (or the deep link carrying it) links this chat to the member. Every code
 * that does not link gets the same answer, and tries are limited (services/invites.ts `link`).
 * A member who has not accepted the notice of what chibo stores is shown it once linked, and
 * again on a later /start.
 */
export const startFeature: Feature = {
  name: "start",
  commands: ["start"],
  allowed: () => true,
  handle: (deps, conversation, input) => handleStart(deps, conversation, input.args?.trim()),
};

async function handleStart(deps: CoreDeps, conversation: Conversation, code: string | undefined): Promise<void> {
  const { message, t, member } = conversation;
  // The link a group gives for feedback ("t.me/<bot>?start=gopy") opens the feedback flow here.
  if (code?.toLowerCase() === "gopy" && member) return beginFeedback(deps, conversation);
  if (!code) {
    if (!member) return conversation.reply({ text: t("chat:needInvite") });
    await conversation.reply({ text: t("chat:welcomeBack", { name: member.fullName }) });
    if (!hasAcceptedCurrent(member)) await conversation.reply(consentNotice(deps.services.consent, t));
    return;
  }
  try {
    const chat = { channel: message.channel, externalUserId: message.sender.id, chatId: message.chat.id };
    const { member: linkedMember } = await deps.services.invites.link(code, chat, deps.clock.now());
    const tm = deps.translator.t(linkedMember.language === "en" ? "en" : "vi");
    await conversation.reply({ text: tm("chat:linked", { name: linkedMember.fullName, cell: linkedMember.cell.name }) });
    if (!hasAcceptedCurrent(linkedMember)) await conversation.reply(consentNotice(deps.services.consent, tm));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
