import { formatDisplayDateTime } from "../../domain/localTime.ts";
import type { Feature } from "../feature.ts";

/** Long enough to set up another app the same day, short enough that a forgotten code dies. */
export const LINK_CODE_TTL_DAYS = 1;

/**
 * /maketnoi: a member already linked here gets a one-time code to link another app (Zalo,
 * Telegram) to themselves, without asking the secretary for a new invite. The code is an
 * ordinary invite code: sent with /start (or alone) in the other app, it links that chat.
 */
export const linkCodeFeature: Feature = {
  name: "linkCode",
  commands: ["maketnoi"],
  async handle(deps, conversation) {
    const { member, t, message } = conversation;
    if (!member) return;
    const { code, expiresAt } = await deps.services.invites.issue(member.id, deps.clock.now(), { kind: message.channel, memberId: member.id }, LINK_CODE_TTL_DAYS);
    const telegram = message.channel === "telegram" ? undefined : deps.links?.privateChat("telegram", code);
    const lines = [t("chat:linkCode", { code, until: formatDisplayDateTime(expiresAt) })];
    if (telegram) lines.push(t("chat:linkCodeTelegram", { link: telegram }));
    lines.push(t("chat:linkCodeKeep"));
    await conversation.reply({ text: lines.join("\n\n") });
  },
};
