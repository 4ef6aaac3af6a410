import { DomainError, isDomainError } from "../domain/errors.ts";
import { generateInviteCode, hashInviteCode, normalizeInviteCode } from "../domain/inviteCode.ts";
import { minutesToWait } from "../domain/linkAttempts.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { linkingWaitsUntil, recordFailedLink, type LinkingChat, type LinkRefusal } from "./linkAttempts.ts";
import { WEB_CHANNEL } from "./webChat.ts";

const MS_PER_DAY = 86_400_000;

/** A person on a channel and their chat with chibo. */
export type ChatIdentityInput = LinkingChat;

/** The refusals of `redeem`, by error code. */
const REFUSALS: Record<string, LinkRefusal> = {
  "invite:unknown": "unknown",
  "invite:used": "used",
  "invite:expired": "expired",
  "invite:inactiveMember": "inactiveMember",
  "invite:chatLinkedToOther": "chatLinkedToOther",
};

export function createInviteService(deps: { db: Db; ttlDays: number }) {
  const { db } = deps;

  /**
   * A new one-time code for a member. Earlier unused codes of that member stop working, so only
   * the code handed out last can link a chat — unless `keepEarlier` (a code the member asked for
   * in the chat leaves a printed invite from the secretary usable).
   */
  async function issue(memberId: number, now: Date, actor: Actor, ttlDays = deps.ttlDays, options: { keepEarlier?: boolean } = {}) {
    const member = await db.member.findUnique({ where: { id: memberId } });
    if (!member) throw new DomainError("member:notFound", { value: String(memberId) });
    const code = generateInviteCode();
    const expiresAt = new Date(now.getTime() + ttlDays * MS_PER_DAY);
    await db.$transaction(async (tx) => {
      if (!options.keepEarlier) await tx.inviteCode.updateMany({ where: { memberId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
      await tx.inviteCode.create({ data: { code: hashInviteCode(code), memberId, expiresAt } });
      await audit(tx, now, { actor, action: "create", subjectType: "InviteCode", subjectId: memberId });
    });
    return { code, expiresAt, member };
  }

  /**
   * Links a chat to the member the code was issued for; the code cannot be used again. Each
   * refusal says why, for the audit log: a chat goes through `link`, which tells the person none of it.
   */
  async function redeem(typed: string, identity: ChatIdentityInput, now: Date) {
    const hash = hashInviteCode(typed);
    return db.$transaction(async (tx) => {
      const invite = await tx.inviteCode.findUnique({ where: { code: hash }, include: { member: { select: { deactivatedAt: true, erasedAt: true } } } });
      if (!invite) throw new DomainError("invite:unknown");
      if (invite.usedAt) throw new DomainError("invite:used");
      if (invite.expiresAt.getTime() <= now.getTime()) throw new DomainError("invite:expired");
      if (invite.member.deactivatedAt || invite.member.erasedAt) throw new DomainError("invite:inactiveMember");
      const existing = await tx.chatIdentity.findUnique({
        where: { channel_externalUserId: { channel: identity.channel, externalUserId: identity.externalUserId } },
      });
      if (existing && existing.memberId !== invite.memberId) throw new DomainError("invite:chatLinkedToOther");
      // Claim the code with a conditional update so two redemptions at once cannot both win.
      const claimed = await tx.inviteCode.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new DomainError("invite:used");
      const linked = await tx.chatIdentity.upsert({
        where: { channel_externalUserId: { channel: identity.channel, externalUserId: identity.externalUserId } },
        // Linking is writing from this chat: it becomes the member's preferred one (see preferredChats).
        create: { memberId: invite.memberId, ...identity, linkedAt: now, lastSeenAt: now },
        update: { chatId: identity.chatId, reachable: true, linkedAt: now, lastSeenAt: now },
      });
      await audit(tx, now, { actor: { kind: identity.channel, memberId: invite.memberId }, action: "link", subjectType: "ChatIdentity", subjectId: linked.id });
      return { memberId: invite.memberId, identity: linked };
    });
  }

  /**
   * A code typed in a chat: links it, or refuses with one answer ("invite:refused") whatever was
   * wrong, so the answer tells a guesser nothing. Each refusal is recorded; past the limits
   * (domain/linkAttempts.ts) no code is even looked up, so a right guess then gives nothing away.
   */
  async function link(typed: string, chat: ChatIdentityInput, now: Date) {
    const waitUntil = await linkingWaitsUntil(db, chat, now);
    if (waitUntil) throw new DomainError("invite:tooManyTries", { count: minutesToWait(waitUntil, now) });
    // Anyone may act as a demo member in the web chat: no code is looked up from there.
    if (chat.channel === WEB_CHANNEL) return refuse(chat, "webChat", now);
    // A slip in typing is said as such and not counted: what a code looks like is no secret.
    normalizeInviteCode(typed);
    try {
      const linked = await redeem(typed, chat, now);
      // Whom the chat now belongs to, to greet them by name and cell in their language.
      const member = await db.member.findUniqueOrThrow({ where: { id: linked.memberId }, include: { cell: true } });
      return { ...linked, member };
    } catch (error) {
      const reason = isDomainError(error) ? REFUSALS[error.code] : undefined;
      if (!reason) throw error;
      return refuse(chat, reason, now);
    }
  }

  async function refuse(chat: ChatIdentityInput, reason: LinkRefusal, now: Date): Promise<never> {
    await recordFailedLink(db, chat, reason, now);
    throw new DomainError("invite:refused");
  }

  return { issue, redeem, link };
}

export type InviteService = ReturnType<typeof createInviteService>;
