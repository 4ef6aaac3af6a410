import type { TFunction } from "i18next";
import type { Button, OutboundMessage } from "../../channels/types.ts";
import { allowedActions, FEEDBACK_STATUSES, isOverdue, type FeedbackActionKind } from "../../domain/feedback.ts";
import { excerpt, thisWeek, type DigestItem, type FeedbackDigest, type Period } from "../../domain/feedbackDigest.ts";
import { addMonths, formatDisplayDate, formatDisplayDateTime, fromLocal, localDateOf, toLocal } from "../../domain/localTime.ts";
import { addresseeLabel } from "../../services/addresseeLabel.ts";
import type { FeedbackDetail } from "../../services/feedback.ts";

/**
 * What reviewers read in the chat: the digest of a period and one item with its actions. Pure
 * (text and buttons from data); no author is ever written in a digest, and an item names its
 * author only when it is signed. Both quote members' texts, so their stored copies are forgotten
 * once sent.
 */

export const PERIODS = ["week", "lastweek", "month"] as const;
export type PeriodKey = (typeof PERIODS)[number];
export const isPeriodKey = (value: unknown): value is PeriodKey => PERIODS.includes(value as PeriodKey);

const MS_PER_WEEK = 7 * 86_400_000;
/** The digest lists at most this many overdue items and cells; the .xlsx has them all. */
const SHOWN_OVERDUE = 5;
const SHOWN_CELLS = 10;
/** An item view stays under the chat's text budget (cutting the item's text), a digest too (listing fewer items). */
const DEFAULT_TEXT_BUDGET = 3900;
const HISTORY_NOTE_LENGTH = 200;
const ANSWER_SHOWN = 600;

/** Buttons that open an item, and those that act on it, carry the item id (and the status seen). */
export const openPayload = (id: number) => `rv:o:${id}`;
export const actionPayload = (action: FeedbackActionKind, id: number, status: string) => `rv:a:${action}:${id}:${status}`;
export const digestPayload = (period: PeriodKey, orgId: number) => `th:${period}:${orgId}`;

/** This week (Monday–Sunday), last week or this month, in Vietnam time, as of `now`. */
export function periodOf(key: PeriodKey, now: Date): Period {
  const week = thisWeek(now);
  if (key === "week") return week;
  if (key === "lastweek") return { from: new Date(week.from.getTime() - MS_PER_WEEK), to: week.from };
  const { year, month } = toLocal(now);
  const next = addMonths(year, month, 1);
  return { from: fromLocal({ year, month, day: 1, hour: 0, minute: 0 }), to: fromLocal({ ...next, day: 1, hour: 0, minute: 0 }) };
}

const day = (instant: Date) => formatDisplayDate(localDateOf(instant));
const countList = (t: TFunction, entries: [string, number][]) => entries.map(([label, count]) => t("review:countItem", { label, count })).join("; ");

export function digestMessage(t: TFunction, digest: FeedbackDigest, period: PeriodKey, budget = DEFAULT_TEXT_BUDGET): OutboundMessage {
  const lastDay = new Date(digest.period.to.getTime() - 1);
  const lines = [
    t("review:digestTitle", { organization: digest.organization.name }),
    t(`review:period_${period}`, { from: day(digest.period.from), to: day(lastDay) }),
    "",
  ];
  if (digest.total === 0) {
    lines.push(t("review:digestEmpty"));
  } else {
    lines.push(t("review:digestTotal", { count: digest.total }));
    const statuses = FEEDBACK_STATUSES.filter((s) => digest.byStatus[s] > 0).map((s): [string, number] => [t(`feedback:status_${s}`), digest.byStatus[s]]);
    lines.push(t("review:digestByStatus", { list: countList(t, statuses) }));
    const cells = digest.byCell.slice(0, SHOWN_CELLS).map((c): [string, number] => [c.cellName, c.count]);
    const moreCells = digest.byCell.length - SHOWN_CELLS;
    lines.push(t("review:digestByCell", { list: countList(t, cells) }) + (moreCells > 0 ? ` ${t("review:digestMoreCells", { count: moreCells })}` : ""));
    const addressees = digest.byAddressee.map((a): [string, number] => [addresseeLabel(t, { addressee: a.key, agencyName: a.name }, digest.unitKind), a.count]);
    lines.push(t("review:digestByAddressee", { list: countList(t, addressees) }));
  }
  lines.push("");
  const overdue = digest.overdue.slice(0, SHOWN_OVERDUE);
  if (digest.overdue.length === 0) {
    lines.push(t("review:digestOverdueNone"));
  } else {
    lines.push(t("review:digestOverdue", { count: digest.overdue.length }), ...overdue.map((item) => overdueLine(t, item)));
    if (digest.overdue.length > SHOWN_OVERDUE) lines.push(t("review:digestOverdueMore", { count: digest.overdue.length - SHOWN_OVERDUE }));
  }
  // Long cell names could push ten lines past one message: the oldest of the newest go first.
  const newestLines = digest.newest.map((item) => newestLine(t, item));
  const hint = t("review:digestHint");
  const fixed = [...lines, "", t("review:digestNewest"), "", hint].join("\n").length;
  while (newestLines.length > 1 && fixed + newestLines.join("\n").length > budget) newestLines.pop();
  const newest = digest.newest.slice(0, newestLines.length);
  if (newest.length > 0) lines.push("", t("review:digestNewest"), ...newestLines);

  const items = [...newest, ...overdue].filter((item, i, all) => all.findIndex((o) => o.id === item.id) === i);
  if (items.length > 0) lines.push("", hint);
  const buttons: Button[][] = [];
  items.forEach((item, i) => {
    if (i % 2 === 0) buttons.push([]);
    buttons.at(-1)!.push({ label: item.reference, payload: openPayload(item.id) });
  });
  buttons.push(PERIODS.filter((p) => p !== period).map((p) => ({ label: t(`review:button_${p}`), payload: digestPayload(p, digest.organization.id) })));
  return { text: lines.join("\n"), buttons, forgetText: true };
}

