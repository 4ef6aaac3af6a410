import { isDomainError } from "../../domain/errors.ts";
import { formatDisplayDateTime } from "../../domain/localTime.ts";
import type { Feature } from "../feature.ts";

/** Long enough to set up another app the same day, short enough that a forgotten code dies. */
export const LINK_CODE_TTL_DAYS = 1;

/**
 * /maketnoi: a member already linked here gets a one-time code to link another app (Zalo,
 * Telegram) to themselves, without asking the secretary for a new invite. The code is an
 * ordinary invite code: sent with /start (or alone) in the other app, it links that chat. An
 * invite the secretary handed out stays usable. Not from the web chat: anyone may open it as a
 * demo member, and a code from there would link a real account to that member.
 */
export const linkCodeFeature: Feature = {
  name: "linkCode",
  commands: ["maketnoi"],
  offeredOn: (channel) => channel !== "web",
  async handle(deps, conversation) {
    const { member, t, message } = conversation;
    if (!member) return;
    if (message.channel === "web") {
      await conversation.reply({ text: t("chat:linkCodeNotHere") });
      return;
    }
    try {
      const { code, expiresAt } = await deps.services.invites.issue(member.id, deps.clock.now(), { kind: message.channel, memberId: member.id }, LINK_CODE_TTL_DAYS, { keepEarlier: true });
      const telegram = message.channel === "telegram" ? undefined : deps.links?.privateChat("telegram", code);
      const lines = [t("chat:linkCode", { code, until: formatDisplayDateTime(expiresAt) })];
      if (telegram) lines.push(t("chat:linkCodeTelegram", { link: telegram }));
      lines.push(t("chat:linkCodeKeep"));
      await conversation.reply({ text: lines.join("\n\n") });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};
