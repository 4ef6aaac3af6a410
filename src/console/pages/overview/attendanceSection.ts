import type { Request } from "express";
import type { OverviewReport } from "../../../services/overviewReport.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { intParam } from "../../ui.ts";
import { cell, chartWithTable, type ChartSpec } from "./chart.ts";
import { listPager, monthLabel, numberFormat, pageOf, percentText } from "./format.ts";

/** A year of attendance: the subtree month by month, then each cell (lowest first, a page at a time). */
export function attendanceSection(req: Request, viewer: Viewer, report: OverviewReport): Html {
  const { t } = viewer;
  const number = numberFormat(viewer);
  const { byMonth, byCell, total } = report.attendance;
  const cells = pageOf(byCell, intParam(req.query.apage, 1));
  const rateHead = [t("consoleOverview:colMeetings"), t("consoleOverview:colPresent"), t("consoleOverview:colExpected"), t("consoleOverview:colRate")];
  const rateCells = (f: { meetings: number; present: number; expected: number; rate: number | null }) =>
    [cell(number(f.meetings)), cell(number(f.present)), cell(number(f.expected)), cell(percentText(viewer, f.rate))];
  return html`<section id="attendance" aria-labelledby="attendance-title">
<h2 id="attendance-title">${t("consoleOverview:attendanceTitle")}</h2>
<p>${t("consoleOverview:attendanceTotal", { rate: percentText(viewer, total.rate), meetings: number(total.meetings) })}</p>
<p class="muted">${t("consoleOverview:attendanceNote")}</p>
${chartWithTable({
  id: "attendance-by-month",
  caption: t("consoleOverview:attendanceByMonth"),
  spec: monthlyRates(byMonth, t("consoleOverview:rateSeries")),
  head: [t("consoleOverview:colMonth"), ...rateHead],
  rows: byMonth.map((m) => [cell(monthLabel(m.month)), ...rateCells(m)]),
  empty: t("consoleOverview:noMeetings"),
})}
${chartWithTable({
  id: "attendance-by-cell",
  caption: t("consoleOverview:attendanceByCell"),
  spec: {
    type: "bar", unit: "percent", labels: cells.items.map((c) => c.cellName),
    datasets: [{ label: t("consoleOverview:rateSeries"), data: cells.items.map((c) => c.rate) }],
  },
  head: [t("consoleOverview:colCell"), ...rateHead],
  rows: cells.items.map((c) => [html`<a href="?org=${c.cellId}">${c.cellName}</a>`, ...rateCells(c)]),
  empty: t("consoleOverview:noCells"),
})}
${listPager(req, viewer, "apage", "attendance-by-cell", cells.page, cells.pageCount)}
</section>
${answersSection(viewer, report)}`;
}

/** A line of twelve monthly percentages. */
const monthlyRates = (months: { month: string; rate: number | null }[], label: string): ChartSpec =>
  ({ type: "line", unit: "percent", labels: months.map((m) => monthLabel(m.month)), datasets: [{ label, data: months.map((m) => m.rate) }] });

/** How many expected members said before the start whether they would come. */
function answersSection(viewer: Viewer, report: OverviewReport): Html {
  const { t } = viewer;
  const number = numberFormat(viewer);
  const { byMonth, total, thisMonth } = report.answers;
  return html`<section id="answers" aria-labelledby="answers-title">
<h2 id="answers-title">${t("consoleOverview:answersTitle")}</h2>
<ul class="overview-figures">
<li><span class="figure">${percentText(viewer, thisMonth.rate)}</span> ${t("consoleOverview:answersThisMonth")}</li>
<li><span class="figure">${percentText(viewer, total.rate)}</span> ${t("consoleOverview:answersYear")}</li>
</ul>
<p class="muted">${t("consoleOverview:answersNote")}</p>
${chartWithTable({
  id: "answers-by-month",
  caption: t("consoleOverview:answersByMonth"),
  spec: monthlyRates(byMonth, t("consoleOverview:answersSeries")),
  head: [t("consoleOverview:colMonth"), t("consoleOverview:colMeetings"), t("consoleOverview:colEarly"), t("consoleOverview:colExpected"), t("consoleOverview:colRate")],
  rows: byMonth.map((m) => [cell(monthLabel(m.month)), cell(number(m.meetings)), cell(number(m.early)), cell(number(m.expected)), cell(percentText(viewer, m.rate))]),
  empty: t("consoleOverview:noMeetings"),
})}
</section>`;
}
