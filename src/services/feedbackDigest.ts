import { DomainError } from "../domain/errors.ts";
import { AGENCY, DEFAULT_ADDRESSEE_KEYS, isDefaultAddressee } from "../domain/addressees.ts";
import { FEEDBACK_STATUSES, SETTLED_STATUSES, type FeedbackCategory, type FeedbackStatus } from "../domain/feedback.ts";
import { DIGEST_NEWEST_COUNT, excerpt, type DigestItem, type FeedbackDigest } from "../domain/feedbackDigest.ts";
import { formatIsoDate, localDateOf } from "../domain/localTime.ts";
import type { Db } from "../storage/database.ts";
import { audit, auditRead, type Actor, type Readers } from "./audit.ts";

export interface DigestRequest {
  orgId: number;
  from: Date;
  to: Date;
  now: Date;
}

/** One item as the workbook lists it. `authorName` is null for anonymous items, never loaded for them. */
export interface FeedbackExportItem {
  reference: string;
  createdAt: Date;
  cellName: string;
  addressee: string;
  agencyName: string | null;
  category: FeedbackCategory;
  status: FeedbackStatus;
  dueAt: Date | null;
  text: string;
  answer: string | null;
  anonymous: boolean;
  authorName: string | null;
  /** A photo came with it (the workbook says so; the photo itself is seen with /xem). */
  hasPhoto?: boolean;
  /** The unit naming the item's default addressees, when the list spans several (the workbook's own otherwise). */
  unitKind?: string | null;
}

// The digest never selects the author: it cannot leak what it never reads.
const DIGEST_ITEM_SELECT = {
  id: true, reference: true, category: true, addressee: true, status: true, createdAt: true, dueAt: true, text: true,
  cell: { select: { name: true } },
} as const;

