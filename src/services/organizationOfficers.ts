import { DomainError, NotAllowedError } from "../domain/errors.ts";
import { searchKey } from "../domain/text.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db, Tx } from "../storage/database.ts";
import { auditRead, type Actor } from "./audit.ts";
import { administersPath, type OrgAdministrator } from "./organizationAdmin.ts";
import { createRoleService, GRANTABLE_ROLES } from "./roles.ts";
import { sameTransaction } from "./sameTransaction.ts";

export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_RESULTS = 20;
/** A cell's members are offered in a list; past this many, by search like a larger organization. */
export const CELL_LIST_LIMIT = 200;

export interface Officer {
  memberId: number;
  fullName: string;
  cellName: string;
  role: string;
}

export interface Candidate {
  memberId: number;
  fullName: string;
  cellName: string;
}

/**
 * Whether taking this administrator role away would leave its holder without the organization it
 * is at: no other administrator role of theirs covers it. An administrator may not do that to
 * themselves at the top of their scope, or the office could lock itself out.
 */
export function leavesOwnScope(own: readonly { organizationId: number; orgPath: string }[], org: Pick<Organization, "id" | "path">): boolean {
  return !own.some((r) => r.organizationId !== org.id && org.path.startsWith(r.orgPath));
}

const ACTIVE = { deactivatedAt: null, erasedAt: null };

/**
 * The officers and reviewers of an organization: who holds which role there, the members of its
 * subtree one may give a role to, and giving and taking roles (roles.ts audits each change).
 * Names read are personal data: each read is logged.
 */
export function createOrganizationOfficerService(deps: { db: Db }) {
  const { db } = deps;

  async function officers(org: Pick<Organization, "id">, reader: Actor, now: Date): Promise<Officer[]> {
    const rows = await db.role.findMany({
      where: { organizationId: org.id, role: { in: [...GRANTABLE_ROLES] } },
      select: { role: true, member: { select: { id: true, fullName: true, cell: { select: { name: true } } } } },
    });
    await auditRead(db, now, reader, { subjectType: "Member", subjectId: org.id, detail: `officers of organization: ${rows.length}` });
    const order = (role: string) => GRANTABLE_ROLES.indexOf(role as (typeof GRANTABLE_ROLES)[number]);
    return rows
      .map((r) => ({ memberId: r.member.id, fullName: r.member.fullName, cellName: r.member.cell.name, role: r.role }))
      .sort((a, b) => order(a.role) - order(b.role) || a.fullName.localeCompare(b.fullName, "vi"));
  }

  /** Every member of a cell, to choose from a list; null when the cell is too large for one. */
  async function cellMembers(cell: Pick<Organization, "id">, reader: Actor, now: Date): Promise<Candidate[] | null> {
    const count = await db.member.count({ where: { cellId: cell.id, ...ACTIVE } });
    if (count > CELL_LIST_LIMIT) return null;
    const rows = await db.member.findMany({
      where: { cellId: cell.id, ...ACTIVE }, select: { id: true, fullName: true, cell: { select: { name: true } } }, orderBy: { searchName: "asc" },
    });
    await auditRead(db, now, reader, { subjectType: "Member", subjectId: cell.id, detail: `members to choose from: ${rows.length}` });
    return rows.map((r) => ({ memberId: r.id, fullName: r.fullName, cellName: r.cell.name }));
  }

  /** Members of the subtree whose name holds the words typed (with or without diacritics). */
  async function search(org: Pick<Organization, "id" | "path">, query: string, reader: Actor, now: Date): Promise<Candidate[]> {
    const key = searchKey(query);
    if ([...key].length < SEARCH_MIN_LENGTH) throw new DomainError("consoleOrganization:searchTooShort", { min: SEARCH_MIN_LENGTH });
    const rows = await db.member.findMany({
      where: { ...ACTIVE, searchName: { contains: key }, cell: { path: { startsWith: org.path } } },
      select: { id: true, fullName: true, cell: { select: { name: true } } },
      orderBy: { searchName: "asc" },
      take: SEARCH_MAX_RESULTS,
    });
    await auditRead(db, now, reader, { subjectType: "Member", subjectId: org.id, detail: `search for a role: ${rows.length}` });
    return rows.map((r) => ({ memberId: r.id, fullName: r.fullName, cellName: r.cell.name }));
  }

  async function orgInScope(tx: Tx, by: OrgAdministrator, orgId: number): Promise<Organization> {
    const org = await tx.organization.findUnique({ where: { id: orgId } });
    if (!org || !administersPath(by.roles, org.path)) throw new NotAllowedError();
    return org;
  }

  /** Gives a member of the subtree a role at the organization; false when they had it. */
  function grant(by: OrgAdministrator, orgId: number, memberId: number, role: string, now: Date): Promise<boolean> {
    return db.$transaction(async (tx) => {
      const org = await orgInScope(tx, by, orgId);
      const inSubtree = await tx.member.count({ where: { id: memberId, ...ACTIVE, cell: { path: { startsWith: org.path } } } });
      if (!inSubtree) throw new DomainError("consoleOrganization:memberNotInSubtree");
      return createRoleService({ db: sameTransaction(tx) }).grant(memberId, org.id, role, now, by.actor);
    });
  }

  /** Takes a role at the organization back; false when the member did not hold it. */
  function revoke(by: OrgAdministrator, orgId: number, memberId: number, role: string, now: Date): Promise<boolean> {
    return db.$transaction(async (tx) => {
      const org = await orgInScope(tx, by, orgId);
      if (role === "administrator" && memberId === by.actor.memberId) {
        const own = await tx.role.findMany({ where: { memberId, role: "administrator" }, select: { organizationId: true, organization: { select: { path: true } } } });
        if (leavesOwnScope(own.map((r) => ({ organizationId: r.organizationId, orgPath: r.organization.path })), org)) {
          throw new DomainError("consoleOrganization:lastAdministrator", { name: org.name });
        }
      }
      return createRoleService({ db: sameTransaction(tx) }).revoke(memberId, org.id, role, now, by.actor);
    });
  }

  return { officers, cellMembers, search, grant, revoke };
}

export type OrganizationOfficerService = ReturnType<typeof createOrganizationOfficerService>;
