import { isCategory, isFeedbackStatus, REFERENCE_PREFIX, type FeedbackCategory, type FeedbackStatus } from "./feedback.ts";
import { addDays, fromLocal, parseIsoDate, type LocalDate } from "./localTime.ts";
import { cleanText } from "./text.ts";

/**
 * The reviewers' queue of feedback items: which filters a list may be asked with, read from a
 * form (every value a string, any of them missing or wrong), and what a search looks for. Pure.
 */
export const QUEUE_PAGE_SIZE = 50;
export const QUEUE_SORTS = ["newest", "oldest", "due"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
/** "open": every status still owed an answer. */
export const STATUS_FILTERS = ["open", "submitted", "under_review", "forwarded", "answered", "closed", "rejected"] as const;
export type StatusFilter = FeedbackStatus | "open";
export const ASSIGNED_FILTERS = ["me", "none"] as const;
export type AssignedFilter = (typeof ASSIGNED_FILTERS)[number];
export const MAX_SEARCH_LENGTH = 100;
/** The highest page asked for by a number; far past any real queue. */
const MAX_PAGE = 100_000;
const ADDRESSEE_KEY = /^[a-z0-9_-]{1,40}$/;

export interface QueueFilters {
  status?: StatusFilter;
  cellId?: number;
  addressee?: string;
  category?: FeedbackCategory;
  /** Local days, both included. */
  from?: LocalDate;
  to?: LocalDate;
  overdue: boolean;
  anonymous: boolean;
  assigned?: AssignedFilter;
  /** What the reviewer typed: a reference or words of the text. */
  search?: string;
  sort: QueueSort;
  page: number;
}

/** A value that could not be used, named by its locale key; the list is shown without it. */
export interface FilterProblem {
  key: "badDate" | "badPeriod";
}

const text = (value: unknown): string => (typeof value === "string" ? value.trim() : "");
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/**
 * The filters of a queue request. Unknown keys of a closed list (a status, a sort) are dropped as
 * if absent, since only a changed address makes them; a day that is not a day, or a period that
 * ends before it starts, is reported, because a person may type those.
 */
export function parseQueueFilters(input: Record<string, unknown>): { filters: QueueFilters; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const day = (value: unknown): LocalDate | undefined => {
    if (text(value) === "") return undefined;
    const parsed = parseIsoDate(text(value));
    if (!parsed) problems.push({ key: "badDate" });
    return parsed ?? undefined;
  };
  let from = day(input.from);
  let to = day(input.to);
  if (from && to && isoOf(from) > isoOf(to)) {
    problems.push({ key: "badPeriod" });
    from = undefined;
    to = undefined;
  }
  const cell = text(input.cell);
  const page = text(input.page);
  const search = cleanText(text(input.q)).slice(0, MAX_SEARCH_LENGTH);
  const filters: QueueFilters = {
    status: oneOf(STATUS_FILTERS, input.status),
    cellId: /^[1-9]\d{0,9}$/.test(cell) ? Number(cell) : undefined,
    addressee: ADDRESSEE_KEY.test(text(input.addressee)) ? text(input.addressee) : undefined,
    category: isCategory(input.category) ? input.category : undefined,
    from,
    to,
    overdue: input.overdue === "1",
    anonymous: input.anonymous === "1",
    assigned: oneOf(ASSIGNED_FILTERS, input.assigned),
    search: search === "" ? undefined : search,
    sort: oneOf(QUEUE_SORTS, input.sort) ?? "newest",
    page: /^[1-9]\d{0,5}$/.test(page) ? Math.min(Number(page), MAX_PAGE) : 1,
  };
  return { filters, problems };
}

/** The filters as form values again (for links, hidden fields and the export), without the page and the search. */
export function filterParams(filters: QueueFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.status) out.status = filters.status;
  if (filters.cellId) out.cell = String(filters.cellId);
  if (filters.addressee) out.addressee = filters.addressee;
  if (filters.category) out.category = filters.category;
  if (filters.from) out.from = isoOf(filters.from);
  if (filters.to) out.to = isoOf(filters.to);
  if (filters.overdue) out.overdue = "1";
  if (filters.anonymous) out.anonymous = "1";
  if (filters.assigned) out.assigned = filters.assigned;
  if (filters.sort !== "newest") out.sort = filters.sort;
  return out;
}

const isoOf = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

/** The instants a period of local days covers: from the first day's midnight to the midnight after the last. */
export function periodInstants(filters: Pick<QueueFilters, "from" | "to">): { gte?: Date; lt?: Date } {
  return {
    ...(filters.from ? { gte: fromLocal({ ...filters.from, hour: 0, minute: 0 }) } : {}),
    ...(filters.to ? { lt: fromLocal({ ...addDays(filters.to, 1), hour: 0, minute: 0 }) } : {}),
  };
}

/**
 * What a search looks for. "GY-2026-000012" (any case, "GY-" optional) is that reference; a bare
 * number is the item of that number in any year, or words of a text. Anything else is words of
 * the text, matched as typed, all lower case, or with a capital first letter (SQLite compares
 * letters beyond ASCII exactly, so "sạt lở" finds "Sạt lở" this way); the queue also looks for the
 * words folded (`searchKey`) in the item's folded copy of its text, so "sat lo" finds "Sạt lở".
 * `words` lists the ways, each as the pieces a text must all contain: the database's wildcards %
 * and _ split the words rather than match anything.
 */
export function searchPlan(search: string): { reference?: string; referenceNumber?: string; words: string[][] } {
  const compact = search.toUpperCase().replace(/\s+/g, "");
  const full = new RegExp(`^(?:${REFERENCE_PREFIX}-?)?(\\d{4})-(\\d{1,6})$`).exec(compact);
  if (full) return { reference: `${REFERENCE_PREFIX}-${full[1]}-${full[2]!.padStart(6, "0")}`, words: [] };
  const bare = new RegExp(`^(?:${REFERENCE_PREFIX}-?)?(\\d{1,6})$`).exec(compact);
  const typed = search.normalize("NFC");
  const lower = typed.toLocaleLowerCase("vi");
  const capital = lower.charAt(0).toLocaleUpperCase("vi") + lower.slice(1);
  const pieces = (words: string) => words.split(/[%_\\]+/).map((p) => p.trim()).filter((p) => p !== "");
  const ways = compact.startsWith(REFERENCE_PREFIX) && bare ? [] : [...new Set([typed, lower, capital])].map(pieces).filter((p) => p.length > 0);
  return { ...(bare ? { referenceNumber: `-${bare[1]!.padStart(6, "0")}` } : {}), words: ways };
}

export const isStatusFilter = (value: unknown): value is StatusFilter => value === "open" || isFeedbackStatus(value);
