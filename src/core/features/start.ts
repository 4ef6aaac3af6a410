import { isDomainError } from "../../domain/errors.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { begin as beginFeedback } from "./feedback.ts";

/** `/start <invite code>` (or the deep link carrying it) links this chat to the member. */
export const startFeature: Feature = {
  name: "start",
  commands: ["start"],
  allowed: () => true,
  handle: (deps, conversation, input) => handleStart(deps, conversation, input.args?.trim()),
};

async function handleStart(deps: CoreDeps, conversation: Conversation, code: string | undefined): Promise<void> {
  const { message, t } = conversation;
  // The link a group gives for feedback ("t.me/<bot>?start=gopy") opens the feedback flow here.
  if (code?.toLowerCase() === "gopy" && conversation.member) return beginFeedback(deps, conversation);
  if (!code) {
    await conversation.reply({ text: conversation.member ? t("chat:welcomeBack", { name: conversation.member.fullName }) : t("chat:needInvite") });
    return;
  }
  try {
    const linked = await deps.services.invites.redeem(code, { channel: message.channel, externalUserId: message.sender.id, chatId: message.chat.id }, deps.clock.now());
    const member = await deps.db.member.findUniqueOrThrow({ where: { id: linked.memberId }, include: { cell: true } });
    await conversation.reply({ text: deps.translator.t(member.language === "en" ? "en" : "vi")("chat:linked", { name: member.fullName, cell: member.cell.name }) });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
