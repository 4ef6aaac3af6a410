import { chunked } from "../storage/chunks.ts";
import type { DbClient } from "../storage/database.ts";

/** What taking members' access away removed. */
export interface RevokedAccess {
  roles: number;
  chats: number;
  flows: number;
  inviteCodes: number;
}

/**
 * Takes away what lets members act in chibo or be written to: their roles, their linked chats,
 * their open guided steps (which may hold half-typed words), and their unused invite codes
 * (expired, not deleted, so a code already handed out answers "expired"). Their history stays.
 * Pass the transaction the change belongs to.
 */
export async function revokeAccess(tx: DbClient, memberIds: readonly number[], now: Date): Promise<RevokedAccess> {
  const revoked: RevokedAccess = { roles: 0, chats: 0, flows: 0, inviteCodes: 0 };
  for (const chunk of chunked(memberIds)) {
    const memberId = { in: chunk };
    revoked.roles += (await tx.role.deleteMany({ where: { memberId } })).count;
    revoked.chats += (await tx.chatIdentity.deleteMany({ where: { memberId } })).count;
    revoked.flows += (await tx.chatFlow.deleteMany({ where: { memberId } })).count;
    revoked.inviteCodes += (await tx.inviteCode.updateMany({ where: { memberId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } })).count;
  }
  return revoked;
}
