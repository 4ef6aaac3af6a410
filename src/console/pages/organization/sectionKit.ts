import type { Request } from "express";
import type { TFunction } from "i18next";
import type { EffectiveSettings } from "../../../domain/orgSettings.ts";
import type { Organization } from "../../../generated/prisma/client.ts";
import type { UpcomingMeeting } from "../../../services/meetings.ts";
import type { Candidate, Officer } from "../../../services/organizationOfficers.ts";
import type { OrgSummary } from "../../../services/organizationTree.ts";
import type { EffectiveDay } from "../../../services/orgSettingsService.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";

export const NS = "consoleOrganization";

/** A refused change: the section it came from, the sentence to show there, and what was typed. */
export interface Problem {
  section: string;
  message: string;
  fields: Record<string, string>;
}

/** What the organization page shows, read once per request. */
export interface OrgPageData {
  org: Organization;
  /** The organizations above it, top first, each with whether the viewer administers it too. */
  chain: { org: Organization; inScope: boolean }[];
  self: OrgSummary;
  children: { items: OrgSummary[]; total: number; page: number; pageCount: number };
  settings: EffectiveSettings;
  year: number;
  holidays: EffectiveDay[];
  officers: Officer[];
  /** A cell's members to choose from for a role (null: too many, search instead; undefined: not a cell). */
  cellMembers?: Candidate[] | null;
  next: UpcomingMeeting | null;
}

export interface SectionContext {
  req: Request;
  viewer: Viewer;
  t: TFunction;
  data: OrgPageData;
  problem?: Problem;
  search?: { query: string; results: Candidate[] };
}

export const action = (ctx: SectionContext, path: string) => `/console/organization/${ctx.data.org.id}/${path}`;

/** The refusal shown at the top of the section's form, announced to a screen reader. */
export function problemAt(ctx: SectionContext, section: string): Html {
  return ctx.problem?.section === section ? html`<p class="error" role="alert" id="problem-${section}">${ctx.problem.message}</p>` : html``;
}

/** Field values: what was just typed into this section's form, else the current value. */
export function valuesFor(ctx: SectionContext, section: string) {
  const typed = ctx.problem?.section === section ? ctx.problem.fields : undefined;
  return {
    val: (name: string, current: string) => typed?.[name] ?? current,
    checked: (name: string, current: boolean) => (typed ? typed[name] === "on" : current),
  };
}

/** A labelled control, the label above it, as every form of the area has them. */
export const field = (id: string, label: string, control: Html) => html`<div class="field"><label for="${id}">${label}</label>${control}</div>`;

export const checkedIf = (on: boolean) => (on ? html` checked` : "");

/** The options of a select, the chosen one selected. */
export const options = (values: readonly string[], chosen: string, label: (value: string) => string) =>
  values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ""}>${label(v)}</option>`);

/** A checkbox or radio button with its label after it. */
export const choice = (type: "checkbox" | "radio", id: string, name: string, value: string, on: boolean, label: string) =>
  html`<div class="organization-check"><input type="${type}" id="${id}" name="${name}" value="${value}"${checkedIf(on)}><label for="${id}">${label}</label></div>`;

/** A form of one button posting a few hidden values (a line's action); it asks first when `confirm` is given. */
export function postButton(ctx: SectionContext, path: string, hidden: Record<string, string | number>,
  button: { label: string; aria?: string; className?: string; confirm?: string }): Html {
  const inputs = Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form method="post" action="${action(ctx, path)}"${button.confirm ? html` data-confirm="${button.confirm}"` : ""}>${csrfField(ctx.viewer)}${inputs}
<button type="submit"${button.className ? html` class="${button.className}"` : ""}${button.aria ? html` aria-label="${button.aria}"` : ""}>${button.label}</button></form>`;
}
