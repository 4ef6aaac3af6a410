import type { Prisma } from "../generated/prisma/client.ts";
import {
  LINK_FAILURE_WINDOW_MINUTES, LINK_FAILURES_GLOBAL, LINK_FAILURES_PER_CHAT, LINK_FAILURES_PER_SENDER, linkingBlockedUntil, type FailureCount,
} from "../domain/linkAttempts.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { WEB_CHANNEL } from "./webChat.ts";

const MS_PER_MINUTE = 60_000;

/** Where a code was typed: the person on a channel, and the chat. */
export interface LinkingChat {
  channel: string;
  externalUserId: string;
  chatId: string;
}

/** Why a code did not link the chat; only the audit log keeps it, the person is told none of it. */
export type LinkRefusal = "unknown" | "used" | "expired" | "inactiveMember" | "chatLinkedToOther" | "webChat";

/**
 * Until when this chat must wait before a code is looked up again, or null. The web chat never
 * looks a code up, so its failures count for its own chats but not towards everyone's limit:
 * anyone may open it, and it must not be a way to stop real members from linking.
 */
export async function linkingWaitsUntil(db: Db, chat: LinkingChat, now: Date): Promise<Date | null> {
  const since = new Date(now.getTime() - LINK_FAILURE_WINDOW_MINUTES * MS_PER_MINUTE);
  const maxthNewest = async (where: Prisma.LinkAttemptWhereInput, max: number): Promise<FailureCount> => {
    const row = await db.linkAttempt.findFirst({ where: { ...where, at: { gt: since } }, orderBy: { at: "desc" }, skip: max - 1, select: { at: true } });
    return { max, maxthNewestAt: row?.at ?? null };
  };
  const counts = [
    await maxthNewest({ channel: chat.channel, externalUserId: chat.externalUserId }, LINK_FAILURES_PER_SENDER),
    await maxthNewest({ channel: chat.channel, chatId: chat.chatId }, LINK_FAILURES_PER_CHAT),
  ];
  if (chat.channel !== WEB_CHANNEL) counts.push(await maxthNewest({ channel: { not: WEB_CHANNEL } }, LINK_FAILURES_GLOBAL));
  return linkingBlockedUntil(counts, now);
}

/**
 * Records a failed code, for the limits and in the audit log, in one transaction. Neither keeps
 * what was typed, not even hashed: a log of near-misses would be a list of codes to try.
 */
export async function recordFailedLink(db: Db, chat: LinkingChat, reason: LinkRefusal, now: Date): Promise<void> {
  const linked = await db.chatIdentity.findUnique({
    where: { channel_externalUserId: { channel: chat.channel, externalUserId: chat.externalUserId } },
    select: { memberId: true },
  });
  await db.$transaction(async (tx) => {
    const attempt = await tx.linkAttempt.create({ data: { channel: chat.channel, externalUserId: chat.externalUserId, chatId: chat.chatId, at: now } });
    await audit(tx, now, {
      actor: { kind: chat.channel, ...(linked ? { memberId: linked.memberId } : {}) },
      action: "link",
      subjectType: "LinkAttempt",
      subjectId: attempt.id,
      detail: `refused: ${reason}`,
    });
  });
}
