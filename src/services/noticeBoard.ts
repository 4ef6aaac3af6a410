import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { auditRead, type Readers } from "./audit.ts";

/** How many messages of a notice are in each state: the outbox statuses the chat's report counts. */
export interface MessageCounts {
  total: number;
  sent: number;
  /** Queued or being sent. */
  waiting: number;
  failed: number;
  unreachable: number;
}

/** One notice in the committee's list. */
export interface NoticeListRow {
  id: number;
  sentAt: Date;
  organization: { id: number; name: string; path: string };
  /** The author's name; null when the member row is gone. */
  authorName: string | null;
  /** Members it was meant for (with a chat or not). */
  recipients: number;
  /** Of them, those who had a chat it went to: who could press "Đã nhận". */
  reached: number;
  acknowledged: number;
  /** Null for a notice that never got as far as the outbox. */
  messages: MessageCounts | null;
}

/** A notice as the console finds it before showing it: enough to check the viewer's scope. */
export interface NoticeHeading {
  id: number;
  broadcastId: number | null;
  organization: { id: number; name: string; path: string };
}

const EMPTY_COUNTS: MessageCounts = { total: 0, sent: 0, waiting: 0, failed: 0, unreachable: 0 };

/**
 * The notices of the subtrees a committee member may send to, newest first, with what became of
 * each: the list page of the console. The report of one notice is the notice service's.
 */
export function createNoticeBoardService(deps: { db: Db }) {
  const { db } = deps;

  const inPaths = (paths: string[]): Prisma.NoticeWhereInput => ({ organization: { OR: paths.map((path) => ({ path: { startsWith: path } })) } });

  /** A page of the notices sent to organizations under `paths`; the read (authors' names) is logged. */
  async function list(input: { paths: string[]; page: number; perPage: number; readers: Readers; now: Date }): Promise<{ rows: NoticeListRow[]; count: number }> {
    if (input.paths.length === 0) return { rows: [], count: 0 };
    const where = inPaths(input.paths);
    const [count, notices] = await Promise.all([
      db.notice.count({ where }),
      db.notice.findMany({
        where, orderBy: { id: "desc" }, skip: (input.page - 1) * input.perPage, take: input.perPage,
        select: { id: true, createdAt: true, sentAt: true, authorId: true, broadcastId: true, organization: { select: { id: true, name: true, path: true } } },
      }),
    ]);
    const ids = notices.map((n) => n.id);
    const broadcasts = notices.flatMap((n) => (n.broadcastId === null ? [] : [n.broadcastId]));
    const authors = [...new Set(notices.flatMap((n) => (n.authorId === null ? [] : [n.authorId])))];
    const [people, recipients, acknowledged, messages] = await Promise.all([
      db.member.findMany({ where: { id: { in: authors } }, select: { id: true, fullName: true } }),
      db.noticeDelivery.groupBy({ by: ["noticeId", "status"], where: { noticeId: { in: ids } }, _count: { _all: true } }),
      db.noticeDelivery.groupBy({ by: ["noticeId"], where: { noticeId: { in: ids }, acknowledgedAt: { not: null } }, _count: { _all: true } }),
      db.outboxMessage.groupBy({ by: ["broadcastId", "status"], where: { broadcastId: { in: broadcasts } }, _count: { _all: true } }),
    ]);
    const nameOf = new Map(people.map((p) => [p.id, p.fullName]));
    const recipientsOf = new Map<number, { all: number; reached: number }>();
    for (const group of recipients) {
      const counts = recipientsOf.get(group.noticeId) ?? { all: 0, reached: 0 };
      counts.all += group._count._all;
      if (group.status !== "no_chat") counts.reached += group._count._all;
      recipientsOf.set(group.noticeId, counts);
    }
    const acknowledgedOf = new Map(acknowledged.map((g) => [g.noticeId, g._count._all]));
    const countsOf = new Map<number, MessageCounts>();
    for (const group of messages) {
      if (group.broadcastId === null) continue;
      const counts = countsOf.get(group.broadcastId) ?? { ...EMPTY_COUNTS };
      addStatus(counts, group.status, group._count._all);
      countsOf.set(group.broadcastId, counts);
    }
    if (notices.length) {
      await auditRead(db, input.now, input.readers, { subjectType: "NoticeList", detail: `${notices.length} notices, page ${input.page}` });
    }
    return {
      count,
      rows: notices.map((n) => ({
        id: n.id,
        sentAt: n.sentAt ?? n.createdAt,
        organization: n.organization,
        authorName: n.authorId === null ? null : nameOf.get(n.authorId) ?? null,
        recipients: recipientsOf.get(n.id)?.all ?? 0,
        reached: recipientsOf.get(n.id)?.reached ?? 0,
        acknowledged: acknowledgedOf.get(n.id) ?? 0,
        messages: n.broadcastId === null ? null : countsOf.get(n.broadcastId) ?? { ...EMPTY_COUNTS },
      })),
    };
  }

  /** The notice's organization and broadcast, or null when there is no such notice. */
  async function heading(noticeId: number): Promise<NoticeHeading | null> {
    return db.notice.findUnique({ where: { id: noticeId }, select: { id: true, broadcastId: true, organization: { select: { id: true, name: true, path: true } } } });
  }

  /** How many it was meant for, how many have no chat, and how many pressed "Đã nhận": counts only, no names. */
  async function acknowledgements(noticeId: number): Promise<{ recipients: number; notLinked: number; acknowledged: number }> {
    const [recipients, notLinked, acknowledged] = await Promise.all([
      db.noticeDelivery.count({ where: { noticeId } }),
      db.noticeDelivery.count({ where: { noticeId, status: "no_chat" } }),
      db.noticeDelivery.count({ where: { noticeId, acknowledgedAt: { not: null } } }),
    ]);
    return { recipients, notLinked, acknowledged };
  }

  return { list, heading, acknowledgements };
}

/** The outbox's statuses folded as the delivery report folds them ("sending" is still waiting). */
function addStatus(counts: MessageCounts, status: string, n: number): void {
  counts.total += n;
  if (status === "sent") counts.sent += n;
  else if (status === "failed") counts.failed += n;
  else if (status === "unreachable") counts.unreachable += n;
  else counts.waiting += n;
}

export type NoticeBoardService = ReturnType<typeof createNoticeBoardService>;
