import type { FeedbackCategory, FeedbackStatus } from "../domain/feedback.ts";
import { searchKey } from "../domain/text.ts";
import { SETTLED_STATUSES } from "../domain/feedback.ts";
import { periodInstants, searchPlan, type QueueFilters, type QueueSort } from "../domain/feedbackQueue.ts";
import { pathIds } from "../domain/organization.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { DbClient } from "../storage/database.ts";
import { reviewedOrganizations, type FeedbackViewer } from "./feedbackAccess.ts";
import { loadOrgIndex, type OrgIndex } from "./orgIndex.ts";

/** Past this many organizations, a subtree is asked for by its path rather than by naming each one. */
const MAX_NAMED_ORGS = 500;

export interface ScopeOrg {
  id: number;
  name: string;
  level: string;
  path: string;
  unitKind: string | null;
}

/**
 * What one queue request needs to know of the viewer's subtrees, read once: their paths, their
 * organizations when they are few (a commune's), and the chains above them with their settings.
 */
export interface QueueScope {
  paths: string[];
  /** Every organization of the subtrees by id; null past MAX_NAMED_ORGS (a province's thousands). */
  orgs: Map<number, ScopeOrg> | null;
  /** The subtrees' tops and the organizations above them. */
  above: OrgIndex;
}

/** The subtrees the viewer reviews, without one inside another (a province and one of its communes: the province). */
export async function reviewedPaths(db: DbClient, viewer: FeedbackViewer): Promise<string[]> {
  const paths = [...new Set((await reviewedOrganizations(db, viewer)).map((o) => o.path))].sort((a, b) => a.length - b.length);
  return paths.filter((p, i) => !paths.slice(0, i).some((outer) => p.startsWith(outer)));
}

/** The viewer's scope, or null when they review nothing. */
export async function loadQueueScope(db: DbClient, viewer: FeedbackViewer): Promise<QueueScope | null> {
  const paths = await reviewedPaths(db, viewer);
  if (paths.length === 0) return null;
  const [found, above] = await Promise.all([
    db.organization.findMany({
      where: { OR: paths.map((p) => ({ path: { startsWith: p } })) },
      select: { id: true, name: true, level: true, path: true, unitKind: true },
      orderBy: { path: "asc" },
      take: MAX_NAMED_ORGS + 1,
    }),
    loadOrgIndex(db, paths.map((path) => ({ path }))),
  ]);
  return { paths, orgs: found.length <= MAX_NAMED_ORGS ? new Map(found.map((o) => [o.id, o])) : null, above };
}

/** The unit naming an organization's default addressees: the nearest one above it (or itself) that has one. */
export function unitKindIn(scope: QueueScope, org: { path: string }, more?: OrgIndex): string | null {
  for (const id of pathIds(org.path).reverse()) {
    const kind = (scope.orgs?.get(id) ?? scope.above.get(id) ?? more?.get(id))?.unitKind;
    if (kind) return kind;
  }
  return null;
}

const inSubtree = (path: string): Prisma.FeedbackWhereInput => ({ cell: { path: { startsWith: path } } });

/**
 * Where the viewer's items lie, as a condition on the items: the subtrees they review, or the one
 * organization (a cell or a commune) a "cell" filter names inside them; nothing at all when the
 * filter names one elsewhere. A commune's cells are named by id, which lets the database use the
 * items' index by cell; a province's thousands are asked for by their paths.
 */
export async function scopeWhere(db: DbClient, scope: QueueScope, unitId?: number): Promise<Prisma.FeedbackWhereInput> {
  if (!unitId) return scope.orgs ? { cellId: { in: [...scope.orgs.keys()] } } : { OR: scope.paths.map(inSubtree) };
  const unit = scope.orgs ? scope.orgs.get(unitId) : await db.organization.findUnique({ where: { id: unitId }, select: { path: true } });
  if (!unit || !scope.paths.some((p) => unit.path.startsWith(p))) return { id: -1 };
  if (!scope.orgs) return inSubtree(unit.path);
  return { cellId: { in: [...scope.orgs.values()].filter((o) => o.path.startsWith(unit.path)).map((o) => o.id) } };
}

