import { formatDisplayDateTime } from "../../domain/localTime.ts";
import type { Feature } from "../feature.ts";

/**
 * /web: a one-time link to the committee console, only in the member's private chat (a link in a
 * group would let anyone there sign in as them). The message asks to be forgotten once sent, so
 * the link is not kept in the outbox either.
 */
export const consoleLinkFeature: Feature = {
  name: "consoleLink",
  commands: ["web"],
  aliases: ["console", "trangdieuhanh"],
  inGroups: true,
  async handle(deps, conversation) {
    const { t, member, message } = conversation;
    if (!member) return conversation.reply({ text: t("chat:needInvite") });
    if (message.chat.kind !== "private") return conversation.reply({ text: t("console:chatOnlyPrivate") });
    if (!deps.links?.consoleSignIn) return conversation.reply({ text: t("console:chatUnavailable") });
    const now = deps.clock.now();
    const { token, expiresAt } = await deps.services.consoleSessions.issueLink(member.id, "chat", now, { kind: message.channel, memberId: member.id });
    await conversation.reply({
      text: t("console:chatLink", { url: deps.links.consoleSignIn(token), until: formatDisplayDateTime(expiresAt), minutes: deps.services.consoleSessions.settings.linkMinutes }),
      forgetText: true,
    });
  },
};
