import { allows } from "../../../domain/consoleAccess.ts";
import type { OverviewReport } from "../../../services/overviewReport.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { table } from "../../ui.ts";
import { cell } from "./chart.ts";
import { numberFormat, percentText } from "./format.ts";
import type { OverviewScope } from "./scope.ts";

/** Ninety days of notices as the subtree's members received them. */
export function noticesSection(viewer: Viewer, report: OverviewReport): Html {
  const { t } = viewer;
  const number = numberFormat(viewer);
  const n = report.notices;
  return html`<section id="notices" aria-labelledby="notices-title">
<h2 id="notices-title">${t("consoleOverview:noticesTitle")}</h2>
${table({
  head: ["colNotices", "colRecipients", "colReached", "colAcknowledged", "colAckRate"].map((key) => t(`consoleOverview:${key}`)),
  rows: n.recipients === 0 ? [] : [[...[n.notices, n.recipients, n.reached, n.acknowledged].map((v) => cell(number(v))), cell(percentText(viewer, n.rate))]],
  empty: t("consoleOverview:noNotices"),
})}
<p class="muted">${t("consoleOverview:noticesNote")}</p>
</section>`;
}

/** How the subtree's members can be reached: per channel, and who has no chat at all. */
export function reachSection(viewer: Viewer, scope: OverviewScope, report: OverviewReport): Html {
  const { t } = viewer;
  const number = numberFormat(viewer);
  const r = report.reach;
  return html`<section id="reach" aria-labelledby="reach-title">
<h2 id="reach-title">${t("consoleOverview:reachTitle")}</h2>
${table({
  head: [t("consoleOverview:colChannel"), t("consoleOverview:colMembers")],
  rows: r.byChannel.map((c) => [cell(t(`consoleOverview:channel_${c.channel}`)), cell(number(c.members))]),
  empty: "",
})}
<ul class="overview-figures">
<li class="${r.noChat > 0 ? "overview-unmarked" : ""}">
<span class="figure">${number(r.noChat)}</span> ${t("consoleOverview:noChat", { members: number(r.members) })}</li>
<li><span class="figure">${number(r.unreachable)}</span> ${t("consoleOverview:unreachable")}</li>
</ul>
<p class="muted">${t("consoleOverview:reachNote")}</p>
${allows(viewer.roles, "members", scope.org.path) ? html`<p><a href="/console/members/unlinked">${t("consoleOverview:unlinkedLink")}</a></p>` : ""}
</section>`;
}