/** The items a queue request asks for, inside `scope` (from scopeWhere) whatever the filters say. */
export function queueWhere(scope: Prisma.FeedbackWhereInput, filters: QueueFilters, viewer: FeedbackViewer, now: Date): Prisma.FeedbackWhereInput {
  const and: Prisma.FeedbackWhereInput[] = [scope];
  if (filters.status === "open") and.push({ status: { notIn: [...SETTLED_STATUSES] } });
  else if (filters.status) and.push({ status: filters.status });
  if (filters.addressee) and.push({ addressee: filters.addressee });
  if (filters.category) and.push({ category: filters.category });
  const period = periodInstants(filters);
  if (period.gte || period.lt) and.push({ createdAt: period });
  if (filters.overdue) and.push({ status: { notIn: [...SETTLED_STATUSES] }, dueAt: { lt: now } });
  if (filters.anonymous) and.push({ anonymous: true });
  if (filters.assigned === "me") and.push({ assigneeId: viewer.memberId });
  if (filters.assigned === "none") and.push({ assigneeId: null });
  if (filters.search) {
    const plan = searchPlan(filters.search);
    const ways: Prisma.FeedbackWhereInput[] = [
      ...(plan.reference ? [{ reference: plan.reference }] : []),
      ...(plan.referenceNumber ? [{ reference: { endsWith: plan.referenceNumber } }] : []),
      ...plan.words.map((pieces) => ({ AND: pieces.map((piece) => ({ text: { contains: piece } })) })),
      // Typed without diacritics, as most people type: the folded words in the folded text.
      ...foldedPieces(filters.search).map((pieces) => ({ AND: pieces.map((piece) => ({ searchText: { contains: piece } })) })),
    ];
    // Words of nothing but wildcards look for nothing (an empty OR would not narrow the list at all).
    and.push(ways.length > 0 ? { OR: ways } : { id: -1 });
  }
  return { AND: and };
}

/** The search folded like `Feedback.searchText`, split on the characters LIKE would read as wildcards. */
function foldedPieces(search: string): string[][] {
  const pieces = searchKey(search).split(/[%_\\]+/).map((p) => p.trim()).filter((p) => p !== "");
  return pieces.length > 0 ? [pieces] : [];
}

export function queueOrder(sort: QueueSort): Prisma.FeedbackOrderByWithRelationInput[] {
  if (sort === "oldest") return [{ createdAt: "asc" }, { id: "asc" }];
  // The nearest due first; items without a due date (settled before one was set) last.
  if (sort === "due") return [{ dueAt: { sort: "asc", nulls: "last" } }, { id: "asc" }];
  return [{ createdAt: "desc" }, { id: "desc" }];
}

/**
 * The cells of some items with their names and units: from the scope when it names them, else
 * read (a province's page of fifty items).
 */
interface ItemBasics {
  reference: string; createdAt: Date; cellId: number; addressee: string; agencyName: string | null;
  category: string; status: string; dueAt: Date | null; anonymous: boolean; authorId: number | null;
}

/**
 * What a line of the queue and of its export both show of an item, with its cell's name and unit;
 * the author is named only for a signed item.
 */
export function itemLine(r: ItemBasics, cells: Map<number, { name: string; unitKind: string | null }>, names: Map<number, string>) {
  return {
    reference: r.reference,
    createdAt: r.createdAt,
    cellName: cells.get(r.cellId)?.name ?? "",
    addressee: r.addressee,
    agencyName: r.agencyName,
    unitKind: cells.get(r.cellId)?.unitKind ?? null,
    category: r.category as FeedbackCategory,
    status: r.status as FeedbackStatus,
    dueAt: r.dueAt,
    anonymous: r.anonymous,
    authorName: r.anonymous || r.authorId === null ? null : names.get(r.authorId) ?? null,
  };
}

export async function cellsOf(db: DbClient, scope: QueueScope, cellIds: number[]): Promise<Map<number, { name: string; unitKind: string | null }>> {
  const missing = [...new Set(cellIds)].filter((id) => !scope.orgs?.has(id));
  const read = missing.length ? await db.organization.findMany({ where: { id: { in: missing } }, select: { id: true, name: true, path: true } }) : [];
  const more = read.length ? await loadOrgIndex(db, read) : undefined;
  const wanted = new Set(cellIds);
  const cells = new Map<number, { name: string; unitKind: string | null }>();
  for (const org of [...(scope.orgs?.values() ?? []), ...read]) {
    if (wanted.has(org.id)) cells.set(org.id, { name: org.name, unitKind: unitKindIn(scope, org, more) });
  }
  return cells;
}
