import type { TFunction } from "i18next";
import type { BroadcastSummary, QueuedMessage } from "../delivery/outbox.ts";
import { addressesNoticesTo, ledCells, reviewerScopes, type ActingMember, type MemberRoles } from "../domain/authorization.ts";
import { DomainError, NotAllowedError, NotFoundError } from "../domain/errors.ts";
import { cleanFeedbackText } from "../domain/feedback.ts";
import type { Notice, Organization, Prisma } from "../generated/prisma/client.ts";
import type { Db, Tx } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { wordsOf, type Messaging } from "./messaging.ts";
import { chatsWhere, groupsOfCells, membersUnder } from "./recipients.ts";

/** A notice identical to one sent this recently by the same person to the same organization is a repeat. */
const REPEAT_WINDOW_MS = 10 * 60_000;

export const MAX_NOTICE_LENGTH = 2000;

/** A recipient of a notice as its report names them (null when the member row is gone). */
export interface NoticeRecipient {
  memberId: number;
  fullName: string | null;
}

/** What became of a notice: its messages, who pressed "Đã nhận", who could not be reached. */
export interface NoticeReport {
  notice: Notice & { organization: Organization };
  summary: BroadcastSummary;
  /** Everyone it was meant for, with a chat or not. */
  recipients: number;
  acknowledged: NoticeRecipient[];
  /** Recipients whose message failed or whose chat could not be reached. */
  problems: NoticeRecipient[];
  /** Recipients without a chat chibo could reach when it was sent. */
  notLinked: NoticeRecipient[];
}

export type Acknowledgement = "acknowledged" | "alreadyAcknowledged" | "notReceived";

/** The notice as its readers see it: who it is from, then the text. */
export const noticeText = (t: TFunction, from: string, text: string) => `${t("notice:header", { from })}\n${text}`;

/** The text of a notice, cleaned; refused when empty or longer than a notice may be. */
export function checkNoticeText(text: string): string {
  const clean = cleanFeedbackText(text);
  if (!clean) throw new DomainError("notice:needText");
  const length = [...clean].length;
  if (length > MAX_NOTICE_LENGTH) throw new DomainError("notice:tooLong", { length, max: MAX_NOTICE_LENGTH });
  return clean;
}

/**
 * Notices: a secretary to the cell, a committee to every cell below it. Each goes to the
 * members' preferred chats (with an "Đã nhận" button) and to the linked group chats of those
 * cells; the author gets a delivery report.
 */
