import { searchKey } from "../domain/text.ts";
import { DomainError } from "../domain/errors.ts";
import { checkFeedback, feedbackDueAt, type FeedbackDraft } from "../domain/feedback.ts";
import type { Db } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";
import { takeReference, topOrganizationOf } from "./feedbackReference.ts";
import { loadOrgIndex } from "./orgIndex.ts";

/** Tries before giving up when another submission took the same reference at the same moment. */
export const REFERENCE_ATTEMPTS = 5;

export interface SubmitFeedbackInput extends FeedbackDraft {
  authorId: number;
  anonymous: boolean;
  now: Date;
}

/**
 * Stores a member's feedback with the next reference of its top organization's year and its first
 * event, in one transaction. The author is kept even when anonymous (so the answer can reach them)
 * but the first event names no actor then: the history is shown to reviewers.
 */
export async function submitFeedback(db: Db, input: SubmitFeedbackInput): Promise<{ id: number; reference: string }> {
  const author = await db.member.findUnique({ where: { id: input.authorId }, select: { id: true, cellId: true, cell: { select: { id: true, path: true } } } });
  if (!author) throw new DomainError("member:notFound", { value: `#${input.authorId}` });
  // The addressees and the answer deadline (working days, default 10, counting the days off) are
  // those that apply to the author's cell.
  const index = await loadOrgIndex(db, [author.cell]);
  const settings = index.settings(author.cellId);
  const checked = checkFeedback(input, settings.addressees);
  const anonymous = input.anonymous === true;
  const dueAt = feedbackDueAt(input.now, settings.schedule.answerDeadlineWorkingDays, index.isDayOff(author.cellId));
  const topOrganizationId = topOrganizationOf(author.cell);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        // The number is taken first: its counter's write holds off any other submission until we commit.
        const reference = await takeReference(tx, topOrganizationId, input.now, { resync: attempt > 1 });
        const created = await tx.feedback.create({
          data: {
            reference,
            topOrganizationId,
            authorId: author.id,
            anonymous,
            cellId: author.cellId,
            ...checked,
            searchText: searchKey(checked.text),
            status: "submitted",
            dueAt,
            createdAt: input.now,
          },
          select: { id: true },
        });
        await tx.feedbackEvent.create({
          data: { feedbackId: created.id, fromStatus: null, toStatus: "submitted", actorId: anonymous ? null : author.id, note: null, at: input.now },
        });
        return { id: created.id, reference };
      });
    } catch (error) {
      // Two first submissions of a year at once on PostgreSQL both create the counter, or a counter
      // fell behind the stored references (restored from an older copy, say): the unique index
      // refuses the second, which tries again, the counter moved past what is stored.
      if (!isUniqueViolation(error) || attempt >= REFERENCE_ATTEMPTS) throw error;
    }
  }
}
