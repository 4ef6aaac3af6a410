import { Prisma } from "../generated/prisma/client.ts";
import { inChunks } from "../storage/chunks.ts";
import type { Db } from "../storage/database.ts";

/** One chat to reach a member in (Telegram, Zalo Bot, Zalo OA, the web chat). */
export interface MemberChat {
  memberId: number;
  fullName: string;
  language: string;
  channel: string;
  chatId: string;
}

/**
 * One chat per member: of their reachable chats, the one they wrote from last (a chat never
 * written from counts from when it was linked); on a tie, the first linked. `seenAt` is an
 * instant in ms. Keeps the first-seen order of members.
 */
export function preferredChats<T extends { memberId: number; seenAt: number; identityId: number }>(chats: T[]): T[] {
  const best = new Map<number, T>();
  for (const chat of chats) {
    const current = best.get(chat.memberId);
    if (!current || chat.seenAt > current.seenAt || (chat.seenAt === current.seenAt && chat.identityId < current.identityId)) best.set(chat.memberId, chat);
  }
  return [...best.values()];
}

/**
 * The chat each of the given members is reached in (their preferred reachable one): the members
 * named by id (a few officers; a list of any length is read a chunk per statement), or those a
 * filter selects (a cell's, a subtree's), joined in the database whatever their number.
 */
