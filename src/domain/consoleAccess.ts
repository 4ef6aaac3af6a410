import type { MemberRoles, ScopedRole } from "./authorization.ts";

/**
 * What each role may do in each part of the committee console, over which organizations. The
 * grants follow the chat's: reviewers handle feedback and send notices in the subtree they
 * review, secretaries and deputies run their cell (meetings, members, notices), committee members
 * of a cell see its meetings, administrators manage members and settings of their subtree (an
 * office that also sends notices or answers feedback holds the reviewer role as well, as in chat). One
 * table, tested as a matrix and by URL tampering at every page.
 */
export const CONSOLE_AREAS = ["overview", "feedback", "meetings", "members", "organization", "notices"] as const;
export type ConsoleArea = (typeof CONSOLE_AREAS)[number];
export type Access = "see" | "manage";

const GRANTS: Record<string, Partial<Record<ConsoleArea, Access>>> = {
  administrator: { overview: "see", meetings: "see", members: "manage", organization: "manage" },
  reviewer: { overview: "see", feedback: "manage", meetings: "see", notices: "manage" },
  secretary: { overview: "see", meetings: "manage", members: "manage", notices: "manage" },
  deputy_secretary: { overview: "see", meetings: "manage", members: "manage", notices: "manage" },
  committee_member: { overview: "see", meetings: "see" },
};

const satisfies = (granted: Access | undefined, need: Access) => granted === "manage" || (granted === "see" && need === "see");

/** The roles that give this access to the area, each with the subtree it covers. */
export function scopesFor(roles: MemberRoles, area: ConsoleArea, need: Access = "see"): ScopedRole[] {
  return roles.filter((r) => satisfies(GRANTS[r.role]?.[area], need));
}

/** The subtrees (materialized paths) the person may see or manage in the area, without nesting repeats. */
export function scopePaths(roles: MemberRoles, area: ConsoleArea, need: Access = "see"): string[] {
  const paths = [...new Set(scopesFor(roles, area, need).map((r) => r.orgPath))].sort((a, b) => a.length - b.length);
  return paths.filter((p, i) => !paths.slice(0, i).some((outer) => p.startsWith(outer)));
}

/** Whether the organization at `path` lies in a subtree where the person has this access. */
export function allows(roles: MemberRoles, area: ConsoleArea, path: string, need: Access = "see"): boolean {
  return scopePaths(roles, area, need).some((p) => path.startsWith(p));
}

/** The parts of the console the person sees in the menu (their own page is everyone's). */
export function visibleAreas(roles: MemberRoles): ConsoleArea[] {
  return CONSOLE_AREAS.filter((area) => scopesFor(roles, area).length > 0);
}

/** Administrators of an organization's subtree (one may only grant or remove inside it). */
export const administers = (roles: MemberRoles, path: string) => allows(roles, "organization", path, "manage");
