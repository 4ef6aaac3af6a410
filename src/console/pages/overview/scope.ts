import type { Request } from "express";
import { allows, scopePaths } from "../../../domain/consoleAccess.ts";
import type { OverviewOrganization, OverviewReportService } from "../../../services/overviewReport.ts";
import type { Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { idParam } from "../../ui.ts";

export interface OverviewScope {
  org: OverviewOrganization;
  /** The subtrees the person may look at (widest first), for the picker. */
  choices: { id: number; name: string }[];
}

/**
 * Which subtree the page shows: the one asked for in `?org=` (any organization inside the
 * person's scope: one of their subtrees or a cell of it), else their widest. Anything else is
 * "not found", like an organization that does not exist; so is the page for someone with no scope.
 */
export async function overviewScope(report: OverviewReportService, viewer: Viewer, req: Request): Promise<OverviewScope> {
  const paths = scopePaths(viewer.roles, "overview");
  if (paths.length === 0) throw new NotFound();
  const choices = paths.map((path) => {
    const role = viewer.roles.find((r) => r.orgPath === path)!;
    return { id: role.organizationId, name: role.orgName };
  });
  const asked = req.query.org === undefined ? choices[0]!.id : idParam(req.query.org);
  const org = asked === undefined ? null : await report.organization(asked);
  if (!org || !allows(viewer.roles, "overview", org.path)) throw new NotFound();
  return { org, choices };
}

/** The picker (a GET form, so it works without JavaScript), when there is more than one subtree or a cell was opened. */
export function scopePicker(viewer: Viewer, scope: OverviewScope): Html {
  const { t } = viewer;
  const options = scope.choices.some((c) => c.id === scope.org.id) ? scope.choices : [...scope.choices, { id: scope.org.id, name: scope.org.name }];
  if (options.length < 2) return html``;
  return html`<form method="get" action="/console/overview" class="filters overview-scope">
<div class="field"><label for="overview-org">${t("consoleOverview:scopeLabel")}</label>
<select id="overview-org" name="org">
${options.map((o) => html`<option value="${o.id}"${o.id === scope.org.id ? html` selected` : ""}>${o.name}</option>`)}
</select></div>
<button type="submit">${t("consoleOverview:scopeShow")}</button>
</form>`;
}
