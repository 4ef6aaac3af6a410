import { allows } from "../../../domain/consoleAccess.ts";
import type { OverviewReport } from "../../../services/overviewReport.ts";
import type { OverviewScope } from "./scope.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { cell, chartWithTable } from "./chart.ts";
import { numberFormat, weekLabel } from "./format.ts";

/**
 * Twelve weeks of feedback by status and by category, and what is overdue. Counts for a single
 * cell are shown only to those who review its feedback anyway: in a cell of fifteen, "one item
 * about cadres this week" could point at an anonymous author.
 */
export function feedbackSection(viewer: Viewer, scope: OverviewScope, report: OverviewReport): Html {
  const { t } = viewer;
  const reviews = allows(viewer.roles, "feedback", scope.org.path);
  if (scope.org.level === "cell" && !reviews) {
    return html`<section id="feedback" aria-labelledby="feedback-title">
<h2 id="feedback-title">${t("consoleOverview:feedbackTitle")}</h2>
<p class="muted">${t("consoleOverview:feedbackHiddenForCell")}</p>
</section>`;
  }
  const number = numberFormat(viewer);
  const { byStatus, byCategory, perWeek, total, overdue } = report.feedback;
  const weeks = report.windows.weeks.map(weekLabel);
  const grid = (id: string, caption: string, rows: Map<string, number[]>, labelOf: (key: string) => string) => {
    const keys = [...rows.keys()];
    return chartWithTable({
      id,
      caption,
      spec: { type: "bar", stacked: true, labels: weeks, datasets: keys.map((k) => ({ label: labelOf(k), data: rows.get(k)! })) },
      head: [t("consoleOverview:colWeek"), ...keys.map(labelOf), t("consoleOverview:colTotal")],
      rows: weeks.map((week, i) => [cell(week), ...keys.map((k) => cell(number(rows.get(k)![i]!))), cell(number(perWeek[i]!))]),
      empty: t("consoleOverview:noFeedback"),
    });
  };
  return html`<section id="feedback" aria-labelledby="feedback-title">
<h2 id="feedback-title">${t("consoleOverview:feedbackTitle")}</h2>
<ul class="overview-figures">
<li><span class="figure">${number(total)}</span> ${t("consoleOverview:feedbackTotal")}</li>
<li class="${overdue > 0 ? "overview-not_held" : ""}"><span class="figure">${number(overdue)}</span> ${t("consoleOverview:feedbackOverdue")}</li>
</ul>
${reviews ? html`<p><a href="/console/feedback">${t("consoleOverview:feedbackOpen")}</a></p>` : ""}
${grid("feedback-by-status", t("consoleOverview:feedbackByStatus"), byStatus, (k) => t(`feedback:status_${k}`))}
${grid("feedback-by-category", t("consoleOverview:feedbackByCategory"), byCategory, (k) => t(`feedback:category_${k}`))}
</section>`;
}
