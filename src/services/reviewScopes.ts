import { outermostScopes, reviewsPath, type MemberRoles } from "../domain/authorization.ts";
import { NotAllowedError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";

/** The subtrees a committee reviews, for choosing which one a digest or a list is of. */
export function createReviewScopeService(deps: { db: Db }) {
  const { db } = deps;

  /**
   * The organizations a reviewer's digest can be of, by name: their scopes reduced to the
   * outermost ones (a province reviewer who also reviews a commune gets the province, whose
   * digest counts the commune's cells anyway).
   */
  function digestOrganizations(roles: MemberRoles): Promise<{ id: number; name: string }[]> {
    return db.organization.findMany({ where: { id: { in: outermostScopes(roles) } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  }

  /** The organization, when it lies in a subtree the person reviews. */
  async function reviewed(input: { orgId: number; roles: MemberRoles }): Promise<{ id: number; name: string; path: string }> {
    const org = await db.organization.findUnique({ where: { id: input.orgId }, select: { id: true, name: true, path: true } });
    if (!org || !reviewsPath(input.roles, org.path)) throw new NotAllowedError("review:organizationNotAllowed");
    return org;
  }

  return { digestOrganizations, reviewed };
}

export type ReviewScopeService = ReturnType<typeof createReviewScopeService>;