export function createFeedbackDigests(deps: { db: Db }) {
  const { db } = deps;

  async function subtree(orgId: number) {
    const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true, code: true, name: true, path: true, level: true, unitKind: true } });
    if (!org) throw new DomainError("org:notFound", { code: `#${orgId}` });
    return org;
  }

  /**
   * Counts of the period's items by status, cell and addressee; the overdue and the newest items.
   * Shown to someone, it is logged as read by `readers` (excerpts of items are in it).
   */
  async function digest(request: DigestRequest, readers: Readers = []): Promise<FeedbackDigest> {
    const org = await subtree(request.orgId);
    const inSubtree = { cell: { path: { startsWith: org.path } } };
    const inPeriod = { ...inSubtree, createdAt: { gte: request.from, lt: request.to } };
    const [byStatus, byAddressee, byCell, overdue, newest] = await Promise.all([
      db.feedback.groupBy({ by: ["status"], where: inPeriod, _count: { _all: true } }),
      db.feedback.groupBy({ by: ["addressee", "agencyName"], where: inPeriod, _count: { _all: true } }),
      db.feedback.groupBy({ by: ["cellId"], where: inPeriod, _count: { _all: true } }),
      db.feedback.findMany({
        where: { ...inSubtree, status: { notIn: [...SETTLED_STATUSES] }, dueAt: { lt: request.now } },
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        select: DIGEST_ITEM_SELECT,
      }),
      db.feedback.findMany({ where: inPeriod, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: DIGEST_NEWEST_COUNT, select: DIGEST_ITEM_SELECT }),
    ]);
    // The cells' names are joined in the database (a province's digest spans thousands of cells).
    const cells = await db.organization.findMany({ where: { feedback: { some: inPeriod } }, select: { id: true, name: true } });
    const cellName = new Map(cells.map((c) => [c.id, c.name]));
    const total = byStatus.reduce((sum, g) => sum + g._count._all, 0);
    const period = `${formatIsoDate(localDateOf(request.from))}..${formatIsoDate(localDateOf(new Date(request.to.getTime() - 1)))}`;
    const detail = `${period}: ${total} items, ${overdue.length} overdue`;
    await auditRead(db, request.now, readers, { subjectType: "FeedbackDigest", subjectId: org.id, detail });
    return {
      organization: { id: org.id, code: org.code, name: org.name },
      period: { from: request.from, to: request.to },
      now: request.now,
      total,
      byStatus: countsOf(FEEDBACK_STATUSES, byStatus.map((g) => [g.status, g._count._all])),
      byAddressee: addresseeCounts(byAddressee.map((g) => ({ key: g.addressee, name: g.agencyName, count: g._count._all }))),
      unitKind: org.level === "base" ? org.unitKind : null,
      byCell: byCell
        .map((g) => ({ cellId: g.cellId, cellName: cellName.get(g.cellId) ?? `#${g.cellId}`, count: g._count._all }))
        .sort((a, b) => b.count - a.count || a.cellName.localeCompare(b.cellName, "vi")),
      overdue: overdue.map(toDigestItem),
      newest: newest.map(toDigestItem),
    };
  }

  /**
   * Every item of the period for the workbook, oldest first. The export is logged with its count,
   * never with who wrote what.
   */
  async function digestItems(request: DigestRequest & { actor: Actor }): Promise<FeedbackExportItem[]> {
    const org = await subtree(request.orgId);
    const rows = await db.feedback.findMany({
      where: { cell: { path: { startsWith: org.path } }, createdAt: { gte: request.from, lt: request.to } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { cell: { select: { name: true } } },
    });
    // The authors of the signed items only, joined in the database: a month has thousands of them.
    const authors = await db.member.findMany({
      where: { feedback: { some: { anonymous: false, cell: { path: { startsWith: org.path } }, createdAt: { gte: request.from, lt: request.to } } } },
      select: { id: true, fullName: true },
    });
    const authorName = new Map(authors.map((a) => [a.id, a.fullName]));
    await audit(db, request.now, { actor: request.actor, action: "export", subjectType: "Feedback", detail: `digest ${org.code}: ${rows.length}` });
    return rows.map((r) => ({
      reference: r.reference,
      createdAt: r.createdAt,
      cellName: r.cell.name,
      addressee: r.addressee,
      agencyName: r.agencyName,
      category: r.category as FeedbackCategory,
      status: r.status as FeedbackStatus,
      dueAt: r.dueAt,
      text: r.text,
      answer: r.answer,
      anonymous: r.anonymous,
      hasPhoto: r.photoRef !== null,
      authorName: r.anonymous || r.authorId === null ? null : authorName.get(r.authorId) ?? null,
    }));
  }

  return { digest, digestItems };
}

/** One count per addressee: the names typed after "agency" are counted together. */
function addresseeCounts(groups: { key: string; name: string | null; count: number }[]): FeedbackDigest["byAddressee"] {
  const byKey = new Map<string, { key: string; name: string | null; count: number }>();
  for (const group of groups) {
    const named = !isDefaultAddressee(group.key) && group.key !== AGENCY;
    const entry = byKey.get(group.key) ?? { key: group.key, name: named ? group.name : null, count: 0 };
    entry.count += group.count;
    byKey.set(group.key, entry);
  }
  // In the order members are offered them: the default bodies, an organization's own, then "agency".
  const rank = (key: string) => (key === AGENCY ? 1000 : isDefaultAddressee(key) ? DEFAULT_ADDRESSEE_KEYS.indexOf(key) : 100);
  return [...byKey.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

function countsOf<K extends string>(keys: readonly K[], counts: [string, number][]): Record<K, number> {
  const found = new Map(counts);
  return Object.fromEntries(keys.map((key) => [key, found.get(key) ?? 0])) as Record<K, number>;
}

function toDigestItem(row: {
  id: number; reference: string; category: string; addressee: string; status: string; createdAt: Date; dueAt: Date | null; text: string; cell: { name: string };
}): DigestItem {
  return {
    id: row.id,
    reference: row.reference,
    cellName: row.cell.name,
    category: row.category as FeedbackCategory,
    addressee: row.addressee,
    status: row.status as FeedbackStatus,
    createdAt: row.createdAt,
    dueAt: row.dueAt,
    excerpt: excerpt(row.text),
  };
}
