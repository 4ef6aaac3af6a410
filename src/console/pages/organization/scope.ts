import type { Response } from "express";
import { administers } from "../../../domain/consoleAccess.ts";
import type { Organization } from "../../../generated/prisma/client.ts";
import type { OrgAdministrator } from "../../../services/organizationAdmin.ts";
import type { ConsoleDeps, Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { idParam } from "../../ui.ts";

/**
 * The organization named in the address, when the viewer administers it; "not found" otherwise,
 * the same answer as for an id that does not exist.
 */
export async function orgInScope(deps: ConsoleDeps, viewer: Viewer, id: unknown): Promise<Organization> {
  const orgId = idParam(id);
  const org = orgId === undefined ? null : await deps.services.organizationTree.byId(orgId);
  if (!org || !administers(viewer.roles, org.path)) throw new NotFound();
  return org;
}

/** The viewer as the services' audit and scope checks see them. */
export const administrator = (viewer: Viewer): OrgAdministrator => ({ actor: { kind: "console", memberId: viewer.id }, roles: viewer.roles });

/** The form body as text fields (express leaves it undefined on an empty post). */
export function fieldsOf(res: Response): Record<string, string> {
  const body = (res.req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}
