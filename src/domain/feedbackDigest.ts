import { addDays, fromLocal, localDateOf, toLocal } from "./localTime.ts";
import type { FeedbackCategory, FeedbackStatus } from "./feedback.ts";

/** How many of the latest items a digest lists, and how much of each text it quotes. */
export const DIGEST_NEWEST_COUNT = 10;
export const DIGEST_EXCERPT_LENGTH = 80;

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** The local week of `now`: Monday 00:00 to the next Monday 00:00 in Vietnam time. */
export function thisWeek(now: Date): Period {
  const today = localDateOf(now);
  const monday = addDays(today, 1 - toLocal(now).weekday);
  return {
    from: fromLocal({ ...monday, hour: 0, minute: 0 }),
    to: fromLocal({ ...addDays(monday, 7), hour: 0, minute: 0 }),
  };
}

/** The first characters of a text on one line, with an ellipsis when cut. */
export function excerpt(text: string, length = DIGEST_EXCERPT_LENGTH): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : chars.join("");
}

/** One item as a digest shows it: never its author. */
export interface DigestItem {
  id: number;
  reference: string;
  cellName: string;
  category: FeedbackCategory;
  addressee: string;
  status: FeedbackStatus;
  createdAt: Date;
  dueAt: Date | null;
  excerpt: string;
}

/** What came in to a subtree in a period, and what is still owed past its due time. */
export interface FeedbackDigest {
  organization: { id: number; code: string; name: string };
  period: Period;
  /** When it was made; "overdue" is measured against it. */
  now: Date;
  /** Items submitted in the period. */
  total: number;
  byStatus: Record<FeedbackStatus, number>;
  /**
   * Items by addressee, most first: the default bodies and "agency" by key (name null), an
   * organization's own bodies by key with their name.
   */
  byAddressee: { key: string; name: string | null; count: number }[];
  /** The unit that names the default addressees: the organization's own when it is a commune-level one, else null (several units). */
  unitKind: string | null;
  /** Cells with items in the period, most items first. */
  byCell: { cellId: number; cellName: string; count: number }[];
  /** Every open item of the subtree past its due time, whenever it came in; oldest due first. */
  overdue: DigestItem[];
  /** The latest items of the period, newest first. */
  newest: DigestItem[];
}
