import { AGENCY, DEFAULT_ADDRESSEE_KEYS, type AddresseeEntry } from "../domain/addressees.ts";
import { isOverdue, type FeedbackCategory, type FeedbackStatus } from "../domain/feedback.ts";
import { QUEUE_PAGE_SIZE, type QueueFilters } from "../domain/feedbackQueue.ts";
import type { Db } from "../storage/database.ts";
import { auditRead } from "./audit.ts";
import { actorOf, type FeedbackViewer } from "./feedbackAccess.ts";
import { exportQueue } from "./feedbackQueueExport.ts";
import { cellsOf, itemLine, loadQueueScope, queueOrder, queueWhere, scopeWhere, type QueueScope } from "./feedbackQueueScope.ts";

/** One line of the queue. `authorName` is null for an anonymous item: its author is never read. */
export interface QueueRow {
  id: number;
  reference: string;
  createdAt: Date;
  cellName: string;
  addressee: string;
  agencyName: string | null;
  /** The unit naming the default addressees of the item's commune ("commune", "ward", …). */
  unitKind: string | null;
  category: FeedbackCategory;
  status: FeedbackStatus;
  dueAt: Date | null;
  overdue: boolean;
  anonymous: boolean;
  authorName: string | null;
  assigneeName: string | null;
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  page: number;
  pageCount: number;
}

/** What the filters may be set to for this viewer: the organizations below them and the addressees in use. */
export interface QueueChoices {
  units: { id: number; name: string; level: string; depth: number }[];
  addressees: AddresseeEntry[];
  unitKind: string | null;
}

const EMPTY_PAGE: QueuePage = { rows: [], total: 0, page: 1, pageCount: 0 };
const NO_CHOICES: QueueChoices = { units: [], addressees: [], unitKind: null };

const ROW_SELECT = {
  id: true, reference: true, createdAt: true, addressee: true, agencyName: true, category: true, status: true, dueAt: true,
  anonymous: true, authorId: true, assigneeId: true, cellId: true,
} as const;

/**
 * The reviewers' queue in the console: the items of the subtrees a reviewer reviews, filtered,
 * searched, sorted and paged; the same scope rule as every other feedback read (a reviewer role on
 * an organization above the item's cell). A page shown is logged as read, by ids. The scope is
 * read once per page, for the list and the filters' choices both.
 */
export function createFeedbackQueueService(deps: { db: Db }) {
  const { db } = deps;

  async function listIn(scope: QueueScope, viewer: FeedbackViewer, filters: QueueFilters, now: Date): Promise<QueuePage> {
    const where = queueWhere(await scopeWhere(db, scope, filters.cellId), filters, viewer, now);
    const total = await db.feedback.count({ where });
    const pageCount = Math.ceil(total / QUEUE_PAGE_SIZE);
    const page = Math.max(1, Math.min(filters.page, pageCount));
    // The page's ids first, then their rows: a deep page passes over thousands of index entries, not of rows.
    const pageIds = await db.feedback.findMany({
      where, orderBy: queueOrder(filters.sort), skip: (page - 1) * QUEUE_PAGE_SIZE, take: QUEUE_PAGE_SIZE, select: { id: true },
    });
    if (pageIds.length === 0) return { rows: [], total, page, pageCount };
    const position = new Map(pageIds.map((r, i) => [r.id, i]));
    const found = (await db.feedback.findMany({ where: { id: { in: [...position.keys()] } }, select: ROW_SELECT }))
      .sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    // Names only of signed items' authors, and of the assignees.
    const authorIds = found.filter((r) => !r.anonymous && r.authorId !== null).map((r) => r.authorId!);
    const ids = [...new Set([...authorIds, ...found.map((r) => r.assigneeId).filter((a): a is number => a !== null)])];
    const [people, cells] = await Promise.all([
      ids.length ? db.member.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } }) : [],
      cellsOf(db, scope, found.map((r) => r.cellId)),
    ]);
    const nameOf = new Map(people.map((p) => [p.id, p.fullName]));
    const detail = `queue page ${page}/${pageCount} of ${total}: ${found.map((r) => r.id).join(",")}`;
    await auditRead(db, now, actorOf(viewer), { subjectType: "Feedback", detail });
    const rows = found.map((r): QueueRow => ({
      id: r.id,
      ...itemLine(r, cells, nameOf),
      overdue: isOverdue(r, now),
      assigneeName: r.assigneeId === null ? null : nameOf.get(r.assigneeId) ?? null,
    }));
    return { rows, total, page, pageCount };
  }

  async function choicesIn(scope: QueueScope): Promise<QueueChoices> {
    // A province's thousands of cells would not fit a list: its communes are offered then.
    const orgs = scope.orgs ? [...scope.orgs.values()] : await db.organization.findMany({
      where: { OR: scope.paths.map((p) => ({ path: { startsWith: p } })), level: { in: ["base", "sub_branch"] } },
      select: { id: true, name: true, level: true, path: true },
      orderBy: { path: "asc" },
    });
    const units = orgs.filter((o) => o.level !== "province");
    const tops = scope.paths.map((path) => scope.above.get(Number(path.split("/").at(-2))));
    const own = tops.flatMap((org) => (org ? scope.above.settings(org.id).addressees : [])).filter((e) => e.name !== undefined);
    const keys = new Set<string>();
    const addressees = [...DEFAULT_ADDRESSEE_KEYS.map((key): AddresseeEntry => ({ key })), ...own, { key: AGENCY }]
      .filter((e) => !keys.has(e.key) && keys.add(e.key));
    const unitKinds = new Set(tops.map((org) => (org ? scope.above.unitKind(org.id) : null)));
    const minDepth = Math.min(...units.map((o) => o.path.split("/").length));
    return {
      // By path, each organization follows the one above it: the list reads as a tree.
      units: units.map((o) => ({ id: o.id, name: o.name, level: o.level, depth: o.path.split("/").length - minDepth })),
      addressees,
      unitKind: unitKinds.size === 1 ? [...unitKinds][0]! : null,
    };
  }

  /** One page of the queue and the filters' choices, as the queue's page shows them. */
  async function page(viewer: FeedbackViewer, filters: QueueFilters, now: Date): Promise<{ result: QueuePage; choices: QueueChoices }> {
    const scope = await loadQueueScope(db, viewer);
    if (!scope) return { result: EMPTY_PAGE, choices: NO_CHOICES };
    const [result, choices] = await Promise.all([listIn(scope, viewer, filters, now), choicesIn(scope)]);
    return { result, choices };
  }

  /** Where an item lies (its cell's path), for the console to check before anything else; null when there is none. */
  async function locate(id: number): Promise<{ cellPath: string } | null> {
    const item = await db.feedback.findUnique({ where: { id }, select: { cell: { select: { path: true } } } });
    return item ? { cellPath: item.cell.path } : null;
  }

  return {
    page,
    async list(viewer: FeedbackViewer, filters: QueueFilters, now: Date): Promise<QueuePage> {
      const scope = await loadQueueScope(db, viewer);
      return scope ? listIn(scope, viewer, filters, now) : EMPTY_PAGE;
    },
    locate,
    exportItems: (viewer: FeedbackViewer, filters: QueueFilters, now: Date) => exportQueue(db, viewer, filters, now),
  };
}

export type FeedbackQueueService = ReturnType<typeof createFeedbackQueueService>;
