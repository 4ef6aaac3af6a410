import { randomUUID } from "node:crypto";
import { DomainError } from "../domain/errors.ts";
import { pathIds } from "../domain/organization.ts";
import { checkFeedback, feedbackDueAt, formatReference, referencePrefix, referenceSequence, referenceYear, type FeedbackDraft } from "../domain/feedback.ts";
import type { Db, Tx } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";
import { loadOrgIndex } from "./orgIndex.ts";

/** Tries before giving up when another submission took the same reference at the same moment. */
export const REFERENCE_ATTEMPTS = 5;

export interface SubmitFeedbackInput extends FeedbackDraft {
  authorId: number;
  anonymous: boolean;
  now: Date;
}

/**
 * Stores a member's feedback with the next reference of the year and its first event, in one
 * transaction. The author is kept even when anonymous (so the answer can reach them) but the
 * first event names no actor then: the history is shown to reviewers.
 */
export async function submitFeedback(db: Db, input: SubmitFeedbackInput): Promise<{ id: number; reference: string }> {
  const author = await db.member.findUnique({ where: { id: input.authorId }, select: { id: true, cellId: true, cell: { select: { path: true } } } });
  if (!author) throw new DomainError("member:notFound", { value: `#${input.authorId}` });
  // The addressees and the answer deadline (working days, default 10, counting the days off) are
  // those that apply to the author's cell.
  const index = await loadOrgIndex(db, [author.cell]);
  const settings = index.settings(author.cellId);
  const checked = checkFeedback(input, settings.addressees);
  const anonymous = input.anonymous === true;
  const dueAt = feedbackDueAt(input.now, settings.schedule.answerDeadlineWorkingDays, index.isDayOff(author.cellId));
  const topOrganizationId = pathIds(author.cell.path)[0] ?? author.cellId;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        // Write before reading the last reference: on SQLite the first write takes the database's
        // write lock, so no other writer can pick the same number between our read and our update.
        const created = await tx.feedback.create({
          data: {
            reference: `pending:${randomUUID()}`,
            topOrganizationId,
            authorId: author.id,
            anonymous,
            cellId: author.cellId,
            ...checked,
            status: "submitted",
            dueAt,
            createdAt: input.now,
          },
          select: { id: true },
        });
        const reference = await nextReference(tx, topOrganizationId, input.now);
        await tx.feedback.update({ where: { id: created.id }, data: { reference } });
        await tx.feedbackEvent.create({
          data: { feedbackId: created.id, fromStatus: null, toStatus: "submitted", actorId: anonymous ? null : author.id, note: null, at: input.now },
        });
        return { id: created.id, reference };
      });
    } catch (error) {
      // On databases without a single writer (PostgreSQL) two submissions may still pick the
      // same number; the unique index refuses the second, which simply tries again.
      if (!isUniqueViolation(error) || attempt >= REFERENCE_ATTEMPTS) throw error;
    }
  }
}

async function nextReference(tx: Tx, topOrganizationId: number, now: Date): Promise<string> {
  const year = referenceYear(now);
  // Six zero-padded digits sort as text, so the greatest reference holds the greatest number.
  const last = await tx.feedback.findFirst({
    where: { topOrganizationId, reference: { startsWith: referencePrefix(year) } },
    orderBy: { reference: "desc" },
    select: { reference: true },
  });
  return formatReference(year, referenceSequence(last?.reference, year) + 1);
}
