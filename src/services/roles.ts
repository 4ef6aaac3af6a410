import { DomainError } from "../domain/errors.ts";
import { ROLES, type Role } from "../domain/organization.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";

/** The roles given by hand (the console, the CLI) rather than by the member list's positions. */
export const GRANTABLE_ROLES: readonly Role[] = ["reviewer", "administrator", "secretary", "deputy_secretary", "committee_member"];

/** Gives and takes roles scoped to an organization; every change is audited. */
export function createRoleService(deps: { db: Db }) {
  const { db } = deps;

  function checkRole(role: string): asserts role is Role {
    if (!(ROLES as readonly string[]).includes(role) || !GRANTABLE_ROLES.includes(role as Role)) throw new DomainError("org:unknownRole", { role });
  }

  /** Gives the role; true when it is new, false when the member had it already. */
  async function grant(memberId: number, organizationId: number, role: string, now: Date, actor: Actor): Promise<boolean> {
    checkRole(role);
    return db.$transaction(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: memberId }, select: { deactivatedAt: true, erasedAt: true, fullName: true } });
      if (!member || member.erasedAt) throw new DomainError("member:notFound", { value: `#${memberId}` });
      if (member.deactivatedAt) throw new DomainError("member:deactivated", { id: memberId, name: member.fullName });
      const existing = await tx.role.findUnique({ where: { memberId_organizationId_role: { memberId, organizationId, role } } });
      if (existing) return false;
      await tx.role.create({ data: { memberId, organizationId, role } });
      await audit(tx, now, { actor, action: "create", subjectType: "Role", subjectId: memberId, detail: `${role} @${organizationId}` });
      return true;
    });
  }

  /** Takes the role back; true when the member had it. */
  async function revoke(memberId: number, organizationId: number, role: string, now: Date, actor: Actor): Promise<boolean> {
    checkRole(role);
    return db.$transaction(async (tx) => {
      const { count } = await tx.role.deleteMany({ where: { memberId, organizationId, role } });
      if (count > 0) await audit(tx, now, { actor, action: "delete", subjectType: "Role", subjectId: memberId, detail: `${role} @${organizationId}` });
      return count > 0;
    });
  }

  return { grant, revoke };
}

export type RoleService = ReturnType<typeof createRoleService>;
