import type { NextFunction, Request, Response } from "express";
import { allows, scopePaths } from "../../../domain/consoleAccess.ts";
import type { DomainError } from "../../../domain/errors.ts";
import type { Actor } from "../../../services/audit.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { idParam } from "../../ui.ts";

/** The subtrees whose members the viewer manages: a commune's administrators, a cell's secretary and deputy. */
export const managedPaths = (viewer: Viewer): string[] => scopePaths(viewer.roles, "members", "manage");

/** Whether the organization at `path` is one whose members the viewer manages. */
export const mayManage = (viewer: Viewer, path: string): boolean => allows(viewer.roles, "members", path, "manage");

/** The viewer as the audit log names them. */
export const actorOf = (viewer: Viewer): Actor => ({ kind: "console", memberId: viewer.id });

/** Anyone without the members area gets what an unknown address gets. */
export function requireMembersArea(_req: Request, res: Response, next: NextFunction): void {
  next(managedPaths(viewerOf(res)).length === 0 ? new NotFound() : undefined);
}

/** The cell named in the address or form, when its members are the viewer's to manage; "not found" otherwise. */
export async function cellInScope(deps: ConsoleDeps, viewer: Viewer, value: unknown) {
  const org = await orgInScope(deps, viewer, value);
  if (org.level !== "cell") throw new NotFound();
  return org;
}

/** Any organization named in the address or form, under the same rule. */
export async function orgInScope(deps: ConsoleDeps, viewer: Viewer, value: unknown) {
  const id = idParam(value);
  const org = id === undefined ? undefined : await deps.services.memberDirectory.organization(id);
  if (!org || !mayManage(viewer, org.path)) throw new NotFound();
  return org;
}

/** A text field of a posted form ("" when absent or repeated). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
}

/** Sentences whose chat or CLI wording does not fit a form (they name command-line options). */
const FORM_WORDING: Record<string, string> = {
  "member:temporaryNeedsEnd": "consoleMembers:temporaryNeedsEnd",
  "member:invalidDay": "consoleMembers:invalidDay",
};

/** A refusal of the use case, in the viewer's words. */
export const refusalText = (viewer: Viewer, error: DomainError): string => viewer.t(FORM_WORDING[error.code] ?? error.code, error.params);
