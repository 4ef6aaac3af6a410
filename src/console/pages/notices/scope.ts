import { allows, scopePaths } from "../../../domain/consoleAccess.ts";
import { addressesNoticesTo } from "../../../domain/authorization.ts";
import type { Viewer } from "../../context.ts";

/**
 * Whether the viewer may send to, and follow the notices of, an organization: the console's notice
 * scope, held through a role that sends notices in the chat too (a cell's leaders, a reviewing
 * committee), so the pages never open what the chat's /thongbao and its report refuse.
 */
export const mayAddress = (viewer: Viewer, org: { id: number; path: string }) =>
  allows(viewer.roles, "notices", org.path, "manage") && addressesNoticesTo(viewer.roles, org);

/** The subtrees whose notices the viewer follows (the list's scope), by the same rule. */
export function noticePaths(viewer: Viewer): string[] {
  const sending = viewer.roles.filter((r) => addressesNoticesTo([r], { id: r.organizationId, path: r.orgPath }));
  return scopePaths(sending, "notices", "manage");
}
