import { DomainError } from "../domain/errors.ts";
import type { DbClient } from "../storage/database.ts";

/** Who is looking: a member with their roles, each scoped to an organization. */
export interface FeedbackViewer {
  memberId: number;
  roles: { role: string; organizationId: number }[];
}

export const REVIEWER_ROLE = "reviewer";

/**
 * Throws unless the viewer holds a reviewer role on an organization whose subtree holds the
 * cell the item came from: a commune's committee reviews its cells, the province all of them.
 * Another organization's item is "not found", word for word as one that does not exist
 * (`shownAs` is how the caller names it), so nobody learns what exists beyond their reach.
 */
export async function assertCanReview(db: DbClient, viewer: FeedbackViewer, cellPath: string, shownAs: string): Promise<void> {
  const orgIds = viewer.roles.filter((r) => r.role === REVIEWER_ROLE).map((r) => r.organizationId);
  const orgs = orgIds.length ? await db.organization.findMany({ where: { id: { in: orgIds } }, select: { path: true } }) : [];
  if (!orgs.some((org) => org.path !== "" && cellPath.startsWith(org.path))) {
    throw new DomainError("feedback:notFound", { value: shownAs }, "Only a reviewer of the item's organization may see or handle it");
  }
}
