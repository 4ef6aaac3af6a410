/**
 * Who may act on what. Every check chibo makes is one of these pure functions, so the whole
 * matrix (member; secretary of cell A on cell B; committee of commune X on commune Y) is tested
 * here and at the chat. The services call them; the chat core re-exports them.
 */
export interface ScopedRole {
  role: string;
  organizationId: number;
  /** The organization's materialized path ("/1/4/9/"): a subtree is every path starting with it. */
  orgPath: string;
}

export type MemberRoles = ScopedRole[];

/** The member a use case acts for, with their roles: what its authorization check reads. */
export interface ActingMember {
  memberId: number;
  roles: MemberRoles;
}

const LEADERS = new Set(["secretary", "deputy_secretary"]);

/** The cells this person leads as secretary or deputy secretary. */
export function ledCells(roles: MemberRoles): number[] {
  return [...new Set(roles.filter((r) => LEADERS.has(r.role)).map((r) => r.organizationId))];
}

export const leadsCell = (roles: MemberRoles, cellId: number) => ledCells(roles).includes(cellId);

/** Secretaries, deputies and cell committee members see their own cell's attendance. */
export function seesAttendanceOf(roles: MemberRoles, cellId: number): boolean {
  return leadsCell(roles, cellId) || roles.some((r) => r.role === "committee_member" && r.organizationId === cellId);
}

/** The organizations this person reviews as a committee, each with its whole subtree. */
export function reviewerScopes(roles: MemberRoles): ScopedRole[] {
  return roles.filter((r) => r.role === "reviewer");
}

/** Whether an organization (by its path) lies in a subtree this person reviews. */
export function reviewsPath(roles: MemberRoles, path: string): boolean {
  return reviewerScopes(roles).some((r) => path.startsWith(r.orgPath));
}

/** The organizations this person reviews that lie in no other subtree they review. */
export function outermostScopes(roles: MemberRoles): number[] {
  const scopes = reviewerScopes(roles);
  const outer = scopes.filter((s) => !scopes.some((o) => o.orgPath !== s.orgPath && s.orgPath.startsWith(o.orgPath)));
  return [...new Set(outer.map((s) => s.organizationId))];
}

/** A notice to an organization: from a leader of that cell, or a committee reviewing it. */
export const addressesNoticesTo = (roles: MemberRoles, org: { id: number; path: string }) => leadsCell(roles, org.id) || reviewsPath(roles, org.path);

export const isLeader = (roles: MemberRoles) => ledCells(roles).length > 0;
export const isReviewer = (roles: MemberRoles) => reviewerScopes(roles).length > 0;
export const seesAnyAttendance = (roles: MemberRoles) => roles.some((r) => LEADERS.has(r.role) || r.role === "committee_member");
