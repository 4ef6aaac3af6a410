import type { Db } from "../storage/database.ts";

/** One chat to reach a member in: every reachable identity counts (Telegram, Zalo, …). */
export interface MemberChat {
  memberId: number;
  fullName: string;
  language: string;
  channel: string;
  chatId: string;
}

/** The reachable chats of the given members. */
export async function chatsOfMembers(db: Db, memberIds: number[]): Promise<MemberChat[]> {
  if (memberIds.length === 0) return [];
  const identities = await db.chatIdentity.findMany({
    where: { memberId: { in: memberIds }, reachable: true },
    select: { channel: true, chatId: true, member: { select: { id: true, fullName: true, language: true } } },
    orderBy: { id: "asc" },
  });
  return identities.map((i) => ({ memberId: i.member.id, fullName: i.member.fullName, language: i.member.language, channel: i.channel, chatId: i.chatId }));
}

/** The people who speak for an organization: everyone holding a role on it other than plain member. */
export async function officersOf(db: Db, organizationId: number): Promise<number[]> {
  const roles = await db.role.findMany({ where: { organizationId, role: { not: "member" } }, select: { memberId: true } });
  return [...new Set(roles.map((r) => r.memberId))];
}

/** The cells' linked group chats the bot is still in. */
export async function groupsOfCells(db: Db, cellIds: number[]) {
  if (cellIds.length === 0) return [];
  return db.groupChat.findMany({ where: { cellId: { in: cellIds }, reachable: true }, orderBy: { id: "asc" } });
}
