import type { Request, Response } from "express";
import { isDomainError, NotAllowedError } from "../../../domain/errors.ts";
import type { Organization } from "../../../generated/prisma/client.ts";
import type { OrgAdministrator } from "../../../services/organizationAdmin.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { renderOrgPage } from "./orgPage.ts";
import { administrator, fieldsOf, orgInScope } from "./scope.ts";
import { refusal } from "./words.ts";

export interface ActionInput {
  req: Request;
  viewer: Viewer;
  org: Organization;
  fields: Record<string, string>;
  by: OrgAdministrator;
  now: Date;
}

/** Where a change leads: the confirmation key, and another page (a new organization's) or the year shown. */
export type ActionResult = string | { ok: string; to?: number; year?: number };

export interface ActionSpec {
  /** The section whose form shows a refusal, and the part of the page to come back to. */
  section: string | ((input: ActionInput) => string);
  anchor?: string;
  /** Names the refusal's sentence may use ({{label}}: the setting's name). */
  labels?: (input: ActionInput) => Record<string, string>;
  work(input: ActionInput): Promise<ActionResult>;
}

/**
 * A change to an organization of the viewer's scope: done through one service call, then back to
 * the page with a confirmation (303); a refusal shows the page again at the form with the domain's
 * sentence (400), nothing saved. An organization outside the scope is "not found".
 */
export function act(deps: ConsoleDeps, spec: ActionSpec) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const org = await orgInScope(deps, viewer, req.params.id);
    const input: ActionInput = { req, viewer, org, fields: fieldsOf(res), by: administrator(viewer), now: deps.clock.now() };
    const section = typeof spec.section === "function" ? spec.section(input) : spec.section;
    try {
      const result = await spec.work(input);
      const { ok, to, year } = typeof result === "string" ? { ok: result, to: undefined, year: undefined } : result;
      const query = new URLSearchParams({ ok, ...(year ? { year: String(year) } : {}) });
      res.redirect(303, `/console/organization/${to ?? org.id}?${query.toString()}${to ? "" : `#${spec.anchor ?? section}`}`);
    } catch (error) {
      if (error instanceof NotAllowedError) throw new NotFound();
      if (!isDomainError(error)) throw error;
      const message = refusal(viewer.t, error, spec.labels?.(input));
      await renderOrgPage(deps, req, res, org, { problem: { section, message, fields: input.fields }, status: 400 });
    }
  };
}
