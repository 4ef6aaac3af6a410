import type { Conversation } from "../context.ts";

/** Anything no feature took: a polite answer, never anyone's data. */
export async function handleFallback(conversation: Conversation): Promise<void> {
  const { t, message, member } = conversation;
  if (message.contentKind === "button") {
    await conversation.reply({ text: t("chat:staleButton") });
    return;
  }
  await conversation.reply({ text: member ? t("chat:notUnderstood") : t("chat:needInvite") });
}
