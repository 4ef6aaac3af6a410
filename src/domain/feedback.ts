import { AGENCY, findAddressee, type AddresseeEntry } from "./addressees.ts";
import { DomainError } from "./errors.ts";
import { addDays, formatIsoDate, localDateOf, toLocal, weekdayOf } from "./localTime.ts";
import { cleanText, stripControls } from "./text.ts";

/**
 * "Phản ánh, góp ý": what a member may write about, to whom (addressees.ts), and the life of an
 * item from submission to its answer. Pure rules; time comes in as an argument.
 */
export const CATEGORIES = ["economy", "land", "environment", "health_education", "security", "cadres", "other"] as const;
export type FeedbackCategory = (typeof CATEGORIES)[number];

export const FEEDBACK_STATUSES = ["submitted", "under_review", "forwarded", "answered", "closed", "rejected"] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const FEEDBACK_ACTIONS = ["review", "forward", "answer", "close", "reject"] as const;
export type FeedbackActionKind = (typeof FEEDBACK_ACTIONS)[number];

/** Statuses in which nobody owes the author anything more. */
export const SETTLED_STATUSES: readonly FeedbackStatus[] = ["answered", "closed", "rejected"];

/** How long the committee has to answer, in working days from submission; any organization may change it for its subtree. */
export const FEEDBACK_DUE_WORKING_DAYS = 10;
export const MAX_FEEDBACK_TEXT_LENGTH = 3000;
export const MAX_AGENCY_NAME_LENGTH = 200;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_PHOTO_REF_LENGTH = 500;
export const REFERENCE_PREFIX = "GY";

const MS_PER_DAY = 86_400_000;

/**
 * Which action moves an item from which status, and where to. Nothing leaves "closed" or
 * "rejected"; an answered item can only be closed; an item handed to an agency is answered
 * once the agency's reply comes back through the committee.
 */
export const LIFECYCLE: Readonly<Record<FeedbackStatus, Partial<Record<FeedbackActionKind, FeedbackStatus>>>> = {
  submitted: { review: "under_review", forward: "forwarded", answer: "answered", reject: "rejected" },
  under_review: { forward: "forwarded", answer: "answered", reject: "rejected" },
  forwarded: { answer: "answered" },
  answered: { close: "closed" },
  closed: {},
  rejected: {},
};

export const isCategory = (value: unknown): value is FeedbackCategory => CATEGORIES.includes(value as FeedbackCategory);
export const isFeedbackStatus = (value: unknown): value is FeedbackStatus => FEEDBACK_STATUSES.includes(value as FeedbackStatus);

export interface FeedbackDraft {
  addressee: string;
  agencyName?: string | null;
  category: string;
  text: string;
  photoRef?: string | null;
}

export interface CheckedFeedback {
  addressee: string;
  agencyName: string | null;
  category: FeedbackCategory;
  text: string;
  photoRef: string | null;
}

/**
 * Accepts a member's feedback in the form we store, or throws saying what is wrong with it. The
 * addressee must be on the list that applies to the member's cell; an organization's own entry
 * is stored with its name, so the item keeps it if the list changes later.
 */
export function checkFeedback(draft: FeedbackDraft, addressees: readonly AddresseeEntry[]): CheckedFeedback {
  if (!isCategory(draft.category)) {
    throw new DomainError("feedback:unknownCategory", { value: String(draft.category) }, `Unknown feedback category ${String(draft.category)}`);
  }
  const entry = typeof draft.addressee === "string" ? findAddressee(addressees, draft.addressee) : null;
  if (!entry) {
    throw new DomainError("feedback:unknownAddressee", { value: String(draft.addressee) }, `Unknown feedback addressee ${String(draft.addressee)}`);
  }
  const agencyName = entry.key === AGENCY ? checkAgencyName(draft.agencyName) : entry.name ?? null;
  const text = cleanFeedbackText(draft.text);
  if (text === "") throw new DomainError("feedback:textRequired", {}, "Feedback needs a text");
  const length = [...text].length;
  if (length > MAX_FEEDBACK_TEXT_LENGTH) {
    throw new DomainError("feedback:textTooLong", { length, max: MAX_FEEDBACK_TEXT_LENGTH },
      `Feedback may be at most ${MAX_FEEDBACK_TEXT_LENGTH} characters; got ${length}`);
  }
  const photoRef = typeof draft.photoRef === "string" && draft.photoRef.trim() !== "" ? draft.photoRef.trim() : null;
  if (photoRef !== null && photoRef.length > MAX_PHOTO_REF_LENGTH) {
    throw new DomainError("feedback:photoRefTooLong", { max: MAX_PHOTO_REF_LENGTH }, "The photo reference is too long");
  }
  return { addressee: entry.key, agencyName, category: draft.category, text, photoRef };
}

export function checkAgencyName(value: string | null | undefined): string {
  const name = typeof value === "string" ? cleanText(value) : "";
  if (name === "") throw new DomainError("feedback:agencyNameRequired", {}, "Feedback to an agency needs the agency's name");
  if ([...name].length > MAX_AGENCY_NAME_LENGTH) {
    throw new DomainError("feedback:agencyNameTooLong", { max: MAX_AGENCY_NAME_LENGTH }, `An agency name may be at most ${MAX_AGENCY_NAME_LENGTH} characters`);
  }
  return name;
}

