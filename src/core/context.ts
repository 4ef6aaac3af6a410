import type { TFunction } from "i18next";
import type { InboundMessage, OutboundMessage } from "../channels/types.ts";
import type { Outbox } from "../delivery/outbox.ts";
import type { Member } from "../generated/prisma/client.ts";
import { isLanguage, type Language, type Translator } from "../i18n.ts";
import type { Clock } from "../services/clock.ts";
import type { FeedbackService } from "../services/feedback.ts";
import type { Services } from "../services/index.ts";
import type { Db } from "../storage/database.ts";
import type { MemberRoles } from "./authorization.ts";
import { flowKey, type FlowStore, type OpenFlow } from "./flowStore.ts";

/** Links that take a person from a group to their private chat with the bot, per channel. */
export interface ChatLinks {
  privateChat(channel: string, payload: string): string | undefined;
  /** The console's sign-in page for a one-time token. */
  consoleSignIn?(token: string): string;
}

/** What every feature may use: the use cases, the outbox, time and words. */
export interface CoreDeps {
  /**
   * For the conversation opening only (who writes, from which chat); features go through
   * services, so the chat and the console do each action the same way.
   */
  db: Db;
  services: Services;
  feedback: FeedbackService;
  links?: ChatLinks;
  outbox: Outbox;
  flows: FlowStore;
  clock: Clock;
  translator: Translator;
  defaultLanguage: Language;
}

/** One incoming message, who sent it (when linked), and a way to answer in their language. */
export interface Conversation {
  message: InboundMessage;
  member: Member | null;
  /** The member's roles, each scoped to an organization; empty when not linked. */
  roles: MemberRoles;
  language: Language;
  t: TFunction;
  /** The guided flow this person has open, if any. */
  flow: OpenFlow | null;
  /** A flow that ran out of time just now (removed; the person is told). */
  expiredFlow: OpenFlow | null;
  reply(message: OutboundMessage): Promise<void>;
  /** Answers in the person's private chat on this channel (from a group, say); false when there is none. */
  replyPrivately(message: OutboundMessage): Promise<boolean>;
  /** Starts or moves on this person's flow (kept in their private chat). */
  setFlow(feature: string, step: string, data: Record<string, unknown>): Promise<void>;
  endFlow(): Promise<void>;
}

/** lastSeenAt is written at most this often per chat. */
const SEEN_RESOLUTION_MS = 60_000;

export async function openConversation(deps: CoreDeps, message: InboundMessage): Promise<Conversation> {
  const identity = await deps.db.chatIdentity.findUnique({
    where: { channel_externalUserId: { channel: message.channel, externalUserId: message.sender.id } },
    include: { member: true },
  });
  const member = identity?.member ?? null;
  // The chat a member writes from is where chibo writes to them next (see preferredChats).
  const now = deps.clock.now();
  if (identity && (!identity.lastSeenAt || now.getTime() - identity.lastSeenAt.getTime() > SEEN_RESOLUTION_MS)) {
    await deps.db.chatIdentity.update({ where: { id: identity.id }, data: { lastSeenAt: now } });
  }
  const roles = member ? await deps.services.members.rolesOf(member.id) : [];
  const hinted = message.sender.languageCode?.slice(0, 2);
  const language: Language = member && isLanguage(member.language) ? member.language : isLanguage(hinted) ? hinted : deps.defaultLanguage;
  const key = flowKey(message.channel, message.sender.id);
  const { open, expired } = member ? await deps.flows.get(key, deps.clock.now()) : { open: null, expired: null };
  const privateChatId = message.chat.kind === "private" ? message.chat.id : identity?.chatId;
  let replies = 0;
  const send = async (chatId: string, isGroup: boolean, outbound: OutboundMessage) => {
    replies += 1;
    await deps.outbox.enqueue([{
      // Keyed by the update, so handling the same update again never answers twice.
      dedupeKey: `reply:${message.channel}:${message.updateId}:${replies}`,
      channel: message.channel,
      chatId,
      isGroup,
      memberId: member?.id,
      // The person is writing now, so awake: an answer is not held by the quiet hours.
      message: { ...outbound, urgent: true },
    }]);
  };
  const conversation: Conversation = {
    message,
    member,
    roles,
    language,
    t: deps.translator.t(language),
    flow: open,
    expiredFlow: expired,
    reply: (outbound) => send(message.chat.id, message.chat.kind === "group", outbound),
    async replyPrivately(outbound) {
      if (!privateChatId) return false;
      await send(privateChatId, false, outbound);
      return true;
    },
    async setFlow(feature, step, data) {
      if (!member || !privateChatId) return;
      conversation.flow = await deps.flows.save({ key, channel: message.channel, chatId: privateChatId, memberId: member.id, feature, step, data, language }, deps.clock.now());
    },
    async endFlow() {
      await deps.flows.end(key);
      conversation.flow = null;
    },
  };
  return conversation;
}
