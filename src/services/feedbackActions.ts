import type { Outbox } from "../delivery/outbox.ts";
import { DomainError } from "../domain/errors.ts";
import type { TFunction } from "i18next";
import { checkAction, nextStatus, type FeedbackAction, type FeedbackStatus } from "../domain/feedback.ts";
import { excerpt } from "../domain/feedbackDigest.ts";
import { isLanguage, type Language, type Translator } from "../i18n.ts";
import type { Db, DbClient } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { actorOf, assertCanReview, type FeedbackViewer } from "./feedbackAccess.ts";

export interface ActResult {
  id: number;
  reference: string;
  fromStatus: FeedbackStatus;
  status: FeedbackStatus;
  /** For an answer: messages queued to the author's chats. */
  answersQueued: number;
}

export interface ActOptions {
  /**
   * The status the reviewer saw when they chose the action (a form's hidden field): when the item
   * has moved on since, nothing is done and the refusal says where it is now.
   */
  expectStatus?: string;
}

/** The answer as its author reads it: the same words whether it is previewed or sent. */
export function answerMessageText(t: TFunction, item: { reference: string; text: string }, answer: string): string {
  return t("feedback:answerMessage", { reference: item.reference, excerpt: excerpt(item.text), answer });
}

/** An answer checked and shown before it goes; nothing is stored. */
export interface AnswerPreview {
  id: number;
  reference: string;
  status: FeedbackStatus;
  /** The answer as it will be stored and sent. */
  answer: string;
  /** The message the author's chats will get. */
  message: string;
  /** Shown in the reviewer's language then, not the author's. */
  anonymous: boolean;
}

/**
 * Moves an item along its lifecycle for a reviewer of its subtree. The change, its event, its
 * audit entry and (for an answer) the messages to the author are one transaction, applied only if
 * the status is still the one the rule was checked against, so two reviewers acting at once cannot
 * both move it, and an answer is never stored without being on its way to the member.
 */
export function createFeedbackActions(deps: { db: Db; outbox: Outbox; translator: Translator }) {
  const { db, outbox, translator } = deps;

  async function act(id: number, action: FeedbackAction, viewer: FeedbackViewer, now: Date, options: ActOptions = {}): Promise<ActResult> {
    const checked = checkAction(action);
    const item = await db.feedback.findUnique({ where: { id }, select: { id: true, reference: true, status: true, cell: { select: { path: true } } } });
    if (!item) throw new DomainError("feedback:notFound", { value: `#${id}` });
    await assertCanReview(db, viewer, item.cell.path, `#${id}`);
    if (options.expectStatus !== undefined && options.expectStatus !== item.status) {
      throw new DomainError("feedback:changedMeanwhile", { status: item.status }, `Feedback ${item.reference} changed meanwhile`);
    }
    const from = item.status as FeedbackStatus;
    const to = nextStatus(from, checked.kind);
    const answersQueued = await db.$transaction(async (tx) => {
      const answer = checked.answer === undefined ? {} : { answer: checked.answer, answeredById: viewer.memberId, answeredAt: now };
      const moved = await tx.feedback.updateMany({ where: { id, status: from }, data: { status: to, ...answer } });
      if (moved.count !== 1) {
        const current = await tx.feedback.findUnique({ where: { id }, select: { status: true } });
        throw new DomainError("feedback:changedMeanwhile", { status: current?.status ?? from }, `Feedback ${item.reference} changed meanwhile`);
      }
      await tx.feedbackEvent.create({ data: { feedbackId: id, fromStatus: from, toStatus: to, actorId: viewer.memberId, note: checked.note, at: now } });
      await audit(tx, now, { actor: actorOf(viewer), action: "update", subjectType: "Feedback", subjectId: id, detail: `${item.reference}: ${from} → ${to}` });
      return to === "answered" ? queueAnswer(id, tx) : 0;
    });
    return { id, reference: item.reference, fromStatus: from, status: to, answersQueued };
  }

  /**
   * Queues an item's answer to every reachable chat of its author, in the author's language.
   * Anonymous items too: only the system knows the author. Safe to call again. In the caller's
   * transaction when given one.
   */
  async function queueAnswer(id: number, client: DbClient = db): Promise<number> {
    const item = await client.feedback.findUnique({ where: { id }, select: { id: true, reference: true, text: true, answer: true, authorId: true } });
    if (!item?.answer || item.authorId === null) return 0;
    const author = await client.member.findUnique({ where: { id: item.authorId }, select: { id: true, language: true, identities: { where: { reachable: true } } } });
    if (!author || author.identities.length === 0) return 0;
    const text = answerMessageText(translator.t(isLanguage(author.language) ? author.language : "vi"), item, item.answer);
    const { queued } = await outbox.enqueue(author.identities.map((identity) => ({
      dedupeKey: `feedback-answer:${item.id}:${identity.id}`,
      channel: identity.channel,
      chatId: identity.chatId,
      memberId: author.id,
      // It quotes the item: the stored copy goes once sent, not kept next to the author's id.
      message: { text, forgetText: true },
    })), undefined, client);
    return queued;
  }

  /**
   * The answer checked as `act` will check it, and the message its author will get, for the
   * reviewer to read before it goes. A signed item's message is in its author's language; an
   * anonymous one's in the reviewer's (`language`), since the author's would say something of who
   * wrote it. Refused like the answer itself when the item may no longer be answered.
   */
  async function previewAnswer(id: number, text: string, viewer: FeedbackViewer, language: Language): Promise<AnswerPreview> {
    const checked = checkAction({ kind: "answer", text });
    const item = await db.feedback.findUnique({
      where: { id },
      select: { id: true, reference: true, status: true, text: true, anonymous: true, authorId: true, cell: { select: { path: true } } },
    });
    if (!item) throw new DomainError("feedback:notFound", { value: `#${id}` });
    await assertCanReview(db, viewer, item.cell.path, `#${id}`);
    nextStatus(item.status, "answer");
    const author = !item.anonymous && item.authorId !== null
      ? await db.member.findUnique({ where: { id: item.authorId }, select: { language: true } })
      : null;
    const shownIn = author ? (isLanguage(author.language) ? author.language : "vi") : language;
    const answer = checked.answer!;
    const message = answerMessageText(translator.t(shownIn), item, answer);
    return { id, reference: item.reference, status: item.status as FeedbackStatus, answer, message, anonymous: item.anonymous };
  }

  return { act, queueAnswer, previewAnswer };
}