export function createNoticeService(deps: { db: Db; messaging: Messaging }) {
  const { db, messaging } = deps;

  /** The organizations this person may send a notice to: the cells they lead and the ones they review, largest first. */
  async function scopes(roles: MemberRoles): Promise<Organization[]> {
    const ids = [...reviewerScopes(roles).map((r) => r.organizationId), ...ledCells(roles)];
    const orgs = await db.organization.findMany({ where: { id: { in: ids } } });
    return orgs.sort((a, b) => a.path.length - b.path.length || a.id - b.id);
  }

  async function addressable(orgId: number, roles: MemberRoles): Promise<Organization> {
    const org = await db.organization.findUnique({ where: { id: orgId } });
    if (!org || !addressesNoticesTo(roles, org)) throw new NotAllowedError();
    return org;
  }

  /** Before sending: the organization and how many members the notice would reach (never its author). */
  async function audience(input: { orgId: number; text: string; actor: ActingMember }) {
    const org = await addressable(input.orgId, input.actor.roles);
    const text = checkNoticeText(input.text);
    const members = await db.member.count({ where: { cell: { path: { startsWith: org.path } }, id: { not: input.actor.memberId }, deactivatedAt: null } });
    return { org, text, members };
  }

  /**
   * Sends a notice to every member of the organization's subtree but its author, and to the
   * subtree's linked groups. Returns how many people and groups it was queued for, and how many
   * members have no chat it could go to.
   */
  async function send(input: { orgId: number; text: string; actor: ActingMember; now: Date }) {
    const { actor, now } = input;
    const org = await addressable(input.orgId, actor.roles);
    const text = checkNoticeText(input.text);
    // A commune has thousands of members: the recipients are the subtree joined in the database,
    // their chats read in one statement and their deliveries written in one, never an id per member.
    const recipients = membersUnder(org.path, actor.memberId);
    const [chats, groups] = await Promise.all([
      chatsWhere(db, recipients),
      groupsOfCells(db, { path: { startsWith: org.path }, members: { some: { id: { not: actor.memberId } } } }),
    ]);
    const groupT = messaging.translator.t(messaging.defaultLanguage);
    // The same text from the same person to the same organization minutes ago is the same notice
    // sent again (a double press, a form sent twice): it is not sent a second time.
    const repeated = await db.notice.findFirst({
      where: { organizationId: org.id, authorId: actor.memberId, text, createdAt: { gt: new Date(now.getTime() - REPEAT_WINDOW_MS) } },
      orderBy: { id: "desc" },
    });
    if (repeated) return { notice: repeated, org, people: 0, groups: 0, notLinked: 0, repeated: true };
    // The notice, its recipients, its broadcast and its messages are written together: all or nothing.
    const { notice, members } = await db.$transaction(async (tx) => {
      const created = await tx.notice.create({ data: { organizationId: org.id, authorId: actor.memberId, text, createdAt: now, sentAt: now } });
      const members = await recordDeliveries(tx, created.id, recipients);
      const broadcast = await tx.broadcast.create({ data: { key: `notice:${created.id}`, kind: "notice", createdById: actor.memberId, createdAt: now } });
      const notice = await tx.notice.update({ where: { id: created.id }, data: { broadcastId: broadcast.id } });
      // The text and the button once per language, not once per chat.
      const inLanguage = new Map<string, QueuedMessage["message"]>();
      const messageIn = (language: string) => {
        let message = inLanguage.get(language);
        if (!message) {
          const t = wordsOf(messaging, language);
          message = { text: noticeText(t, org.name, text), buttons: [[{ label: t("notice:buttonAck"), payload: `nr:${notice.id}` }]] };
          inLanguage.set(language, message);
        }
        return message;
      };
      await messaging.outbox.enqueue([
        ...chats.map((chat) => ({
          dedupeKey: `notice:${notice.id}:${chat.channel}:${chat.chatId}`,
          channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
          message: messageIn(chat.language),
        })),
        ...groups.map((group) => ({
          dedupeKey: `notice:${notice.id}:group:${group.channel}:${group.externalChatId}`,
          channel: group.channel, chatId: group.externalChatId, isGroup: true,
          message: { text: noticeText(groupT, org.name, text) },
        })),
      ], broadcast.id, tx);
      await audit(tx, now, { actor: { kind: "member", memberId: actor.memberId }, action: "create", subjectType: "Notice", subjectId: notice.id, detail: `org ${org.id}: ${members} members, ${chats.length} chats, ${groups.length} groups` });
      return { notice, members };
    }, { maxWait: 10_000, timeout: 120_000 });
    return { notice, org, people: chats.length, groups: groups.length, notLinked: members - chats.length, repeated: false };
  }

  /** "Đã nhận": the first press counts; a member the notice did not go to is told nothing of it. */
  async function acknowledge(input: { noticeId: number; memberId: number; now: Date }): Promise<Acknowledgement> {
    const { noticeId, memberId } = input;
    const updated = await db.noticeDelivery.updateMany({ where: { noticeId, memberId, acknowledgedAt: null }, data: { acknowledgedAt: input.now } });
    if (updated.count === 1) return "acknowledged";
    const known = await db.noticeDelivery.findUnique({ where: { noticeId_memberId: { noticeId, memberId } } });
    return known ? "alreadyAcknowledged" : "notReceived";
  }

  /** The delivery report, for the author and those who lead or review the notice's organization; the read is logged. */
  async function report(input: { noticeId: number; actor: ActingMember; now: Date }): Promise<NoticeReport> {
    const { noticeId, actor } = input;
    const notice = await db.notice.findUnique({ where: { id: noticeId }, include: { organization: true } });
    if (!notice || notice.broadcastId === null) throw new NotFoundError();
    if (notice.authorId !== actor.memberId && !addressesNoticesTo(actor.roles, notice.organization)) throw new NotAllowedError();
    const summary = await messaging.outbox.summary(notice.broadcastId);
    // The recipients' names are joined in the database: a commune's notice has thousands.
    const [deliveries, people] = await Promise.all([
      db.noticeDelivery.findMany({ where: { noticeId }, select: { memberId: true, status: true, acknowledgedAt: true }, orderBy: { id: "asc" } }),
      db.member.findMany({ where: { deliveries: { some: { noticeId } } }, select: { id: true, fullName: true } }),
    ]);
    const fullName = new Map(people.map((p) => [p.id, p.fullName]));
    const named = (list: typeof deliveries) => list.map((d) => ({ memberId: d.memberId, fullName: fullName.get(d.memberId) ?? null }));
    const problemIds = new Set(summary.problems.map((p) => p.memberId));
    const acknowledged = named(deliveries.filter((d) => d.acknowledgedAt));
    await audit(db, input.now, {
      actor: { kind: "member", memberId: actor.memberId }, action: "read", subjectType: "NoticeReport", subjectId: noticeId,
      detail: `${deliveries.length} recipients, ${acknowledged.length} acknowledged`,
    });
    return {
      notice,
      summary,
      recipients: deliveries.length,
      acknowledged,
      problems: named(deliveries.filter((d) => problemIds.has(d.memberId))),
      notLinked: named(deliveries.filter((d) => d.status === "no_chat")),
    };
  }

  return { scopes, audience, send, acknowledge, report };
}

/**
 * A delivery row for every recipient, in one statement: "queued" for a member with a chat chibo
 * can reach (the condition chatsWhere reads), "no_chat" otherwise. Returns how many there are.
 *
 * The status is what was known at queueing time and is never updated: what became of each message
 * (sent, failed, unreachable) lives on its outbox row (same broadcast and member), which the report
 * reads. The delivery row keeps who was meant to get the notice, who had no chat, and the "Đã nhận".
 */
function recordDeliveries(tx: Tx, noticeId: number, recipients: Prisma.Sql): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "NoticeDelivery" ("noticeId", "memberId", "status")
    SELECT ${noticeId}, m."id", CASE WHEN EXISTS (SELECT 1 FROM "ChatIdentity" AS i WHERE i."memberId" = m."id" AND i."reachable" = ${true}) THEN 'queued' ELSE 'no_chat' END
    FROM "Member" AS m WHERE ${recipients}`;
}

export type NoticeService = ReturnType<typeof createNoticeService>;
