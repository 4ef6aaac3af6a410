import type { MemberDirectoryService } from "../../../services/memberDirectory.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, table } from "../../ui.ts";
import { channelsOf, exemptionOf, positionsOf } from "./labels.ts";

/** The list's filters as the form and the address hold them (ids and keys; the search text only in a posted form). */
export interface ListForm {
  query: string;
  cell?: number;
  status?: "full" | "probationary";
  linked?: "yes" | "no";
  exemption?: "none" | "exempt" | "temporary";
  page: number;
}

type Found = Awaited<ReturnType<MemberDirectoryService["search"]>>;
type Cell = { id: number; name: string };

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}"${selected === value ? html` selected` : ""}>${label}</option>`;

/** The filter keys of the form, for an address or hidden fields (never the search text). */
export function filterKeys(form: ListForm): Record<string, string> {
  const keys: Record<string, string> = {};
  if (form.cell !== undefined) keys.cell = String(form.cell);
  if (form.status) keys.status = form.status;
  if (form.linked) keys.linked = form.linked;
  if (form.exemption) keys.exemption = form.exemption;
  return keys;
}

/**
 * The search and filters: one form, posted, since a name or phone number typed in it must not
 * travel in the address (history, logs). Without search text the page answers with an address of
 * filter keys that can be kept and shared.
 */
function filters(viewer: Viewer, form: ListForm, cells: Cell[]): Html {
  const { t } = viewer;
  /** A select whose first choice, "all", is the empty value. */
  const select = (name: string, label: string, choices: [string, string][], selected: string | undefined, all = t("consoleMembers:any")) =>
    html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">
${[["", all] as [string, string], ...choices].map(([value, text]) => option(value, text, selected ?? ""))}
</select></div>`;
  const cellChoices = cells.map((c): [string, string] => [String(c.id), c.name]);
  return html`<form method="post" action="/console/members" class="filters" role="search">${csrfField(viewer)}
<div class="field"><label for="f-query">${t("consoleMembers:search")}</label>
<input id="f-query" name="query" type="search" value="${form.query}" maxlength="100" autocomplete="off"></div>
${select("cell", t("consoleMembers:cell"), cellChoices, form.cell === undefined ? undefined : String(form.cell), t("consoleMembers:allCells"))}
${select("status", t("consoleMembers:status"), [["full", t("consoleMembers:status_full")], ["probationary", t("consoleMembers:status_probationary")]], form.status)}
${select("linked", t("consoleMembers:linked"), [["yes", t("consoleMembers:linkedYes")], ["no", t("consoleMembers:linkedNo")]], form.linked)}
${select("exemption", t("consoleMembers:exemption"), [
    ["none", t("consoleMembers:exemptionNone")], ["exempt", t("consoleMembers:exemptionExempt")], ["temporary", t("consoleMembers:exemptionTemporary")],
  ], form.exemption)}
<button type="submit" class="primary">${t("consoleMembers:find")}</button>
</form>`;
}

/** Previous and next: links that keep the filter keys, or small posted forms when the search text must come along. */
function pager(viewer: Viewer, form: ListForm, found: Found): Html {
  if (found.pageCount <= 1) return html``;
  const { t } = viewer;
  const go = (page: number, label: string, rel: string) => {
    if (form.query === "") return html`<a href="?${new URLSearchParams({ ...filterKeys(form), page: String(page) }).toString()}" rel="${rel}">${label}</a>`;
    const hidden = Object.entries({ ...filterKeys(form), query: form.query, page: String(page) })
      .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
    return html`<form method="post" action="/console/members">${csrfField(viewer)}${hidden}<button type="submit" class="link">${label}</button></form>`;
  };
  return html`<nav class="pager" aria-label="${t("console:pages")}">
${found.page > 1 ? go(found.page - 1, t("console:previous"), "prev") : ""}
<span>${t("console:pageOf", { page: found.page, count: found.pageCount })}</span>
${found.page < found.pageCount ? go(found.page + 1, t("console:next"), "next") : ""}
</nav>`;
}

export function listBody(viewer: Viewer, form: ListForm, cells: Cell[], found: Found): Html {
  const { t } = viewer;
  const rows = found.members.map((m) => [
    html`<a href="/console/members/${m.id}">${m.fullName}</a>`,
    html`${m.cell.name}`,
    html`${t(`consoleMembers:status_${m.status}`)}`,
    html`${positionsOf(viewer, m)}`,
    channelsOf(viewer, m.identities),
    html`${exemptionOf(viewer, m)}`,
  ]);
  return html`<ul class="actions members-actions">
<li><a class="button" href="/console/members/import">${t("consoleMembers:importLink")}</a></li>
<li><a class="button" href="/console/members/template.xlsx">${t("consoleMembers:templateLink")}</a></li>
<li><a class="button" href="/console/members/slips">${t("consoleMembers:slipsLink")}</a></li>
<li><a class="button" href="/console/members/unlinked">${t("consoleMembers:unlinkedLink")}</a></li>
</ul>
${filters(viewer, form, cells)}
<p role="status">${t("consoleMembers:found", { count: found.total })}</p>
${table({
    caption: t("consoleMembers:listCaption"),
    head: ["name", "cell", "status", "positions", "linked", "exemption"].map((key) => t(`consoleMembers:${key}`)),
    rows, empty: t("consoleMembers:noneFound"), className: "members-list",
  })}
${pager(viewer, form, found)}`;
}