/**
 * NFC, trimmed, without control characters or bidi overrides, with line breaks kept (people write
 * paragraphs) but runs of blank lines and spaces collapsed.
 */
export function cleanFeedbackText(text: unknown): string {
  if (typeof text !== "string") return "";
  return stripControls(text.normalize("NFC"))
    .replace(/\r\n?/g, "\n")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * When the answer is due: `workingDays` working days later at the same time of day. A working day
 * is Monday to Friday (Vietnam time) and not a day off (`isDayOff`, given "YYYY-MM-DD": the
 * statutory and local holidays that apply to the author's cell).
 */
export function feedbackDueAt(submittedAt: Date, workingDays = FEEDBACK_DUE_WORKING_DAYS, isDayOff: (isoDate: string) => boolean = () => false): Date {
  let day = localDateOf(submittedAt);
  let left = workingDays;
  let days = 0;
  while (left > 0) {
    day = addDays(day, 1);
    days += 1;
    if (weekdayOf(day) <= 5 && !isDayOff(formatIsoDate(day))) left -= 1;
  }
  return new Date(submittedAt.getTime() + days * MS_PER_DAY);
}

/** "GY-2026-000042": the year is the local (Vietnam) year of submission. */
export function formatReference(year: number, sequence: number): string {
  return `${referencePrefix(year)}${String(sequence).padStart(6, "0")}`;
}

export function referencePrefix(year: number): string {
  return `${REFERENCE_PREFIX}-${year}-`;
}

export function referenceYear(at: Date): number {
  return toLocal(at).year;
}

/** The sequence number in a reference of the given year, or 0 for none. */
export function referenceSequence(reference: string | null | undefined, year: number): number {
  const prefix = referencePrefix(year);
  if (!reference?.startsWith(prefix)) return 0;
  const n = Number(reference.slice(prefix.length));
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** True when the item is still owed an answer after its due time. */
export function isOverdue(item: { status: string; dueAt: Date | null }, now: Date): boolean {
  return !SETTLED_STATUSES.includes(item.status as FeedbackStatus) && item.dueAt !== null && item.dueAt.getTime() < now.getTime();
}

/** What a reviewer does to an item, with what each action needs. */
export type FeedbackAction =
  | { kind: "review"; note?: string }
  | { kind: "forward"; agencyName: string; note?: string }
  | { kind: "answer"; text: string }
  | { kind: "close"; note?: string }
  | { kind: "reject"; reason: string };

/** The status an action leads to from the current one, or a refusal naming the current status. */
export function nextStatus(current: string, action: FeedbackActionKind): FeedbackStatus {
  if (!FEEDBACK_ACTIONS.includes(action)) {
    throw new DomainError("feedback:unknownAction", { value: String(action) }, `Unknown feedback action ${String(action)}`);
  }
  const next = isFeedbackStatus(current) ? LIFECYCLE[current][action] : undefined;
  if (!next) {
    throw new DomainError("feedback:transitionRefused", { status: current, action },
      `Feedback in status ${current} cannot take the action ${action}`);
  }
  return next;
}

/** The actions allowed from a status, in the lifecycle's order: what a reviewer may be offered. */
export function allowedActions(current: string): FeedbackActionKind[] {
  return isFeedbackStatus(current) ? FEEDBACK_ACTIONS.filter((action) => LIFECYCLE[current][action] !== undefined) : [];
}

export interface CheckedAction {
  kind: FeedbackActionKind;
  /** What the event records: the agency for a forward, the reason for a rejection. */
  note: string | null;
  /** For a forward, the agency the item went to. */
  agencyName?: string;
  /** For an answer, the answer as it is stored and sent. */
  answer?: string;
}

/** Checks what an action carries (an agency, an answer, a reason) and puts it in stored form. */
export function checkAction(action: FeedbackAction): CheckedAction {
  switch (action.kind) {
    case "review":
    case "close":
      return { kind: action.kind, note: optionalNote(action.note) };
    case "forward": {
      const agencyName = checkAgencyName(action.agencyName);
      const note = optionalNote(action.note);
      return { kind: "forward", agencyName, note: note ? `${agencyName}: ${note}` : agencyName };
    }
    case "answer": {
      const answer = cleanFeedbackText(action.text);
      if (answer === "") throw new DomainError("feedback:answerRequired", {}, "An answer needs a text");
      checkLength(answer, MAX_FEEDBACK_TEXT_LENGTH, "feedback:answerTooLong");
      return { kind: "answer", note: null, answer };
    }
    case "reject": {
      const reason = optionalNote(action.reason);
      if (!reason) throw new DomainError("feedback:reasonRequired", {}, "A rejection needs a reason");
      return { kind: "reject", note: reason };
    }
    default:
      throw new DomainError("feedback:unknownAction", { value: String((action as { kind?: unknown }).kind) },
        `Unknown feedback action ${String((action as { kind?: unknown }).kind)}`);
  }
}

function optionalNote(value: string | undefined): string | null {
  const note = cleanFeedbackText(value);
  if (note === "") return null;
  checkLength(note, MAX_NOTE_LENGTH, "feedback:noteTooLong");
  return note;
}

function checkLength(text: string, max: number, code: string): void {
  const length = [...text].length;
  if (length > max) throw new DomainError(code, { length, max }, `At most ${max} characters; got ${length}`);
}
