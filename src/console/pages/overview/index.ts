import express, { type Router } from "express";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import type { ConsoleDeps } from "../../context.ts";
import { viewerOf } from "../../context.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { attendanceSection } from "./attendanceSection.ts";
import { feedbackSection } from "./feedbackSection.ts";
import { numberFormat } from "./format.ts";
import { meetingsSection } from "./meetingsSection.ts";
import { noticesSection, reachSection } from "./reachSection.ts";
import { overviewScope, scopePicker } from "./scope.ts";

/**
 * The committee's overview (/console/overview): this month's meetings, a year of attendance and
 * early answers, twelve weeks of feedback, notices and how members can be reached, for the
 * subtree the person may see (or one part of it, `?org=`). Counts only; the charts are drawn by
 * overview-charts.js from data on each canvas, with the same numbers in a table below.
 */
export function overviewRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const report = deps.services.overviewReport;

  router.get("/", async (req, res) => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const scope = await overviewScope(report, viewer, req);
    const now = deps.clock.now();
    const figures = await report.report({ path: scope.org.path, now });
    const number = numberFormat(viewer);
    const body = html`<div class="overview">${scopePicker(viewer, scope)}
<p class="overview-intro">${t("consoleOverview:intro", {
  name: scope.org.name, cells: number(figures.cellCount), members: number(figures.reach.members), now: formatDisplayDateTime(now),
})}</p>
${meetingsSection(req, viewer, figures)}
${attendanceSection(req, viewer, figures)}
${feedbackSection(viewer, scope, figures)}
${noticesSection(viewer, figures)}
${reachSection(viewer, scope, figures)}
</div>`;
    res.type("html").send(page(viewer, { title: t("consoleOverview:title"), area: "overview", body, scripts: ["chart.js", "overview-charts.js"] }).toString());
  });

  return router;
}
