import { CATEGORIES } from "../../../domain/feedback.ts";
import { ASSIGNED_FILTERS, filterParams, QUEUE_SORTS, STATUS_FILTERS, type FilterProblem, type QueueFilters } from "../../../domain/feedbackQueue.ts";
import { addresseeLabel } from "../../../services/addresseeLabel.ts";
import type { QueueChoices, QueuePage, QueueRow } from "../../../services/feedbackQueue.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, table } from "../../ui.ts";
import { BASE, day, NS } from "./shared.ts";

/** The values a form field shows: what the filters hold now. */
interface Shown {
  filters: QueueFilters;
  /** The raw day texts, so a mistyped day stays in its box to be corrected. */
  from: string;
  to: string;
}

const selected = (on: boolean) => (on ? html` selected` : "");
const checked = (on: boolean) => (on ? html` checked` : "");

function select(id: string, label: string, options: [string, string][], current: string | undefined, allLabel: string): Html {
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${id}"><option value="">${allLabel}</option>
${options.map(([value, text]) => html`<option value="${value}"${selected(current === value)}>${text}</option>`)}
</select></div>`;
}

/** Hidden fields carrying the filters (and the search) into another form. */
export function hiddenFilters(filters: QueueFilters, extra: Record<string, string> = {}): Html {
  const values = { ...filterParams(filters), ...(filters.search ? { q: filters.search } : {}), ...extra };
  return html`${Object.entries(values).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

/**
 * One form for filters and search. It is posted, so the words searched never go into an address
 * (nor the browser's history); without words the page answers with the filters' plain address.
 */
function filterForm(viewer: Viewer, choices: QueueChoices, shown: Shown): Html {
  const { t } = viewer;
  const f = shown.filters;
  const all = t(`${NS}:all`);
  const units = choices.units.map((u): [string, string] => [String(u.id), `${"— ".repeat(u.depth)}${u.name}`]);
  const addressees = choices.addressees
    .map((a): [string, string] => [a.key, addresseeLabel(t, { addressee: a.key, agencyName: a.name ?? null }, choices.unitKind)]);
  const statuses = STATUS_FILTERS.map((s): [string, string] => [s, s === "open" ? t(`${NS}:status_open`) : t(`feedback:status_${s}`)]);
  return html`<form method="post" action="${BASE}/search" class="card feedback-filters" role="search">
${csrfField(viewer)}
<h2>${t(`${NS}:filtersTitle`)}</h2>
<div class="field feedback-search"><label for="q">${t(`${NS}:search`)}</label>
<input id="q" name="q" type="search" maxlength="100" value="${f.search ?? ""}" aria-describedby="q-hint">
<span id="q-hint" class="muted">${t(`${NS}:searchHint`)}</span></div>
<div class="filters">
${select("status", t(`${NS}:status`), statuses, f.status, all)}
${select("cell", t(`${NS}:unit`), units, f.cellId ? String(f.cellId) : undefined, all)}
${select("addressee", t(`${NS}:addressee`), addressees, f.addressee, all)}
${select("category", t(`${NS}:category`), CATEGORIES.map((c) => [c, t(`feedback:category_${c}`)]), f.category, all)}
<div class="field"><label for="from">${t(`${NS}:from`)}</label><input id="from" name="from" type="date" value="${shown.from}"></div>
<div class="field"><label for="to">${t(`${NS}:to`)}</label><input id="to" name="to" type="date" value="${shown.to}"></div>
${select("assigned", t(`${NS}:assigned`), ASSIGNED_FILTERS.map((a) => [a, t(`${NS}:assigned_${a}`)]), f.assigned, all)}
<div class="field"><label for="sort">${t(`${NS}:sort`)}</label><select id="sort" name="sort">
${QUEUE_SORTS.map((s) => html`<option value="${s}"${selected(f.sort === s)}>${t(`${NS}:sort_${s}`)}</option>`)}
</select></div>
</div>
<div class="feedback-checks">
<label><input type="checkbox" name="overdue" value="1"${checked(f.overdue)}> ${t(`${NS}:overdueOnly`)}</label>
<label><input type="checkbox" name="anonymous" value="1"${checked(f.anonymous)}> ${t(`${NS}:anonymousOnly`)}</label>
</div>
<div class="actions"><button type="submit" class="primary">${t(`${NS}:apply`)}</button><a class="button" href="${BASE}">${t(`${NS}:clear`)}</a></div>
</form>`;
}

function row(viewer: Viewer, item: QueueRow): Html[] {
  const { t } = viewer;
  return [
    html`<a href="${BASE}/${item.id}">${item.reference}</a>`,
    html`${day(item.createdAt)}`,
    html`${item.cellName}`,
    html`${addresseeLabel(t, item, item.unitKind)}`,
    html`${t(`feedback:category_${item.category}`)}`,
    html`<span class="badge">${t(`feedback:status_${item.status}`)}</span>`,
    item.dueAt ? html`${day(item.dueAt)}${item.overdue ? html` <span class="badge feedback-overdue">${t(`${NS}:overdue`)}</span>` : ""}` : html``,
    html`${item.assigneeName ?? html`<span class="muted">${t(`${NS}:unassigned`)}</span>`}`,
    // Decided here again, whatever the service gave: an anonymous item names nobody.
    item.anonymous || item.authorName === null ? html`<em>${t(`${NS}:anonymous`)}</em>` : html`${item.authorName}`,
  ];
}

/** Previous / next: links for filters alone, small posted forms when words are searched (they stay out of the address). */
function pager(viewer: Viewer, filters: QueueFilters, page: number, pageCount: number): Html {
  if (pageCount <= 1) return html``;
  const { t } = viewer;
  const go = (n: number, label: string, rel: string) => filters.search
    ? html`<form method="post" action="${BASE}/search">${csrfField(viewer)}${hiddenFilters(filters, { page: String(n) })}
<button type="submit" class="link">${label}</button></form>`
    : html`<a href="${BASE}?${new URLSearchParams({ ...filterParams(filters), page: String(n) }).toString()}" rel="${rel}">${label}</a>`;
  return html`<nav class="pager" aria-label="${t("console:pages")}">
${page > 1 ? go(page - 1, t("console:previous"), "prev") : ""}
<span>${t("console:pageOf", { page, count: pageCount })}</span>
${page < pageCount ? go(page + 1, t("console:next"), "next") : ""}
</nav>`;
}

function exportControl(viewer: Viewer, filters: QueueFilters): Html {
  const label = viewer.t(`${NS}:exportButton`);
  if (!filters.search) {
    const query = new URLSearchParams(filterParams(filters)).toString();
    return html`<a class="button" href="${BASE}/export${query ? `?${query}` : ""}" download>${label}</a>`;
  }
  return html`<form method="post" action="${BASE}/export">${csrfField(viewer)}${hiddenFilters(filters)}
<button type="submit">${label}</button></form>`;
}

export function queueBody(viewer: Viewer, choices: QueueChoices, result: QueuePage, shown: Shown, problems: FilterProblem[]): Html {
  const { t } = viewer;
  const head = ["reference", "date", "cell", "addressee", "category", "status", "due", "assignee", "author"].map((c) => t(`${NS}:col_${c}`));
  const rows = result.rows.map((r) => row(viewer, r));
  return html`<p>${t(`${NS}:intro`)}</p>
<p class="actions"><a href="${BASE}/templates">${t(`${NS}:templatesLink`)}</a></p>
${problems.map((p) => html`<p class="warning" role="alert">${t(`${NS}:${p.key}`)}</p>`)}
${filterForm(viewer, choices, shown)}
<div class="feedback-summary"><p role="status">${t(`${NS}:count`, { count: result.total })}</p>
${result.total > 0 ? exportControl(viewer, shown.filters) : ""}</div>
${table({ caption: t(`${NS}:listCaption`), head, rows, empty: t(`${NS}:empty`), className: "feedback-queue" })}
${pager(viewer, { ...shown.filters }, result.page, result.pageCount)}`;
}
