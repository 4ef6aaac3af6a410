import type { Prisma } from "../generated/prisma/client.ts";
import { readMemberQuery } from "../domain/memberSearch.ts";
import type { Db } from "../storage/database.ts";
import { auditRead, type Actor } from "./audit.ts";

export const MEMBER_PAGE_SIZE = 50;
export const MEMBER_STATUSES = ["full", "probationary"] as const;
export const EXEMPTION_KINDS = ["none", "exempt", "temporary"] as const;

/** The list's filters: each one optional; `query` is a name or (part of) a phone number. */
export interface MemberFilter {
  query?: string;
  cellId?: number;
  status?: (typeof MEMBER_STATUSES)[number];
  linked?: boolean;
  exemption?: (typeof EXEMPTION_KINDS)[number];
  page: number;
}

/** Organizations whose path starts with one of the scope's paths; none for an empty scope. */
export function underAny(paths: readonly string[]): Prisma.OrganizationWhereInput {
  return paths.length === 0 ? { id: -1 } : { OR: paths.map((p) => ({ path: { startsWith: p } })) };
}

/** A member still on a list: neither left (deactivated) nor erased. */
const ACTIVE = { deactivatedAt: null, erasedAt: null } as const;

const LIST_INCLUDE = {
  cell: { select: { id: true, name: true, path: true } },
  roles: { select: { role: true, organization: { select: { name: true } } }, orderBy: { id: "asc" } },
  identities: { select: { channel: true } },
} satisfies Prisma.MemberInclude;

/**
 * The members a console page may show: of the cells under the viewer's scope (the caller passes
 * the paths it is allowed, from consoleAccess), searched and filtered, a page at a time. Reading a
 * list or a member is logged as the CLI's `members list` is.
 */
export function createMemberDirectoryService(deps: { db: Db }) {
  const { db } = deps;

  async function search(paths: readonly string[], filter: MemberFilter, now: Date, actor: Actor) {
    const query = readMemberQuery(filter.query ?? "");
    const where: Prisma.MemberWhereInput = {
      ...ACTIVE,
      cell: underAny(paths),
      ...(filter.cellId === undefined ? {} : { cellId: filter.cellId }),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.exemption ? { exemption: filter.exemption } : {}),
      ...(filter.linked === undefined ? {} : { identities: filter.linked ? { some: {} } : { none: {} } }),
      ...(query?.kind === "phone" ? { phone: { contains: query.digits } } : query?.kind === "name" ? { searchName: { contains: query.key } } : {}),
    };
    const total = await db.member.count({ where });
    const pageCount = Math.max(1, Math.ceil(total / MEMBER_PAGE_SIZE));
    const page = Math.min(Math.max(filter.page, 1), pageCount);
    const members = await db.member.findMany({
      where, include: LIST_INCLUDE, orderBy: [{ cellId: "asc" }, { searchName: "asc" }, { id: "asc" }],
      skip: (page - 1) * MEMBER_PAGE_SIZE, take: MEMBER_PAGE_SIZE,
    });
    await auditRead(db, now, actor, { subjectType: "Member", detail: `console list: ${members.length} of ${total}` });
    return { members, total, page, pageCount };
  }

  /** One member still on a list, with what the viewer's scope check needs (the cell's path). */
  async function member(id: number) {
    const found = await db.member.findFirst({ where: { id, ...ACTIVE }, include: LIST_INCLUDE });
    return found ?? undefined;
  }

  /** Logs that a member's record was shown (after the caller's scope check said it may be). */
  async function shown(memberId: number, now: Date, actor: Actor): Promise<void> {
    await auditRead(db, now, actor, { subjectType: "Member", subjectId: memberId, detail: "console member page" });
  }

  /** The cells in the scope, for the filters and the printable pages. */
  function cellsIn(paths: readonly string[]) {
    return db.organization.findMany({
      where: { AND: [underAny(paths), { level: "cell" }] }, select: { id: true, name: true, path: true, code: true }, orderBy: [{ path: "asc" }],
    });
  }

  /** An organization by id (a cell for the printable pages, any for an import), for the caller's scope check. */
  async function organization(id: number) {
    return (await db.organization.findUnique({ where: { id }, select: { id: true, name: true, path: true, code: true, level: true } })) ?? undefined;
  }

  /**
   * What a list may be imported into: each organization the scope starts at and those under it
   * above the cells (a sub-branch); a cell's secretary imports into their cell.
   */
  function importTargets(paths: readonly string[]) {
    return db.organization.findMany({
      where: { AND: [underAny(paths), { OR: [{ level: { not: "cell" } }, { path: { in: [...paths] } }] }] },
      select: { id: true, name: true, path: true, code: true, level: true },
      orderBy: [{ path: "asc" }],
    });
  }

  return { search, member, shown, cellsIn, organization, importTargets };
}

export type MemberDirectoryService = ReturnType<typeof createMemberDirectoryService>;
