import { DomainError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { LARGE_DEMO_PREFIX } from "./demoData.ts";

/**
 * The web chat lets anyone act as a member without an invite, so it only ever deals with
 * fictional members: those whose cell lies under an organization whose code starts with this.
 */
export const DEMO_CODE_PREFIX = "demo-";
export const WEB_CHANNEL = "web";
const ROLE_RANK = ["secretary", "deputy_secretary", "committee_member", "reviewer", "member"];

/** The web chat's user and chat id for a member: one private chat per member. */
export const webChatId = (memberId: number): string => `web-${memberId}`;

export interface DemoChatMember {
  id: number;
  fullName: string;
  cellCode: string;
  cellName: string;
  /** Role codes, leading roles first ("secretary", ..., "member"). */
  roles: string[];
}

function rank(role: string | undefined): number {
  const index = ROLE_RANK.indexOf(role ?? "");
  return index === -1 ? ROLE_RANK.length : index;
}

/** Demo members to pick, linking a web chat to one, and what chibo sent to that chat. */
export function createWebChatService(deps: { db: Db }) {
  const { db } = deps;

  /** Paths of the demo subtrees; a demo organization under another is covered by its parent. */
  async function demoRootPaths(): Promise<string[]> {
    const orgs = await db.organization.findMany({ where: { code: { startsWith: DEMO_CODE_PREFIX } }, select: { code: true, path: true } });
    // SQLite's LIKE ignores case: check the prefix exactly here.
    const paths = orgs.filter((o) => o.code.startsWith(DEMO_CODE_PREFIX) && o.path).map((o) => o.path).sort((a, b) => a.length - b.length);
    return paths.filter((p, i) => !paths.slice(0, i).some((root) => p.startsWith(root)));
  }

  function view(member: { id: number; fullName: string; cell: { code: string; name: string }; roles: { role: string }[] }): DemoChatMember {
    const roles = [...new Set(member.roles.map((r) => r.role))].sort((a, b) => rank(a) - rank(b));
    return { id: member.id, fullName: member.fullName, cellCode: member.cell.code, cellName: member.cell.name, roles };
  }

  /** Every demo member, cell by cell, leaders first. Fictional people: listing them is not audited. */
  async function listDemoMembers(): Promise<DemoChatMember[]> {
    const roots = await demoRootPaths();
    if (roots.length === 0) return [];
    const members = await db.member.findMany({
      // The large demo's thousands of members would bury the small one in the picker.
      where: { OR: roots.map((root) => ({ cell: { path: { startsWith: root } } })), NOT: { cell: { code: { startsWith: LARGE_DEMO_PREFIX } } }, deactivatedAt: null },
      include: { cell: true, roles: { select: { role: true } } },
    });
    return members
      .map((member) => ({ cellId: member.cellId, view: view(member) }))
      .sort((a, b) => a.cellId - b.cellId || rank(a.view.roles[0]) - rank(b.view.roles[0]) || a.view.id - b.view.id)
      .map((entry) => entry.view);
  }

  /**
   * The member, if it is a demo member. A real member is "not found", word for word as an id that
   * does not exist: the web chat tells nobody which ids are real members.
   */
  async function demoMember(memberId: number): Promise<DemoChatMember> {
    const member = await db.member.findUnique({ where: { id: memberId }, include: { cell: true, roles: { select: { role: true } } } });
    if (!member || member.deactivatedAt) throw new DomainError("web:unknownMember", { id: memberId });
    const roots = await demoRootPaths();
    if (!roots.some((root) => member.cell.path.startsWith(root))) throw new DomainError("web:unknownMember", { id: memberId });
    return view(member);
  }

  /** Links the member's web chat (idempotent), so the core knows who writes from it. */
  async function link(memberId: number, now: Date): Promise<{ member: DemoChatMember; chatId: string }> {
    const member = await demoMember(memberId);
    const chatId = webChatId(member.id);
    const key = { channel_externalUserId: { channel: WEB_CHANNEL, externalUserId: chatId } };
    const existing = await db.chatIdentity.findUnique({ where: key });
    await db.chatIdentity.upsert({
      where: key,
      create: { memberId: member.id, channel: WEB_CHANNEL, externalUserId: chatId, chatId, reachable: true, linkedAt: now },
      update: { memberId: member.id, chatId, reachable: true },
    });
    if (!existing) await audit(db, now, { actor: { kind: WEB_CHANNEL }, action: "link", subjectType: "Member", subjectId: member.id, detail: "demo member picked in the web chat" });
    return { member, chatId };
  }

  /**
   * Messages chibo has sent to the member's chat after `afterId`, oldest first. Rows can finish out
   * of order (several in flight), so the answer stops before the first row still on its way: a
   * reader that moves its cursor to the last id it got never skips one. Read from the very start,
   * it is the chat's history and logged as such.
   */
  async function sentAfter(memberId: number, afterId: number, limit: number, now: Date) {
    const where = { channel: WEB_CHANNEL, chatId: webChatId(memberId) };
    const waiting = await db.outboxMessage.findFirst({ where: { ...where, id: { gt: afterId }, status: { in: ["queued", "sending"] } }, orderBy: { id: "asc" }, select: { id: true } });
    const rows = await db.outboxMessage.findMany({
      where: { ...where, status: "sent", id: { gt: afterId, ...(waiting ? { lt: waiting.id } : {}) } },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, text: true, buttons: true, attachment: true, createdAt: true, replyToMessageId: true },
    });
    if (afterId === 0 && rows.length) await auditHistoryRead(memberId, now, `${rows.length} sent, from the start`);
    return rows;
  }

  /** The latest `limit` messages sent to the chat, oldest first, with the same rule. */
  async function recentSent(chatId: string, limit: number) {
    const where = { channel: WEB_CHANNEL, chatId };
    const waiting = await db.outboxMessage.findFirst({ where: { ...where, status: { in: ["queued", "sending"] } }, orderBy: { id: "asc" }, select: { id: true } });
    const rows = await db.outboxMessage.findMany({
      where: { ...where, status: "sent", ...(waiting ? { id: { lt: waiting.id } } : {}) },
      orderBy: { id: "desc" },
      take: limit,
      select: { id: true, text: true, buttons: true, attachment: true, createdAt: true },
    });
    return rows.reverse();
  }

  /** The conversation so far, as the page shows it on picking a member: the latest `limit` lines each way. */
  async function history(memberId: number, limit: number, now: Date) {
    const chatId = webChatId(memberId);
    const [sent, written] = await Promise.all([recentSent(chatId, limit), recentUpdates(chatId, limit)]);
    await auditHistoryRead(memberId, now, `${sent.length} sent, ${written.length} written`);
    return { sent, written };
  }

  /** The visitor acting as the member read the chat's past: logged with counts, never a text. */
  function auditHistoryRead(memberId: number, now: Date, detail: string) {
    return audit(db, now, { actor: { kind: WEB_CHANNEL, memberId }, action: "read", subjectType: "WebChatHistory", subjectId: memberId, detail });
  }

  /** The latest updates the chat's person wrote (stored under ids starting with the chat id). */
  async function recentUpdates(chatId: string, limit: number) {
    const rows = await db.inboundUpdate.findMany({
      where: { channel: WEB_CHANNEL, externalId: { startsWith: `${chatId}:` } },
      orderBy: { id: "desc" },
      take: limit,
      select: { id: true, externalId: true, payload: true, receivedAt: true },
    });
    return rows.filter((r) => r.externalId.startsWith(`${chatId}:`)).reverse();
  }

  return { listDemoMembers, demoMember, link, sentAfter, history };
}

export type WebChatService = ReturnType<typeof createWebChatService>;
