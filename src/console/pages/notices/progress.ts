import type { Request, Response } from "express";
import { NotAllowedError, NotFoundError } from "../../../domain/errors.ts";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import type { NoticeRecipient, NoticeReport } from "../../../services/notices.ts";
import { noticeText } from "../../../services/notices.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { flashOf, idParam } from "../../ui.ts";
import { mayAddress } from "./scope.ts";

/** A list of thousands of names (a commune's notice) shows its first ones and how many more. */
const NAMES_SHOWN = 300;

/**
 * The live delivery view of one notice: the chat's report (the same function, the same numbers)
 * as a page with a progress bar, the names of who acknowledged and of whom it did not reach. It
 * is complete without scripts ("Refresh" reloads it); notices-live.js polls progress.json while
 * messages wait, which carries counts only.
 */
export function progressRoutes(deps: ConsoleDeps) {
  /** The notice, when it exists and lies in the viewer's scope; "not found" otherwise, the same either way. */
  async function headingFor(viewer: Viewer, value: unknown) {
    const id = idParam(value);
    const heading = id === undefined ? null : await deps.services.noticeBoard.heading(id);
    if (!heading || heading.broadcastId === null || !mayAddress(viewer, heading.organization)) throw new NotFound();
    return { ...heading, broadcastId: heading.broadcastId };
  }

  async function show(req: Request, res: Response) {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const heading = await headingFor(viewer, req.params.id);
    let report: NoticeReport;
    try {
      report = await deps.services.notices.report({ noticeId: heading.id, actor: { memberId: viewer.id, roles: viewer.roles }, now: deps.clock.now() });
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof NotAllowedError) throw new NotFound();
      throw error;
    }
    const { summary } = report;
    const done = summary.sent + summary.failed + summary.unreachable;
    const reached = report.recipients - report.notLinked.length;
    const self = `/console/notices/${heading.id}`;
    const count = (key: "sent" | "waiting" | "failed" | "unreachable", value: number) =>
      html`<div><dt>${t(`consoleNotices:count_${key}`)}</dt><dd data-count="${key}">${value}</dd></div>`;
    const body = html`<p><a href="/console/notices">${t("consoleNotices:back")}</a></p>
<p>${t("consoleNotices:sentAt", { at: formatDisplayDateTime(report.notice.sentAt ?? report.notice.createdAt) })}
 · ${t("consoleNotices:recipients", { count: report.recipients })}</p>
<section class="card notices-live" aria-labelledby="notices-delivery" data-progress-url="${self}/progress.json" data-waiting="${summary.queued}">
  <h2 id="notices-delivery">${t("consoleNotices:deliveryHeading")}</h2>
  <label for="notices-bar" class="notices-done" data-template="${t("consoleNotices:progressLabel", { done: "{done}", total: "{total}" })}">${t("consoleNotices:progressLabel", { done, total: summary.total })}</label>
  <progress id="notices-bar" max="${Math.max(summary.total, 1)}" value="${done}">${done}/${summary.total}</progress>
  <dl class="notices-counts" aria-live="polite">
    ${count("sent", summary.sent)}${count("waiting", summary.queued)}${count("failed", summary.failed)}${count("unreachable", summary.unreachable)}
  </dl>
  <p class="actions"><a class="button" href="${self}">${t("consoleNotices:refresh")}</a></p>
  <p class="muted">${t("consoleNotices:waitingNote")}</p>
</section>
<section class="card" aria-labelledby="notices-ack">
  <h2 id="notices-ack">${t("consoleNotices:ackHeading")} <span data-count="acknowledged">${report.acknowledged.length}</span>/${reached}</h2>
  ${report.acknowledged.length ? names(viewer, report.acknowledged, "notices-acked") : html`<p class="empty">${t("consoleNotices:ackNone")}</p>`}
</section>
${report.problems.length ? html`<section class="card"><h2>${t("consoleNotices:problemsHeading", { count: report.problems.length })}</h2>${names(viewer, report.problems, "notices-problems")}</section>` : ""}
${report.notLinked.length ? html`<section class="card"><h2>${t("consoleNotices:notLinkedHeading", { count: report.notLinked.length })}</h2>
<p>${t("consoleNotices:notLinkedIntro")}</p>${names(viewer, report.notLinked, "notices-not-linked")}</section>` : ""}
<section class="card">
  <h2>${t("consoleNotices:messageHeading")}</h2>
  <p class="notices-text">${noticeText(t, report.notice.organization.name, report.notice.text)}</p>
</section>`;
    const title = t("consoleNotices:progressTitle", { org: report.notice.organization.name });
    res.type("html").send(page(viewer, { title, area: "notices", body, scripts: ["notices-live.js"], flash: flashOf(req, viewer, "consoleNotices") }).toString());
  }

  /** The counts the page shows, for its script: the outbox's summary, as the report reads it, and how many acknowledged. */
  async function progress(req: Request, res: Response) {
    const viewer = viewerOf(res);
    const heading = await headingFor(viewer, req.params.id);
    const [summary, people] = await Promise.all([deps.outbox.summary(heading.broadcastId), deps.services.noticeBoard.acknowledgements(heading.id)]);
    res.json({
      total: summary.total, sent: summary.sent, waiting: summary.queued, failed: summary.failed, unreachable: summary.unreachable,
      acknowledged: people.acknowledged, reached: people.recipients - people.notLinked,
    });
  }

  return { show, progress };
}

function names(viewer: Viewer, people: NoticeRecipient[], className: string): Html {
  const shown = people.slice(0, NAMES_SHOWN);
  const more = people.length - shown.length;
  return html`<ul class="notices-names ${className}">${shown.map((p) => html`<li>${p.fullName ?? viewer.t("consoleNotices:authorGone")}</li>`)}</ul>
${more > 0 ? html`<p class="muted">${viewer.t("consoleNotices:more", { count: more })}</p>` : ""}`;
}
