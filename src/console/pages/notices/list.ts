import type { Request, Response } from "express";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import type { NoticeListRow } from "../../../services/noticeBoard.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { flashOf, intParam, pager, table } from "../../ui.ts";
import { noticePaths } from "./scope.ts";

const PER_PAGE = 20;
const MAX_PAGE = 100_000;

/** The notices of the viewer's subtrees, newest first, with what became of each. */
export function listPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const pageNumber = intParam(req.query.page, 1, 1, MAX_PAGE);
    const { rows, count } = await deps.services.noticeBoard.list({
      paths: noticePaths(viewer), page: pageNumber, perPage: PER_PAGE, readers: { kind: "console", memberId: viewer.id }, now: deps.clock.now(),
    });
    const body = html`<p>${t("consoleNotices:intro")}</p>
<p class="actions"><a class="button primary" href="/console/notices/new">${t("consoleNotices:compose")}</a></p>
${table({
  caption: t("consoleNotices:listCaption", { count }),
  head: [t("consoleNotices:colDate"), t("consoleNotices:colOrg"), t("consoleNotices:colAuthor"), t("consoleNotices:colRecipients"), t("consoleNotices:colMessages"), t("consoleNotices:colAck")],
  rows: rows.map((row) => rowCells(viewer, row)),
  empty: t("consoleNotices:none"),
  className: "notices-list",
})}
${pager(req, viewer, pageNumber, Math.ceil(count / PER_PAGE))}`;
    res.type("html").send(page(viewer, { title: t("consoleNotices:title"), area: "notices", body, flash: flashOf(req, viewer, "consoleNotices") }).toString());
  };
}

function rowCells(viewer: Viewer, row: NoticeListRow) {
  const { t } = viewer;
  const m = row.messages;
  return [
    html`<a href="/console/notices/${row.id}">${formatDisplayDateTime(row.sentAt)}</a>`,
    html`${row.organization.name}`,
    html`${row.authorName ?? t("consoleNotices:authorGone")}`,
    html`${row.recipients}`,
    m
      ? html`<span class="notices-counts">${t("consoleNotices:messagesCell", { sent: m.sent, waiting: m.waiting, failed: m.failed, unreachable: m.unreachable })}</span>`
      : html`<span class="muted">${t("consoleNotices:notSent")}</span>`,
    html`${t("consoleNotices:ackCell", { count: row.acknowledged, of: row.reached })}`,
  ];
}
