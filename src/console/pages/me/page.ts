import type { Request, Response } from "express";
import { formatDisplayDate, formatDisplayDateTime, localDateOf } from "../../../domain/localTime.ts";
import { formatMeetingTime } from "../../../formatTime.ts";
import { addresseeLabel } from "../../../services/addresseeLabel.ts";
import type { MyFeedbackItem, MyMeeting } from "../../../services/myPage.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField, flashOf, table } from "../../ui.ts";

/** The member's own page: their meetings and answers, their feedback, their data. Everyone signed in has it. */
export function mePage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const now = deps.clock.now();
    const [meetings, feedback, erasureAt] = await Promise.all([
      deps.services.myPage.myMeetings(viewer.id, now),
      deps.services.myPage.myFeedback(viewer.id),
      deps.services.myPage.erasureRequestedAt(viewer.id),
    ]);
    const meetingTable = (list: MyMeeting[], caption: string, empty: string) => table({
      caption,
      head: [t("consoleMe:colWhen"), t("consoleMe:colWhere"), t("consoleMe:colAnswer")],
      rows: list.map((m) => meetingCells(viewer, m)),
      empty,
      className: "me-meetings",
    });
    const body = html`<p>${t("consoleMe:intro", { name: viewer.fullName, cell: viewer.cellName })}</p>
<section class="card" aria-labelledby="me-meetings">
  <h2 id="me-meetings">${t("consoleMe:meetingsHeading")}</h2>
  <p class="muted">${t("consoleMe:answerHint")}</p>
  ${meetingTable(meetings.upcoming, t("consoleMe:upcomingCaption"), t("consoleMe:upcomingNone"))}
  ${meetingTable(meetings.past, t("consoleMe:pastCaption"), t("consoleMe:pastNone"))}
</section>
<section class="card" aria-labelledby="me-feedback">
  <h2 id="me-feedback">${t("consoleMe:feedbackHeading")}</h2>
  ${feedback.items.length
    ? html`<ul class="me-feedback">${feedback.items.map((item) => feedbackItem(viewer, item, feedback.unitKind))}</ul>`
    : html`<p class="empty">${t("consoleMe:feedbackNone")}</p>`}
</section>
<section class="card" aria-labelledby="me-data">
  <h2 id="me-data">${t("consoleMe:dataHeading")}</h2>
  <p>${t("consoleMe:dataIntro")}</p>
  <form method="post" action="/console/me/export">${csrfField(viewer)}<button type="submit">${t("consoleMe:downloadButton")}</button></form>
  <h3>${t("consoleMe:eraseHeading")}</h3>
  ${erasureAt
    ? html`<p class="warning">${t("myData:eraseAlreadyRequested", { at: formatDisplayDateTime(erasureAt) })}</p>`
    : html`<p>${t("consoleMe:eraseIntro")}</p><p><a class="button" href="/console/me/erase">${t("myData:buttonErase")}</a></p>`}
</section>`;
    res.type("html").send(page(viewer, { title: t("consoleMe:title"), area: "me", body, flash: flashOf(req, viewer, "consoleMe") }).toString());
  };
}

function meetingCells(viewer: Viewer, m: MyMeeting): Html[] {
  const { t } = viewer;
  const answer = m.answer ? t(`consoleMe:answer_${m.answer}`) : t("consoleMe:answer_none");
  return [
    html`${formatMeetingTime(t, m.startsAt)}${m.postponeReason ? html`<br><span class="muted">${t("consoleMe:postponed", { reason: m.postponeReason })}</span>` : ""}
${m.status === "held" || m.status === "not_held" ? html`<br><span class="badge">${t(`consoleMe:status_${m.status}`)}</span>` : ""}`,
    html`${m.cellName}${m.place ? html`<br><span class="muted">${m.place}</span>` : ""}`,
    html`<strong>${answer}</strong>${m.reason ? html`<br>${t("consoleMe:reason", { reason: m.reason })}` : ""}${m.source === "secretary" ? html`<br><span class="muted">${t("consoleMe:bySecretary")}</span>` : ""}`,
  ];
}

function feedbackItem(viewer: Viewer, item: MyFeedbackItem, unitKind: string | null): Html {
  const { t } = viewer;
  return html`<li class="me-feedback-item">
<p><strong>${item.reference}</strong> · ${formatDisplayDate(localDateOf(item.createdAt))} · ${t(`feedback:category_${item.category}`)}
 · ${t("consoleMe:to", { addressee: addresseeLabel(t, item, unitKind) })}</p>
<p><span class="badge">${t(`feedback:status_${item.status}`)}</span>${item.anonymous ? html` <span class="badge">${t("consoleMe:anonymous")}</span>` : ""}</p>
<details><summary>${t("consoleMe:yourText")}</summary><p class="me-text">${item.text}</p></details>
${item.answer
  ? html`<div class="me-answer"><p><strong>${t("consoleMe:answerHeading", { at: item.answeredAt ? formatDisplayDateTime(item.answeredAt) : "" })}</strong></p><p class="me-text">${item.answer}</p></div>`
  : html`<p class="muted">${t("consoleMe:noAnswerYet")}</p>`}
</li>`;
}
