import { DomainError } from "../domain/errors.ts";
import { cleanFeedbackText, MAX_NOTE_LENGTH } from "../domain/feedback.ts";
import { pathIds } from "../domain/organization.ts";
import type { Db } from "../storage/database.ts";
import { audit, auditRead } from "./audit.ts";
import { actorOf, assertCanReview, REVIEWER_ROLE, type FeedbackViewer } from "./feedbackAccess.ts";

/** A reviewers' note on an item: never shown to its author. `authorName` is null when it may not be said. */
export interface FeedbackNoteView {
  id: number;
  text: string;
  createdAt: Date;
  authorName: string | null;
}

export interface ReviewerChoice {
  id: number;
  fullName: string;
}

/**
 * The reviewers' own work on an item, which its author never sees: internal notes, and which
 * reviewer of the item's subtree has taken it on. Every call checks that the viewer reviews the
 * item, with the same rule and the same "not found" as the chat's.
 */
export function createFeedbackDeskService(deps: { db: Db }) {
  const { db } = deps;

  async function itemFor(id: number, viewer: FeedbackViewer) {
    const item = await db.feedback.findUnique({
      where: { id }, select: { id: true, reference: true, anonymous: true, authorId: true, assigneeId: true, photoRef: true, cell: { select: { path: true } } },
    });
    if (!item) throw new DomainError("feedback:notFound", { value: `#${id}` });
    await assertCanReview(db, viewer, item.cell.path, `#${id}`);
    return item;
  }

  /** Members still active who review a subtree holding the item: those it may be assigned to. */
  async function reviewersOf(cellPath: string): Promise<ReviewerChoice[]> {
    const members = await db.member.findMany({
      where: { deactivatedAt: null, erasedAt: null, roles: { some: { role: REVIEWER_ROLE, organizationId: { in: pathIds(cellPath) } } } },
      select: { id: true, fullName: true },
    });
    return members.sort((a, b) => a.fullName.localeCompare(b.fullName, "vi") || a.id - b.id);
  }

  async function notes(id: number, viewer: FeedbackViewer): Promise<FeedbackNoteView[]> {
    const item = await itemFor(id, viewer);
    const rows = await db.feedbackNote.findMany({ where: { feedbackId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    // An anonymous author who also reviews would be named by their own note: such a note names nobody.
    const authorIds = [...new Set(rows.map((r) => r.authorId).filter((a): a is number => a !== null && !(item.anonymous && a === item.authorId)))];
    const authors = authorIds.length ? await db.member.findMany({ where: { id: { in: authorIds } }, select: { id: true, fullName: true } }) : [];
    const nameOf = new Map(authors.map((a) => [a.id, a.fullName]));
    return rows.map((r) => ({ id: r.id, text: r.text, createdAt: r.createdAt, authorName: r.authorId === null ? null : nameOf.get(r.authorId) ?? null }));
  }

  async function addNote(id: number, text: string, viewer: FeedbackViewer, now: Date): Promise<{ id: number }> {
    const clean = cleanFeedbackText(text);
    if (clean === "") throw new DomainError("consoleFeedback:noteRequired");
    const length = [...clean].length;
    if (length > MAX_NOTE_LENGTH) throw new DomainError("feedback:noteTooLong", { length, max: MAX_NOTE_LENGTH });
    const item = await itemFor(id, viewer);
    return db.$transaction(async (tx) => {
      const note = await tx.feedbackNote.create({ data: { feedbackId: id, authorId: viewer.memberId, text: clean, createdAt: now } });
      await audit(tx, now, { actor: actorOf(viewer), action: "create", subjectType: "FeedbackNote", subjectId: note.id, detail: item.reference });
      return { id: note.id };
    });
  }

  /** Who has the item now, and whom it may be given to. */
  async function assignment(id: number, viewer: FeedbackViewer): Promise<{ assignee: ReviewerChoice | null; reviewers: ReviewerChoice[] }> {
    const item = await itemFor(id, viewer);
    const reviewers = await reviewersOf(item.cell.path);
    const assignee = item.assigneeId === null ? null
      : reviewers.find((r) => r.id === item.assigneeId)
        ?? (await db.member.findUnique({ where: { id: item.assigneeId }, select: { id: true, fullName: true } }));
    return { assignee, reviewers };
  }

  /** Gives the item to a reviewer of its subtree, or to nobody (null). */
  async function assign(id: number, assigneeId: number | null, viewer: FeedbackViewer, now: Date): Promise<void> {
    const item = await itemFor(id, viewer);
    if (assigneeId !== null && !(await reviewersOf(item.cell.path)).some((r) => r.id === assigneeId)) {
      throw new DomainError("consoleFeedback:notAReviewer");
    }
    if (item.assigneeId === assigneeId) return;
    await db.$transaction(async (tx) => {
      await tx.feedback.update({ where: { id }, data: { assigneeId } });
      const detail = `${item.reference}: ${assigneeId === null ? "unassigned" : `assigned to #${assigneeId}`}`;
      await audit(tx, now, { actor: actorOf(viewer), action: "update", subjectType: "Feedback", subjectId: id, detail });
    });
  }

  /** The reference of the photo that came with the item (null: none), for a reviewer of it; logged as read. */
  async function photoRef(id: number, viewer: FeedbackViewer, now: Date): Promise<string | null> {
    const item = await itemFor(id, viewer);
    if (item.photoRef !== null) await auditRead(db, now, actorOf(viewer), { subjectType: "Feedback", subjectId: id, detail: `${item.reference}: photo` });
    return item.photoRef;
  }

  return { notes, addNote, assignment, assign, photoRef };
}

export type FeedbackDeskService = ReturnType<typeof createFeedbackDeskService>;