export async function chatsOfMembers(db: Db, members: number[] | Prisma.MemberWhereInput, options: { exceptChannel?: string } = {}): Promise<MemberChat[]> {
  const usable = { reachable: true, ...(options.exceptChannel ? { channel: { not: options.exceptChannel } } : {}) };
  const select = { id: true, memberId: true, channel: true, chatId: true, linkedAt: true, lastSeenAt: true } as const;
  let identities: { id: number; memberId: number; channel: string; chatId: string; linkedAt: Date; lastSeenAt: Date | null }[];
  let people: { id: number; fullName: string; language: string }[];
  if (Array.isArray(members)) {
    if (members.length === 0) return [];
    // Chunks split by member, so each member's chats come back together and the choice is theirs.
    const ids = [...new Set(members)];
    identities = (await inChunks(ids, (chunk) => db.chatIdentity.findMany({ where: { memberId: { in: chunk }, ...usable }, select }))).sort((a, b) => a.id - b.id);
    const linked = [...new Set(identities.map((i) => i.memberId))];
    people = await inChunks(linked, (chunk) => db.member.findMany({ where: { id: { in: chunk }, deactivatedAt: null }, select: { id: true, fullName: true, language: true } }));
  } else {
    [identities, people] = await Promise.all([
      db.chatIdentity.findMany({ where: { member: members, ...usable }, select, orderBy: { id: "asc" } }),
      db.member.findMany({ where: { AND: [members, { identities: { some: usable } }, { deactivatedAt: null }] }, select: { id: true, fullName: true, language: true } }),
    ]);
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  const chats = identities.flatMap((i) => {
    const member = byId.get(i.memberId);
    return member ? [{ identityId: i.id, seenAt: (i.lastSeenAt ?? i.linkedAt).getTime(), memberId: i.memberId, fullName: member.fullName, language: member.language, channel: i.channel, chatId: i.chatId }] : [];
  });
  return preferredChats(chats).map(({ memberId, fullName, language, channel, chatId }) => ({ memberId, fullName, language, channel, chatId }));
}

/** The people who speak for an organization: everyone holding a role on it other than plain member. */
export async function officersOf(db: Db, organizationId: number): Promise<number[]> {
  const roles = await db.role.findMany({ where: { organizationId, role: { not: "member" }, member: { deactivatedAt: null } }, select: { memberId: true } });
  return [...new Set(roles.map((r) => r.memberId))];
}

/** The linked group chats the bot is still in of the cells named by id, or of those a filter selects (joined in the database). */
export async function groupsOfCells(db: Db, cells: number[] | Prisma.OrganizationWhereInput) {
  if (!Array.isArray(cells)) return db.groupChat.findMany({ where: { cell: cells, reachable: true }, orderBy: { id: "asc" } });
  if (cells.length === 0) return [];
  const groups = await inChunks([...new Set(cells)], (chunk) => db.groupChat.findMany({ where: { cellId: { in: chunk }, reachable: true } }));
  return groups.sort((a, b) => a.id - b.id);
}

/** A member of a cell with what reminders need: who they are, their language, their exemption. */
export interface CellMember {
  id: number;
  cellId: number;
  fullName: string;
  language: string;
  exemption: string;
  exemptionFrom: string | null;
  exemptionUntil: string | null;
}

/**
 * Everyone the given cells reach, read in a fixed number of queries whatever their number: their
 * members (by id), their members' reachable chats (in identity order, like chatsOfMembers), their
 * linked groups, and the chats of their secretaries and deputies (who may belong to another cell).
 * The cell ids travel as one JSON parameter (SQLite's json_each), not one parameter each.
 */
export async function reachOfCells(db: Db, cellIds: number[]) {
  if (cellIds.length === 0) return { members: [] as CellMember[], chats: [] as (MemberChat & { identityId: number })[], groups: [] as Awaited<ReturnType<typeof groupsOfCells>>, leaders: new Map<number, (MemberChat & { identityId: number })[]>() };
  const inCells = Prisma.sql`m."cellId" IN (SELECT value FROM json_each(${JSON.stringify(cellIds)})) AND m."deactivatedAt" IS NULL`;
  const [members, chats, groups, roles] = await Promise.all([
    membersWhere(db, inCells),
    chatsWhere(db, inCells),
    groupsOfCells(db, cellIds),
    inChunks(cellIds, (chunk) => db.role.findMany({ where: { organizationId: { in: chunk }, role: { in: ["secretary", "deputy_secretary"] } }, select: { memberId: true, organizationId: true } })),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  // Leaders from outside these cells are read apart (rare: a secretary is usually a member there).
  const outside = [...new Set(roles.map((r) => r.memberId).filter((id) => !byId.has(id)))];
  const outsideChats = outside.length
    ? (await inChunks(outside, (chunk) => db.chatIdentity.findMany({
        where: { memberId: { in: chunk }, reachable: true },
        select: { id: true, channel: true, chatId: true, linkedAt: true, lastSeenAt: true, member: { select: { id: true, fullName: true, language: true } } },
      }))).sort((a, b) => a.id - b.id).map((i) => ({ identityId: i.id, seenAt: (i.lastSeenAt ?? i.linkedAt).getTime(), memberId: i.member.id, fullName: i.member.fullName, language: i.member.language, channel: i.channel, chatId: i.chatId }))
    : [];
  const ledBy = new Map<number, Set<number>>();
  for (const role of roles) {
    const cells = ledBy.get(role.memberId) ?? new Set<number>();
    cells.add(role.organizationId);
    ledBy.set(role.memberId, cells);
  }
  const leaders = new Map<number, (MemberChat & { identityId: number })[]>();
  const all = outsideChats.length ? preferredChats([...chats, ...outsideChats]).sort((a, b) => a.identityId - b.identityId) : chats;
  for (const chat of all) {
    for (const cellId of ledBy.get(chat.memberId) ?? []) {
      const list = leaders.get(cellId) ?? [];
      list.push(chat);
      leaders.set(cellId, list);
    }
  }
  return { members, chats, groups, leaders };
}

/**
 * The members of an organization's subtree but one person (who sends them something), as a
 * condition on `m` (a Member) for chatsWhere and for statements that write a row per member: the
 * subtree is joined in the database, never bound a parameter per member.
 */
export function membersUnder(orgPath: string, exceptMemberId: number): Prisma.Sql {
  return Prisma.sql`m."cellId" IN (SELECT o."id" FROM "Organization" AS o WHERE substr(o."path", 1, ${orgPath.length}) = ${orgPath}) AND m."id" <> ${exceptMemberId} AND m."deactivatedAt" IS NULL`;
}

// Members and chats come back as one JSON text each (SQLite's json_group_array): tens of
// thousands of rows without a result object per row.

/** The members a condition on `m` (a Member) selects, by id. */
async function membersWhere(db: Db, where: Prisma.Sql): Promise<CellMember[]> {
  const [{ rows }] = await db.$queryRaw<[{ rows: string }]>`
    SELECT json_group_array(json_array(m."id", m."cellId", m."fullName", m."language", m."exemption", m."exemptionFrom", m."exemptionUntil") ORDER BY m."id") AS rows
    FROM "Member" AS m WHERE ${where}`;
  return (JSON.parse(rows) as [number, number, string, string, string, string | null, string | null][]).map(
    ([id, cellId, fullName, language, exemption, exemptionFrom, exemptionUntil]) => ({ id, cellId, fullName, language, exemption, exemptionFrom, exemptionUntil }),
  );
}

/** The preferred chat of each member a condition on `m` (a Member) selects, in identity order like chatsOfMembers. */
export async function chatsWhere(db: Db, where: Prisma.Sql): Promise<(MemberChat & { identityId: number; seenAt: number })[]> {
  const [{ rows }] = await db.$queryRaw<[{ rows: string }]>`
    SELECT json_group_array(json_array(i."id", i."memberId", i."channel", i."chatId", COALESCE(i."lastSeenAt", i."linkedAt"), m."fullName", m."language") ORDER BY i."id") AS rows
    FROM "ChatIdentity" AS i JOIN "Member" AS m ON m."id" = i."memberId"
    WHERE ${where} AND i."reachable" = ${true} AND m."deactivatedAt" IS NULL`;
  return preferredChats((JSON.parse(rows) as [number, number, string, string, string | number, string, string][]).map(
    ([identityId, memberId, channel, chatId, seen, fullName, language]) => ({ identityId, seenAt: typeof seen === "number" ? seen : Date.parse(seen), memberId, fullName, language, channel, chatId }),
  ));
}
