import type { Request, Response } from "express";
import { formatDisplayDate, formatDisplayDateTime, localDateOf, toLocal } from "../../../domain/localTime.ts";
import { formatMeetingTime } from "../../../formatTime.ts";
import type { MeetingDetail } from "../../../services/meetingView.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField, flashOf, idParam, table } from "../../ui.ts";
import { meetingViewer, monthKey, NS, statusBadge, timeOfDay } from "./shared.ts";

/** A refused change, shown at its own form with what was typed kept. */
export interface FormProblem {
  form: "correct" | "held" | "postpone";
  message: string;
  values?: Record<string, string>;
}

/** GET /console/meetings/:id */
export function meetingPage(deps: ConsoleDeps) {
  return (req: Request, res: Response) => renderMeeting(deps, req, res);
}

/** The meeting page; after a refused change, with the reason at the form (status 400). */
export async function renderMeeting(deps: ConsoleDeps, req: Request, res: Response, problem?: FormProblem): Promise<void> {
  const viewer = viewerOf(res);
  const meetingId = idParam(req.params.id);
  if (meetingId === undefined) throw new NotFound();
  const detail = await deps.services.meetingConsole.view.detail({ meetingId, viewer: meetingViewer(viewer), now: deps.clock.now() });
  const { t } = viewer;
  const at = (form: FormProblem["form"]) => (problem?.form === form ? problem : undefined);
  // A refusal for a form the page no longer offers (the window closed, no right to change) shows on top.
  const offered = {
    correct: detail.canManage && detail.phase === "correcting",
    held: detail.mayAnswerHeld,
    postpone: detail.postpone?.open === true && detail.status !== "held",
  };
  const onTop = problem && !offered[problem.form] ? problem.message : undefined;
  const body = html`${onTop ? html`<p class="error" role="alert">${onTop}</p>` : ""}
${summary(viewer, detail)}
${rollCall(viewer, detail, at("correct"))}
${detail.mayAnswerHeld ? heldForm(viewer, detail, at("held")) : ""}
${detail.canManage ? postponeForm(viewer, detail, at("postpone")) : ""}`;
  const title = t(`${NS}:meetingTitle`, { cell: detail.cell.name, date: formatDisplayDate(localDateOf(detail.startsAt)) });
  const flash = problem ? undefined : flashOf(req, viewer, NS);
  res.status(problem ? 400 : 200).type("html").send(page(viewer, { title, area: "meetings", body, flash }).toString());
}

function summary(viewer: Viewer, d: MeetingDetail): Html {
  const { t } = viewer;
  const local = toLocal(d.meeting.scheduledAt);
  const month = monthKey({ year: toLocal(d.startsAt).year, month: toLocal(d.startsAt).month });
  return html`<section class="card meetings-summary">
<p><strong>${t(`${NS}:when`)}</strong> ${formatMeetingTime(t, d.startsAt)}</p>
<p><strong>${t(`${NS}:where`)}</strong> ${d.meeting.place ?? t(`${NS}:placeUnknown`)}</p>
<p><strong>${t(`${NS}:statusLabel`)}</strong> ${statusBadge(t, d.status)}</p>
${d.meeting.postponedTo ? html`<p class="warning">${t(`${NS}:postponedFrom`, {
    from: formatMeetingTime(t, d.meeting.scheduledAt), reason: d.meeting.postponeReason ?? "",
  })}
${d.meeting.superiorInformedAt ? html`<br>${t(`${NS}:superiorInformed`, { at: formatDisplayDateTime(d.meeting.superiorInformedAt) })}` : ""}</p>` : ""}
<p class="actions">
<a class="button" href="/console/meetings/${d.meeting.id}/minutes.docx">${t(`${NS}:downloadMinutes`)}</a>
<a class="button" href="/console/meetings/attendance.xlsx?cell=${d.cell.id}&amp;year=${local.year}">${t(`${NS}:yearSheet`, { year: local.year })}</a>
<a href="/console/meetings?month=${month}">${t(`${NS}:backToCalendar`)}</a>
</p>
</section>`;
}

function rollCall(viewer: Viewer, d: MeetingDetail, problem?: FormProblem): Html {
  const { t } = viewer;
  const r = d.roster;
  const mark = (source: string) => (source === "secretary" ? html` <span class="muted">${t(`${NS}:recordedByOfficer`)}</span>` : "");
  const rows: Html[][] = [
    ...r.present.map((p) => [html`${p.member.fullName}`, html`${t(`${NS}:answer_present`)}${mark(p.source)}`, html``]),
    ...r.absent.map((a) => [html`${a.member.fullName}`, html`${t(`${NS}:answer_absent`)}${mark(a.source)}`, html`${a.reason ?? t(`${NS}:noReason`)}`]),
    ...r.pending.map((m) => [html`${m.fullName}`, html`${t(`${NS}:answer_pending`)}`, html``]),
    ...r.exempt.map((m) => [html`${m.fullName}`, html`${t(`${NS}:answer_exempt`)}`, html``]),
  ];
  const closes = formatDisplayDateTime(d.rollCallClosesAt);
  const phase = d.phase === "before" ? t(`${NS}:phaseBefore`, { until: closes })
    : d.phase === "correcting" ? t(`${NS}:phaseCorrecting`, { until: closes }) : t(`${NS}:phaseClosed`, { at: closes });
  return html`<section class="card" aria-labelledby="rollcall">
<h2 id="rollcall">${t(`${NS}:rollCallTitle`)}</h2>
<p>${t(`${NS}:rollCallCounts`, { present: r.present.length, absent: r.absent.length, pending: r.pending.length, exempt: r.exempt.length })}</p>
<p class="muted">${phase}</p>
${table({ head: [t(`${NS}:columnMember`), t(`${NS}:columnAnswer`), t(`${NS}:columnReason`)], rows, empty: t(`${NS}:noMembers`) })}
${d.canManage && d.phase === "correcting" ? correctionForm(viewer, d, problem) : ""}
</section>`;
}

