import type { Request } from "express";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import { MEETING_OUTCOMES } from "../../../domain/overview.ts";
import type { MonthMeetingRow } from "../../../services/overviewMeetings.ts";
import type { OverviewReport } from "../../../services/overviewReport.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { intParam, table } from "../../ui.ts";
import { cell } from "./chart.ts";
import { listPager, monthLabel, numberFormat, pageOf } from "./format.ts";

/** Up to this many cells, every cell is listed; past it, only those a committee should look at, a page at a time. */
const LIST_EVERY_CELL_UP_TO = 30;

/** This month's meetings: how many were held, not held, moved (and why), not yet marked; then the cells. */
export function meetingsSection(req: Request, viewer: Viewer, report: OverviewReport): Html {
  const { t } = viewer;
  const number = numberFormat(viewer);
  const { counts, postponed, rows, attention } = report.meetings;
  const small = rows.length <= LIST_EVERY_CELL_UP_TO;
  const listed = small ? { items: rows, page: 1, pageCount: 1 } : pageOf(attention, intParam(req.query.mpage, 1));
  const figures = [
    ...MEETING_OUTCOMES.filter((o) => o !== "no_rule" || counts.no_rule > 0).map((o) => ({ key: `outcome_${o}`, value: counts[o], tone: o })),
    { key: "postponedCount", value: postponed, tone: "postponed" },
  ];
  return html`<section id="meetings" aria-labelledby="meetings-title">
<h2 id="meetings-title">${t("consoleOverview:meetingsTitle", { month: monthLabel(report.windows.months.at(-1)!) })}</h2>
<ul class="overview-figures">
${figures.map((f) => html`<li class="overview-${f.tone}"><span class="figure">${number(f.value)}</span> ${t(`consoleOverview:${f.key}`)}</li>`)}
</ul>
<h3>${small ? t("consoleOverview:meetingsAllCells") : t("consoleOverview:meetingsAttention", { count: number(attention.length) })}</h3>
${table({
  head: [t("consoleOverview:colCell"), t("consoleOverview:colOutcome"), t("consoleOverview:colStart"), t("consoleOverview:colPostponed")],
  rows: listed.items.map((row) => meetingRow(viewer, row)),
  empty: small ? t("consoleOverview:noCells") : t("consoleOverview:meetingsNoAttention"),
  className: "overview-cells",
})}
${listPager(req, viewer, "mpage", "meetings", listed.page, listed.pageCount)}
</section>`;
}

function meetingRow(viewer: Viewer, row: MonthMeetingRow): Html[] {
  const { t } = viewer;
  const moved = row.postponed
    ? row.postponed.reason
      ? t("consoleOverview:postponedTo", { date: formatDisplayDateTime(row.postponed.to), reason: row.postponed.reason })
      : t("consoleOverview:postponedToNoReason", { date: formatDisplayDateTime(row.postponed.to) })
    : "";
  return [
    html`<a href="?org=${row.cellId}">${row.cellName}</a>`,
    html`<span class="overview-outcome overview-${row.outcome}">${t(`consoleOverview:outcome_${row.outcome}`)}</span>`,
    cell(row.startsAt ? formatDisplayDateTime(row.startsAt) : t("consoleOverview:none")),
    cell(moved),
  ];
}
