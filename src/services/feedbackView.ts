import { DomainError } from "../domain/errors.ts";
import type { FeedbackCategory, FeedbackStatus } from "../domain/feedback.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { actorOf, assertCanReview, type FeedbackViewer } from "./feedbackAccess.ts";
import { loadOrgIndex } from "./orgIndex.ts";

export interface FeedbackHistoryEntry {
  fromStatus: FeedbackStatus | null;
  toStatus: FeedbackStatus;
  /** The reviewer who acted; null for the submission (the author is not named in the history). */
  actorName: string | null;
  note: string | null;
  at: Date;
}

/** One item as a reviewer sees it. For an anonymous item `author` is null and nothing names them. */
export interface FeedbackDetail {
  id: number;
  reference: string;
  anonymous: boolean;
  cell: { id: number; code: string; name: string };
  addressee: string;
  agencyName: string | null;
  /** The unit of the cell's commune ("commune", "ward", …): it names the default addressees. */
  unitKind: string | null;
  category: FeedbackCategory;
  text: string;
  photoRef: string | null;
  status: FeedbackStatus;
  answer: string | null;
  answeredAt: Date | null;
  dueAt: Date | null;
  createdAt: Date;
  author: { name: string; cellName: string } | null;
  history: FeedbackHistoryEntry[];
}

/** Reads one item for a reviewer of its subtree; the reading is logged, without the author. */
export async function viewFeedback(db: Db, id: number, viewer: FeedbackViewer, now: Date): Promise<FeedbackDetail> {
  const item = await db.feedback.findUnique({
    where: { id },
    include: { cell: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!item) throw new DomainError("feedback:notFound", { value: `#${id}` });
  await assertCanReview(db, viewer, item.cell.path, `#${id}`);
  // The author is loaded only for a signed item, so an anonymous one cannot leak through a later change here.
  const author = !item.anonymous && item.authorId !== null
    ? await db.member.findUnique({ where: { id: item.authorId }, select: { fullName: true, cell: { select: { name: true } } } })
    : null;
  const actorIds = [...new Set(item.events.map((e) => e.actorId).filter((a): a is number => a !== null))]
    .filter((actorId) => !(item.anonymous && actorId === item.authorId));
  const actors = actorIds.length ? await db.member.findMany({ where: { id: { in: actorIds } }, select: { id: true, fullName: true } }) : [];
  const actorName = new Map(actors.map((a) => [a.id, a.fullName]));
  const unitKind = (await loadOrgIndex(db, [item.cell])).unitKind(item.cell.id);
  await audit(db, now, { actor: actorOf(viewer), action: "read", subjectType: "Feedback", subjectId: item.id, detail: item.reference });
  return {
    id: item.id,
    reference: item.reference,
    anonymous: item.anonymous,
    cell: { id: item.cell.id, code: item.cell.code, name: item.cell.name },
    addressee: item.addressee,
    agencyName: item.agencyName,
    unitKind,
    category: item.category as FeedbackCategory,
    text: item.text,
    photoRef: item.photoRef,
    status: item.status as FeedbackStatus,
    answer: item.answer,
    answeredAt: item.answeredAt,
    dueAt: item.dueAt,
    createdAt: item.createdAt,
    author: author ? { name: author.fullName, cellName: author.cell.name } : null,
    history: item.events.map((e) => ({
      fromStatus: e.fromStatus as FeedbackStatus | null,
      toStatus: e.toStatus as FeedbackStatus,
      actorName: e.actorId === null ? null : actorName.get(e.actorId) ?? null,
      note: e.note,
      at: e.at,
    })),
  };
}
