import type { Request, Response } from "express";
import { administers } from "../../../domain/consoleAccess.ts";
import { toLocal } from "../../../domain/localTime.ts";
import type { Organization } from "../../../generated/prisma/client.ts";
import type { Candidate } from "../../../services/organizationOfficers.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { flashOf, intParam } from "../../ui.ts";
import { addresseesSection } from "./addresseesSection.ts";
import { childrenSection } from "./childrenSection.ts";
import { holidaysSection } from "./holidaysSection.ts";
import { identitySection } from "./identitySection.ts";
import { officersSection } from "./officersSection.ts";
import { ruleSection } from "./ruleSection.ts";
import { NS, type OrgPageData, type Problem, type SectionContext } from "./sectionKit.ts";
import { settingsSection } from "./settingsSection.ts";
import { kindLabel } from "./words.ts";

export interface PageExtras {
  problem?: Problem;
  search?: { query: string; results: Candidate[] };
  status?: number;
}

async function load(deps: ConsoleDeps, req: Request, res: Response, org: Organization): Promise<OrgPageData> {
  const viewer = viewerOf(res);
  const { services } = deps;
  const now = deps.clock.now();
  const reader = { kind: "console", memberId: viewer.id };
  // A form sent back after a refusal carries the year it was on; the address does otherwise.
  const year = intParam(req.query.year ?? (req.body as Record<string, unknown> | undefined)?.year, toLocal(now).year, 1900, 2199);
  const pageNumber = intParam(req.query.page, 1);
  const isCell = org.level === "cell";
  const [chain, overview, { settings }, holidays, officers, cellMembers, upcoming] = await Promise.all([
    services.organizationTree.chain(org),
    services.organizationTree.overview(org, pageNumber),
    services.organizations.settings(org.code),
    services.organizations.holidays(org.code, year),
    services.organizationOfficers.officers(org, reader, now),
    isCell ? services.organizationOfficers.cellMembers(org, reader, now) : Promise.resolve(undefined),
    isCell ? services.meetings.upcoming(org.code, { from: now, count: 1 }) : Promise.resolve(undefined),
  ]);
  return {
    org, settings, year, holidays, officers, cellMembers,
    chain: chain.map((o) => ({ org: o, inScope: administers(viewer.roles, o.path) })),
    self: overview.self,
    children: { items: overview.children, total: overview.total, page: Math.min(pageNumber, overview.pageCount), pageCount: overview.pageCount },
    next: upcoming?.meetings[0] ?? null,
  };
}

/**
 * An organization's page: name and kind, a cell's meeting rule, the organizations under it, the
 * settings in force for its subtree, days off, feedback addressees, and its officers.
 */
export async function renderOrgPage(deps: ConsoleDeps, req: Request, res: Response, org: Organization, extras: PageExtras = {}): Promise<void> {
  const viewer = viewerOf(res);
  const { t } = viewer;
  const data = await load(deps, req, res, org);
  const ctx: SectionContext = { req, viewer, t, data, problem: extras.problem, search: extras.search };
  const isCell = org.level === "cell";
  const above = data.chain.filter((c) => c.org.id !== org.id);
  const sections = [
    ["identity", "identityTitle"], ...(isCell ? [["rule", "ruleTitle"]] : [["children", "childrenNav"]]),
    ["settings", "settingsTitle"], ["holidays", "holidaysNav"], ["addressees", "addresseesTitle"], ["officers", "officersTitle"],
  ];
  const crumb = (c: OrgPageData["chain"][number]) =>
    html` › ${c.inScope ? html`<a href="/console/organization/${c.org.id}">${c.org.name}</a>` : html`<span>${c.org.name}</span>`}`;
  const counts = [t(`${NS}:memberCount`, { count: data.self.members }), ...(isCell ? [] : [t(`${NS}:cellCount`, { count: data.self.cells })])].join(", ");
  const toc = sections.map(([id, key]) => html`<li><a href="#${id}">${t(`${NS}:${key}`, { year: data.year, count: data.children.total })}</a></li>`);
  const body = html`<nav aria-label="${t(`${NS}:above`)}" class="organization-crumbs"><a href="/console/organization">${t(`${NS}:treeTitle`)}</a>${above.map(crumb)}</nav>
<p class="organization-meta">${kindLabel(t, org)} · ${t(`${NS}:code`)} <code>${org.code}</code> · ${counts}</p>
<nav aria-label="${t(`${NS}:onThisPage`)}"><ul class="organization-toc">${toc}</ul></nav>
${identitySection(ctx)}
${isCell ? ruleSection(ctx) : childrenSection(ctx)}
${settingsSection(ctx)}
${holidaysSection(ctx)}
${addresseesSection(ctx)}
${officersSection(ctx)}`;
  const markup = page(viewer, { title: org.name, area: "organization", body, flash: extras.problem ? undefined : flashOf(req, viewer, NS) });
  res.status(extras.status ?? 200).type("html").send(markup.toString());
}
