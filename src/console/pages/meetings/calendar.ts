import type { Request, Response } from "express";
import { scopePaths } from "../../../domain/consoleAccess.ts";
import { formatIsoDate, localDateOf, pad } from "../../../domain/localTime.ts";
import { isMeetingStatus, MEETING_STATUSES, type MeetingStatus } from "../../../domain/meetingStatus.ts";
import { formatMeetingTime } from "../../../formatTime.ts";
import type { CalendarCell, CalendarEntry } from "../../../services/meetingMonth.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { flashOf, intParam, pager } from "../../ui.ts";
import { monthKey, NS, parseMonth, shiftMonth, statusBadge, thisMonth } from "./shared.ts";

/** Names of cells without a rule shown before "and N more". */
const WITHOUT_RULE_SHOWN = 20;

/** GET /console/meetings?month=YYYY-MM&status=…&page=n: the month's meetings of the viewer's subtrees. */
export function calendarPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const now = deps.clock.now();
    const asked = parseMonth(req.query.month);
    const status = isMeetingStatus(req.query.status) ? req.query.status : undefined;
    const badStatus = req.query.status !== undefined && req.query.status !== "" && !status;
    const month = asked ?? thisMonth(now);
    const found = await deps.services.meetingConsole.calendar.month({
      scopePaths: scopePaths(viewer.roles, "meetings", "see"), ...month, ...(status ? { status } : {}), page: intParam(req.query.page, 1), now,
    });
    const error = asked === null ? t(`${NS}:badMonth`) : badStatus ? t(`${NS}:badStatus`) : undefined;
    const body = html`${error ? html`<p class="error" role="alert">${error}</p>` : ""}
${switcher(viewer, month, status)}
<p>${t(`${NS}:calendarCount`, { count: found.cellCount })}</p>
${calendarTable(viewer, found.cells, month, status)}
${pager(req, viewer, found.page, found.pageCount)}
${found.withoutRule.length ? html`<p class="muted">${t(`${NS}:withoutRule`, {
    count: found.withoutRule.length,
    names: found.withoutRule.slice(0, WITHOUT_RULE_SHOWN).map((c) => c.name).join(", ") + (found.withoutRule.length > WITHOUT_RULE_SHOWN ? " …" : ""),
  })}</p>` : ""}`;
    res.status(error ? 400 : 200).type("html")
      .send(page(viewer, { title: t(`${NS}:calendarTitle`), area: "meetings", body, flash: flashOf(req, viewer, NS) }).toString());
  };
}

function switcher(viewer: Viewer, month: { year: number; month: number }, status: MeetingStatus | undefined): Html {
  const { t } = viewer;
  const link = (m: { year: number; month: number }) => `?${new URLSearchParams({ month: monthKey(m), ...(status ? { status } : {}) }).toString()}`;
  const before = shiftMonth(month, -1);
  const after = shiftMonth(month, 1);
  return html`<nav class="meetings-months" aria-label="${t(`${NS}:monthNav`)}">
<a href="${link(before)}" rel="prev">${t(`${NS}:previousMonth`, { month: `${pad(before.month)}/${before.year}` })}</a>
<strong>${t(`${NS}:monthLabel`, { month: `${pad(month.month)}/${month.year}` })}</strong>
<a href="${link(after)}" rel="next">${t(`${NS}:nextMonth`, { month: `${pad(after.month)}/${after.year}` })}</a>
</nav>
<form method="get" action="/console/meetings" class="filters">
<div class="field"><label for="month">${t(`${NS}:monthField`)}</label><input id="month" name="month" type="month" value="${monthKey(month)}"></div>
<div class="field"><label for="status">${t(`${NS}:statusField`)}</label><select id="status" name="status">
<option value="">${t(`${NS}:statusAll`)}</option>
${MEETING_STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ""}>${t(`${NS}:status_${s}`)}</option>`)}
</select></div>
<button type="submit">${t(`${NS}:show`)}</button>
</form>`;
}

/**
 * One row per meeting. On a phone each row becomes a block with its labels (data-label, shown by
 * the stylesheet), so six columns never make the page scroll sideways.
 */
function calendarTable(viewer: Viewer, cells: CalendarCell[], month: { year: number; month: number }, status: MeetingStatus | undefined): Html {
  const { t } = viewer;
  const head = [t(`${NS}:columnCell`), t(`${NS}:columnWhen`), t(`${NS}:columnPlace`), t(`${NS}:columnStatus`), t(`${NS}:columnAnswers`), t(`${NS}:columnOpen`)];
  const rows = cells.flatMap((cell) => cell.entries.map((entry) => row(viewer, cell, entry, month.year)));
  if (rows.length === 0) return html`<p class="empty">${t(status ? `${NS}:calendarEmptyFiltered` : `${NS}:calendarEmpty`)}</p>`;
  return html`<div class="table-wrap"><table class="meetings-calendar">
<caption>${t(`${NS}:calendarCaption`, { month: `${pad(month.month)}/${month.year}` })}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((cells) => html`<tr>${cells.map((cell, i) => html`<td data-label="${head[i]}">${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

function row(viewer: Viewer, cell: CalendarCell, entry: CalendarEntry, year: number): Html[] {
  const { t } = viewer;
  const open = entry.meetingId
    ? `/console/meetings/${entry.meetingId}`
    : `/console/meetings/open?${new URLSearchParams({ cell: String(cell.id), date: formatIsoDate(localDateOf(entry.scheduledAt)) }).toString()}`;
  const sheet = `/console/meetings/attendance.xlsx?${new URLSearchParams({ cell: String(cell.id), year: String(year) }).toString()}`;
  return [
    html`<strong>${cell.name}</strong>`,
    html`${formatMeetingTime(t, entry.startsAt)}`,
    html`${entry.place ?? "—"}`,
    html`${statusBadge(t, entry.status)}${entry.postponeReason
      ? html`<br><span class="muted">${t(`${NS}:postponedBecause`, { reason: entry.postponeReason })}</span>`
      : ""}`,
    html`${t(`${NS}:answersSoFar`, { present: entry.present, absent: entry.absent, members: cell.members })}`,
    html`<a href="${open}" aria-label="${t(`${NS}:openMeetingOf`, { cell: cell.name })}">${t(`${NS}:openMeeting`)}</a><br>
<a href="${sheet}" aria-label="${t(`${NS}:yearSheetOf`, { cell: cell.name, year })}">${t(`${NS}:yearSheet`, { year })}</a>`,
  ];
}