function correctionForm(viewer: Viewer, d: MeetingDetail, problem?: FormProblem): Html {
  const { t } = viewer;
  const r = d.roster;
  const chosen = problem?.values?.member;
  // An officer's own attendance after the start is another officer's to record.
  const choices = [
    ...r.pending.map((m) => ({ m, state: t(`${NS}:answer_pending`) })),
    ...r.absent.map((a) => ({ m: a.member, state: t(`${NS}:answer_absent`) })),
    ...r.present.map((p) => ({ m: p.member, state: t(`${NS}:answer_present`) })),
  ].filter(({ m }) => m.id !== viewer.id);
  const answer = problem?.values?.answer ?? "present";
  return html`<form method="post" action="/console/meetings/${d.meeting.id}/attendance" class="meetings-form">
<h3>${t(`${NS}:correctTitle`)}</h3>
${problem ? html`<p class="error" role="alert">${problem.message}</p>` : ""}
${csrfField(viewer)}
<div class="field"><label for="member">${t(`${NS}:correctMember`)}</label>
<select id="member" name="member" required>${choices.map(({ m, state }) =>
    html`<option value="${m.id}"${String(m.id) === chosen ? html` selected` : ""}>${m.fullName} (${state})</option>`)}</select></div>
<fieldset class="meetings-choice"><legend>${t(`${NS}:correctAnswer`)}</legend>
<label><input type="radio" name="answer" value="present"${answer === "present" ? html` checked` : ""}> ${t(`${NS}:answer_present`)}</label>
<label><input type="radio" name="answer" value="absent"${answer === "absent" ? html` checked` : ""}> ${t(`${NS}:answer_absent`)}</label>
</fieldset>
<div class="field"><label for="reason">${t(`${NS}:correctReason`)}</label>
<input id="reason" name="reason" maxlength="500" value="${problem?.values?.reason ?? ""}"></div>
<button type="submit" class="primary">${t(`${NS}:correctSave`)}</button>
</form>`;
}

function heldForm(viewer: Viewer, d: MeetingDetail, problem?: FormProblem): Html {
  const { t } = viewer;
  return html`<section class="card" aria-labelledby="held">
<h2 id="held">${t(`${NS}:heldTitle`)}</h2>
${problem ? html`<p class="error" role="alert">${problem.message}</p>` : ""}
<form method="post" action="/console/meetings/${d.meeting.id}/held" class="actions">${csrfField(viewer)}
<button type="submit" name="held" value="yes" class="primary">${t(`${NS}:heldYes`)}</button>
<button type="submit" name="held" value="no">${t(`${NS}:heldNo`)}</button>
</form>
</section>`;
}

function postponeForm(viewer: Viewer, d: MeetingDetail, problem?: FormProblem): Html {
  const { t } = viewer;
  const w = d.postpone;
  if (d.status === "held") return html``;
  if (!w?.open) return html`<section class="card"><h2>${t(`${NS}:postponeTitle`)}</h2><p class="muted">${t(`${NS}:postponeClosed`)}</p></section>`;
  const values = problem?.values ?? {};
  return html`<section class="card" aria-labelledby="postpone">
<h2 id="postpone">${t(`${NS}:postponeTitle`)}</h2>
<p>${t(`${NS}:postponeRule`, { count: w.maxDays, latest: formatDisplayDate(w.latestDay) })}</p>
${problem ? html`<p class="error" role="alert">${problem.message}</p>` : ""}
<form method="post" action="/console/meetings/${d.meeting.id}/postpone" class="meetings-form">${csrfField(viewer)}
<div class="filters">
<div class="field"><label for="date">${t(`${NS}:postponeDate`)}</label><input id="date" name="date" type="date" required value="${values.date ?? ""}"></div>
<div class="field"><label for="time">${t(`${NS}:postponeTime`)}</label>
<input id="time" name="time" type="time" required value="${values.time ?? timeOfDay(d.meeting.scheduledAt)}"></div>
</div>
<div class="field"><label for="postpone-reason">${t(`${NS}:postponeReason`)}</label>
<textarea id="postpone-reason" name="reason" maxlength="500">${values.reason ?? ""}</textarea></div>
<button type="submit" class="primary">${t(`${NS}:postponeSubmit`)}</button>
</form>
</section>`;
}
