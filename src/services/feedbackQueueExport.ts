import { DomainError } from "../domain/errors.ts";
import { filterParams, type QueueFilters } from "../domain/feedbackQueue.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { actorOf, type FeedbackViewer } from "./feedbackAccess.ts";
import type { FeedbackExportItem } from "./feedbackDigest.ts";
import { cellsOf, itemLine, loadQueueScope, queueOrder, queueWhere, scopeWhere } from "./feedbackQueueScope.ts";

/** One workbook holds at most this many items; more asks for narrower filters. */
export const MAX_EXPORT_ROWS = 50_000;

/**
 * Every item of a filtered queue, in the queue's order, for the workbook. Authors are read for
 * signed items only; the export is logged with its count and its filters, never with who wrote what.
 */
export async function exportQueue(db: Db, viewer: FeedbackViewer, filters: QueueFilters, now: Date): Promise<FeedbackExportItem[]> {
  const scope = await loadQueueScope(db, viewer);
  if (!scope) return [];
  const where = queueWhere(await scopeWhere(db, scope, filters.cellId), filters, viewer, now);
  const count = await db.feedback.count({ where });
  if (count > MAX_EXPORT_ROWS) throw new DomainError("consoleFeedback:exportTooLarge", { count, max: MAX_EXPORT_ROWS });
  const rows = await db.feedback.findMany({
    where,
    orderBy: queueOrder(filters.sort),
    select: {
      id: true, reference: true, createdAt: true, addressee: true, agencyName: true, category: true, status: true, dueAt: true, text: true,
      answer: true, photoRef: true, anonymous: true, authorId: true, cellId: true,
    },
  });
  const authorIds = [...new Set(rows.filter((r) => !r.anonymous && r.authorId !== null).map((r) => r.authorId!))];
  const authors = authorIds.length ? await db.member.findMany({ where: { id: { in: authorIds } }, select: { id: true, fullName: true } }) : [];
  const authorName = new Map(authors.map((a) => [a.id, a.fullName]));
  const cells = await cellsOf(db, scope, rows.map((r) => r.cellId));
  const shown = Object.entries({ ...filterParams(filters), ...(filters.search ? { q: "…" } : {}) }).map(([k, v]) => `${k}=${v}`).join("&");
  await audit(db, now, { actor: actorOf(viewer), action: "export", subjectType: "Feedback", detail: `queue ${shown || "all"}: ${rows.length}` });
  return rows.map((r) => ({ ...itemLine(r, cells, authorName), text: r.text, answer: r.answer, hasPhoto: r.photoRef !== null }));
}
