import type { TFunction } from "i18next";
import type { InboundMessage, OutboundMessage } from "../channels/types.ts";
import type { Outbox } from "../delivery/outbox.ts";
import type { Member, Role } from "../generated/prisma/client.ts";
import { isLanguage, type Language, type Translator } from "../i18n.ts";
import type { Clock } from "../services/clock.ts";
import type { Services } from "../services/index.ts";
import type { Db } from "../storage/database.ts";

/** What every feature may use: the database, the use cases, the outbox, time and words. */
export interface CoreDeps {
  db: Db;
  services: Services;
  outbox: Outbox;
  clock: Clock;
  translator: Translator;
  defaultLanguage: Language;
}

/** One incoming message, who sent it (when linked), and a way to answer in their language. */
export interface Conversation {
  message: InboundMessage;
  member: Member | null;
  /** The member's roles, each scoped to an organization; empty when not linked. */
  roles: Pick<Role, "role" | "organizationId">[];
  language: Language;
  t: TFunction;
  reply(message: OutboundMessage): Promise<void>;
}

export async function openConversation(deps: CoreDeps, message: InboundMessage): Promise<Conversation> {
  const identity = await deps.db.chatIdentity.findUnique({
    where: { channel_externalUserId: { channel: message.channel, externalUserId: message.sender.id } },
    include: { member: true },
  });
  const member = identity?.member ?? null;
  const roles = member ? await deps.db.role.findMany({ where: { memberId: member.id }, select: { role: true, organizationId: true } }) : [];
  const hinted = message.sender.languageCode?.slice(0, 2);
  const language: Language = member && isLanguage(member.language) ? member.language : isLanguage(hinted) ? hinted : deps.defaultLanguage;
  let replies = 0;
  return {
    message,
    member,
    roles,
    language,
    t: deps.translator.t(language),
    // Keyed by the update, so handling the same update again never answers twice.
    async reply(outbound) {
      replies += 1;
      await deps.outbox.enqueue([{
        dedupeKey: `reply:${message.channel}:${message.updateId}:${replies}`,
        channel: message.channel,
        chatId: message.chat.id,
        isGroup: message.chat.kind === "group",
        memberId: member?.id,
        message: outbound,
      }]);
    },
  };
}
