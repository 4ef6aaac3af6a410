import type { Outbox } from "../delivery/outbox.ts";
import type { AddresseeEntry } from "../domain/addressees.ts";
import { DomainError } from "../domain/errors.ts";
import type { FeedbackCategory, FeedbackStatus } from "../domain/feedback.ts";
import type { Translator } from "../i18n.ts";
import type { Db } from "../storage/database.ts";
import { createFeedbackActions } from "./feedbackActions.ts";
import { createFeedbackDigests } from "./feedbackDigest.ts";
import { submitFeedback, type SubmitFeedbackInput } from "./feedbackSubmit.ts";
import { viewFeedback } from "./feedbackView.ts";
import type { FeedbackPhotos } from "./feedbackPhotos.ts";
import { digestWorkbook } from "./feedbackWorkbook.ts";
import { loadOrgIndex } from "./orgIndex.ts";
import { findReviewable, type FeedbackViewer } from "./feedbackAccess.ts";

export { thisWeek } from "../domain/feedbackDigest.ts";
export type { FeedbackDigest, DigestItem, Period } from "../domain/feedbackDigest.ts";
export type { FeedbackViewer, ReviewableMatch } from "./feedbackAccess.ts";
export type { FeedbackDetail, FeedbackHistoryEntry } from "./feedbackView.ts";
export type { FeedbackExportItem, DigestRequest } from "./feedbackDigest.ts";
export type { ActOptions, ActResult, AnswerPreview } from "./feedbackActions.ts";
export { digestFileName, XLSX_MIME_TYPE } from "./feedbackWorkbook.ts";

/** One of a member's own items, as they may always see it, anonymous or not. */
export interface MyFeedback {
  id: number;
  reference: string;
  status: FeedbackStatus;
  category: FeedbackCategory;
  addressee: string;
  createdAt: Date;
  answer: string | null;
}

/**
 * "Phản ánh, góp ý": members submit, reviewers of a subtree read and move items along, committees
 * get digests. Needs the outbox because an answer goes back to its author's chats.
 */
export function createFeedbackService(deps: { db: Db; outbox: Outbox; translator: Translator; photos?: FeedbackPhotos }) {
  const { db } = deps;
  const actions = createFeedbackActions(deps);
  const digests = createFeedbackDigests({ db });

  async function listMine(memberId: number): Promise<MyFeedback[]> {
    const rows = await db.feedback.findMany({
      where: { authorId: memberId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, reference: true, status: true, category: true, addressee: true, createdAt: true, answer: true },
    });
    return rows.map((r) => ({ ...r, status: r.status as FeedbackStatus, category: r.category as FeedbackCategory }));
  }

  /** The addressees a member may write to (their cell's list) and the unit that names them. */
  async function addresseesFor(memberId: number): Promise<{ entries: AddresseeEntry[]; unitKind: string | null }> {
    const member = await db.member.findUnique({ where: { id: memberId }, select: { cell: true } });
    if (!member) throw new DomainError("member:notFound", { value: `#${memberId}` });
    const index = await loadOrgIndex(db, [member.cell]);
    return { entries: index.settings(member.cell.id).addressees, unitKind: index.unitKind(member.cell.id) };
  }

  return {
    addresseesFor,
    // A photo the platform could not give when it came is tried once more before the item is stored.
    submit: async (input: SubmitFeedbackInput) => {
      const photoRef = deps.photos ? await deps.photos.settle(input.photoRef ?? null, input.now) : input.photoRef ?? null;
      return submitFeedback(db, { ...input, photoRef });
    },
    listMine,
    view: (id: number, viewer: FeedbackViewer, now: Date) => viewFeedback(db, id, viewer, now),
    /** The items with this reference the viewer reviews (references are numbered per top organization). */
    findByReference: (reference: string, viewer: FeedbackViewer) => findReviewable(db, viewer, reference),
    act: actions.act,
    queueAnswer: actions.queueAnswer,
    previewAnswer: actions.previewAnswer,
    digest: digests.digest,
    digestItems: digests.digestItems,
    digestWorkbook,
    /** The photos sent with feedback; absent where nothing keeps them (the platform's reference is stored then). */
    photos: deps.photos,
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
