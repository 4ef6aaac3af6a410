import type { Request } from "express";
import { formatDisplayDate, pad, type LocalDate } from "../../../domain/localTime.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";

/** Rows per page in the overview's long lists (a province's cells). */
export const PAGE_SIZE = 25;
/** The page's own parameters: the subtree shown and the page of each list. */
const PAGE_PARAMS = ["org", "mpage", "apage"] as const;

/** Numbers as the reader writes them (1.234 in Vietnamese, 1,234 in English). */
export function numberFormat(viewer: Viewer): (value: number) => string {
  const format = new Intl.NumberFormat(viewer.language === "vi" ? "vi-VN" : "en-GB");
  return (value) => format.format(value);
}

/** "74%", or "—" when there was nothing to count. */
export const percentText = (viewer: Viewer, value: number | null) =>
  value === null ? viewer.t("consoleOverview:none") : viewer.t("consoleOverview:percent", { value });

/** "12/2026" for the key "2026-12". */
export const monthLabel = (key: string) => `${key.slice(5, 7)}/${key.slice(0, 4)}`;

/** "07/12" for a week starting Monday 7 December. */
export const weekLabel = (day: LocalDate) => `${pad(day.day)}/${pad(day.month)}`;

export const dayLabel = (day: LocalDate) => formatDisplayDate(day);

/** One page of a list, and how many pages there are. */
export function pageOf<T>(items: readonly T[], requested: number): { items: T[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, requested), pageCount);
  return { items: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), page, pageCount };
}

/**
 * Previous / next links for one of the page's lists, named by its own query parameter (the
 * overview pages two lists independently), keeping the page's other parameters and the section's anchor.
 */
export function listPager(req: Request, viewer: Viewer, param: string, anchor: string, page: number, pageCount: number): Html {
  if (pageCount <= 1) return html``;
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const key of PAGE_PARAMS) {
      const value = req.query[key];
      if (typeof value === "string" && /^\d{1,10}$/.test(value)) params.set(key, value);
    }
    params.set(param, String(n));
    return `?${params.toString()}#${anchor}`;
  };
  return html`<nav class="pager" aria-label="${viewer.t("console:pages")}">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">${viewer.t("console:previous")}</a>` : ""}
<span>${viewer.t("console:pageOf", { page, count: pageCount })}</span>
${page < pageCount ? html`<a href="${link(page + 1)}" rel="next">${viewer.t("console:next")}</a>` : ""}
</nav>`;
}
