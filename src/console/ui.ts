import type { Request } from "express";
import type { Viewer } from "./context.ts";
import { html, type Html } from "./html.ts";

/** The hidden field every form that changes something carries. */
export const csrfField = (viewer: Viewer) => html`<input type="hidden" name="_csrf" value="${viewer.session.csrfToken}">`;

/**
 * The confirmation after a change: the page redirects to itself with `?ok=<key>` (a key, never
 * data) and shows `console:ok_<key>`, or the area's own `<ns>:ok_<key>`, when such a sentence exists.
 */
export function flashOf(req: Request, viewer: Viewer, namespace = "console"): string | undefined {
  const key = typeof req.query.ok === "string" && /^[a-zA-Z_]{1,40}$/.test(req.query.ok) ? req.query.ok : undefined;
  if (!key) return undefined;
  const full = `${namespace}:ok_${key}`;
  const text = viewer.t(full);
  return text === full || text === `ok_${key}` ? undefined : text;
}

/** A table with a caption, header cells with scope, one row per item; an empty list says so. */
export function table(options: { caption?: string; head: string[]; rows: Html[][]; empty: string; className?: string }): Html {
  if (options.rows.length === 0) return html`<p class="empty">${options.empty}</p>`;
  return html`<div class="table-wrap"><table class="${options.className ?? ""}">
${options.caption ? html`<caption>${options.caption}</caption>` : ""}
<thead><tr>${options.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${options.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/** Previous / next links that keep the page's other query parameters. */
export function pager(req: Request, viewer: Viewer, pageNumber: number, pageCount: number): Html {
  if (pageCount <= 1) return html``;
  const link = (n: number) => {
    const params = new URLSearchParams(req.query as Record<string, string>);
    params.set("page", String(n));
    params.delete("ok");
    return `?${params.toString()}`;
  };
  return html`<nav class="pager" aria-label="${viewer.t("console:pages")}">
${pageNumber > 1 ? html`<a href="${link(pageNumber - 1)}" rel="prev">${viewer.t("console:previous")}</a>` : ""}
<span>${viewer.t("console:pageOf", { page: pageNumber, count: pageCount })}</span>
${pageNumber < pageCount ? html`<a href="${link(pageNumber + 1)}" rel="next">${viewer.t("console:next")}</a>` : ""}
</nav>`;
}

/** A positive whole number from the query or a form, within bounds; the fallback otherwise. */
export function intParam(value: unknown, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : fallback;
}

/** An id in a path (/console/feedback/12): a positive integer, or undefined (then "not found"). */
export function idParam(value: unknown): number | undefined {
  return typeof value === "string" && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : undefined;
}