function newestLine(t: TFunction, item: DigestItem): string {
  return t("review:digestLine", {
    reference: item.reference,
    date: day(item.createdAt),
    cell: item.cellName,
    category: t(`feedback:category_${item.category}`),
    status: t(`feedback:status_${item.status}`),
    excerpt: item.excerpt,
  });
}

function overdueLine(t: TFunction, item: DigestItem): string {
  return t("review:digestOverdueLine", {
    reference: item.reference,
    due: item.dueAt ? day(item.dueAt) : "",
    cell: item.cellName,
    category: t(`feedback:category_${item.category}`),
    status: t(`feedback:status_${item.status}`),
    excerpt: item.excerpt,
  });
}

/** One item for a reviewer, with a button for every action its status allows. */
export function itemView(t: TFunction, item: FeedbackDetail, now: Date, budget = DEFAULT_TEXT_BUDGET): OutboundMessage {
  const addressee = addresseeLabel(t, item, item.unitKind);
  const head = [
    t("review:viewTitle", { reference: item.reference }),
    t("review:viewDate", { date: formatDisplayDateTime(item.createdAt) }),
    t("review:viewCell", { cell: item.cell.name }),
    t("review:viewAddressee", { addressee }),
    t("review:viewCategory", { category: t(`feedback:category_${item.category}`) }),
    t("review:viewStatus", { status: t(`feedback:status_${item.status}`) }),
    ...(item.dueAt ? [t(isOverdue(item, now) ? "review:viewDueOverdue" : "review:viewDue", { due: day(item.dueAt) })] : []),
    // The service leaves `author` empty for an anonymous item; the flag is checked here again.
    item.anonymous || !item.author ? t("review:viewAnonymous") : t("review:viewAuthor", { name: item.author.name, cell: item.author.cellName }),
    ...(item.photoRef ? [t("review:viewPhoto")] : []),
  ];
  const tail: string[] = [];
  if (item.answer) tail.push("", t("review:viewAnswer", { date: item.answeredAt ? day(item.answeredAt) : "", answer: cut(item.answer, ANSWER_SHOWN) }));
  tail.push("", t("review:viewHistory"), ...item.history.map((entry) => {
    const at = formatDisplayDateTime(entry.at);
    const to = t(`feedback:status_${entry.toStatus}`);
    // The submission names nobody: the author is shown above only when the item is signed.
    if (entry.fromStatus === null) return t("review:historySubmitted", { at, status: to });
    const by = entry.actorName ? t("review:historyBy", { name: entry.actorName }) : "";
    const note = entry.note ? t("review:historyNote", { note: excerpt(entry.note, HISTORY_NOTE_LENGTH) }) : "";
    return t("review:historyLine", { at, from: t(`feedback:status_${entry.fromStatus}`), to, by, note });
  }));
  const actions = allowedActions(item.status);
  if (actions.length === 0) tail.push("", t("review:viewSettled"));

  const fixed = head.join("\n").length + tail.join("\n").length + 20;
  const textBody = fitText(t, item.text, budget - fixed);
  const text = [...head, "", t("review:viewText", { text: textBody }), ...tail].join("\n");

  const buttons: Button[][] = [];
  actions.forEach((action, i) => {
    if (i % 2 === 0) buttons.push([]);
    buttons.at(-1)!.push({ label: t(`review:button_${action}`), payload: actionPayload(action, item.id, item.status) });
  });
  buttons.push([{ label: t("review:button_refresh"), payload: openPayload(item.id) }]);
  return { text, buttons, forgetText: true };
}

/** Gửi / Sửa / Hủy under an answer waiting to go. */
export function previewButtons(t: TFunction): Button[][] {
  return [[
    { label: t("review:button_send"), payload: "rv:send" },
    { label: t("review:button_edit"), payload: "rv:edit" },
    { label: t("review:button_cancel"), payload: "rv:cancel" },
  ]];
}

/**
 * An answer shown to the reviewer as its author will read it (in the reviewer's language, which
 * says nothing of an anonymous author). A long one is cut to the chat's budget, saying so.
 */
export function answerPreview(
  t: TFunction, item: { reference: string; text: string }, answer: string, budget = DEFAULT_TEXT_BUDGET,
): OutboundMessage {
  const intro = t("review:previewAnswer", { reference: item.reference });
  const message = (shown: string) => t("feedback:answerMessage", { reference: item.reference, excerpt: excerpt(item.text), answer: shown });
  let text = [intro, message(answer)].join("\n\n");
  if (text.length > budget) {
    const note = t("review:previewCut", { length: [...answer].length });
    const room = budget - [intro, message(""), note].join("\n\n").length - 1;
    text = [intro, message(cut(answer, Math.max(0, room))), note].join("\n\n");
  }
  // It quotes the member's item: the stored copy is forgotten once sent.
  return { text, buttons: previewButtons(t), forgetText: true };
}

/** The first `length` characters, line breaks kept, with an ellipsis when cut. */
function cut(text: string, length: number): string {
  const chars = [...text];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : text;
}

function fitText(t: TFunction, text: string, budget: number): string {
  const chars = [...text];
  if (chars.length <= budget) return text;
  const where = t("review:viewTextCut");
  return `${chars.slice(0, Math.max(0, budget - [...where].length - 2)).join("")}… ${where}`;
}
