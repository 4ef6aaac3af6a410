import { DomainError } from "../domain/errors.ts";
import { generateInviteCode, hashInviteCode } from "../domain/inviteCode.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";

const MS_PER_DAY = 86_400_000;

export interface ChatIdentityInput {
  channel: string;
  externalUserId: string;
  chatId: string;
}

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

  /** Links a chat to the member the code was issued for; the code cannot be used again. */
  async function redeem(typed: string, identity: ChatIdentityInput, now: Date) {
    const hash = hashInviteCode(typed);
    return db.$transaction(async (tx) => {
      const invite = await tx.inviteCode.findUnique({ where: { code: hash } });
      if (!invite) throw new DomainError("invite:unknown");
      if (invite.usedAt) throw new DomainError("invite:used");
      if (invite.expiresAt.getTime() <= now.getTime()) throw new DomainError("invite:expired");
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

  return { issue, redeem };
}

export type InviteService = ReturnType<typeof createInviteService>;
