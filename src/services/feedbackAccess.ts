import { DomainError } from "../domain/errors.ts";
import type { DbClient } from "../storage/database.ts";
import { topOrganizationOf } from "./feedbackReference.ts";

/** Who is looking: a member with their roles, each scoped to an organization. */
export interface FeedbackViewer {
  memberId: number;
  roles: { role: string; organizationId: number }[];
  /** Where they act from, as the audit names it: "console" for the committee console; a chat member otherwise. */
  via?: "console";
}

/** Who the audit log names for what a viewer reads or does. */
export const actorOf = (viewer: FeedbackViewer) => ({ kind: viewer.via ?? "member", memberId: viewer.memberId });

export const REVIEWER_ROLE = "reviewer";

/** The organizations the viewer reviews (their subtrees hold the items they may see). */
export async function reviewedOrganizations(db: DbClient, viewer: FeedbackViewer): Promise<{ id: number; path: string }[]> {
  const orgIds = viewer.roles.filter((r) => r.role === REVIEWER_ROLE).map((r) => r.organizationId);
  const orgs = orgIds.length ? await db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, path: true } }) : [];
  return orgs.filter((org) => org.path !== "");
}

const notFound = (shownAs: string) =>
  new DomainError("feedback:notFound", { value: shownAs }, "Only a reviewer of the item's organization may see or handle it");

/**
 * Throws unless the viewer holds a reviewer role on an organization whose subtree holds the
 * cell the item came from: a commune's committee reviews its cells, the province all of them.
 * Another organization's item is "not found", word for word as one that does not exist
 * (`shownAs` is how the caller names it), so nobody learns what exists beyond their reach.
 */
export async function assertCanReview(db: DbClient, viewer: FeedbackViewer, cellPath: string, shownAs: string): Promise<void> {
  const orgs = await reviewedOrganizations(db, viewer);
  if (!orgs.some((org) => cellPath.startsWith(org.path))) throw notFound(shownAs);
}

/** An item a reviewer may open by its reference, with the top organization that numbered it. */
export interface ReviewableMatch {
  id: number;
  topOrganizationId: number;
  topOrganizationName: string;
}

/**
 * The items with this reference the viewer reviews, oldest first. Each top organization numbers
 * its own items, so only the numberings of the viewer's own top organizations are searched: one
 * match for almost everyone, several for someone who reviews in two provinces. None is "not
 * found", word for word as a reference nobody has, whether another organization has it or not.
 */
export async function findReviewable(db: DbClient, viewer: FeedbackViewer, reference: string): Promise<ReviewableMatch[]> {
  const orgs = await reviewedOrganizations(db, viewer);
  const tops = [...new Set(orgs.map(topOrganizationOf))];
  const items = tops.length
    ? await db.feedback.findMany({
      where: { reference, topOrganizationId: { in: tops } },
      orderBy: { id: "asc" },
      select: { id: true, topOrganizationId: true, cell: { select: { path: true } } },
    })
    : [];
  const reachable = items.filter((item) => orgs.some((org) => item.cell.path.startsWith(org.path)));
  if (reachable.length === 0) throw notFound(reference);
  const names = await db.organization.findMany({ where: { id: { in: reachable.map((i) => i.topOrganizationId) } }, select: { id: true, name: true } });
  const nameOf = new Map(names.map((o) => [o.id, o.name]));
  return reachable.map((item) => ({ id: item.id, topOrganizationId: item.topOrganizationId, topOrganizationName: nameOf.get(item.topOrganizationId) ?? "" }));
}
