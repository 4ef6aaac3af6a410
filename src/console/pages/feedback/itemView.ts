import { allowedActions, MAX_FEEDBACK_TEXT_LENGTH, MAX_NOTE_LENGTH, type FeedbackActionKind } from "../../../domain/feedback.ts";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import { addresseeLabel } from "../../../services/addresseeLabel.ts";
import type { AnswerTemplateView } from "../../../services/answerTemplates.ts";
import type { FeedbackDetail } from "../../../services/feedback.ts";
import type { FeedbackNoteView, ReviewerChoice } from "../../../services/feedbackDesk.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { BASE, day, NS } from "./shared.ts";

export interface ItemPageData {
  item: FeedbackDetail;
  overdue: boolean;
  assignment: { assignee: ReviewerChoice | null; reviewers: ReviewerChoice[] };
  notes: FeedbackNoteView[];
  templates: AnswerTemplateView[];
}

/** Which form a refusal belongs to, shown next to it; what was typed stays in the boxes. */
export type FormName = "act" | "forward" | "answer" | "reject" | "note" | "assign";
export interface ItemForms {
  error?: { form: FormName; text: string };
  answer?: string;
  agencyName?: string;
  reason?: string;
  note?: string;
  templateId?: number;
}

const errorFor = (forms: ItemForms, form: FormName) =>
  forms.error?.form === form ? html`<p class="error" role="alert" id="${form}-error">${forms.error.text}</p>` : "";
const invalid = (forms: ItemForms, form: FormName) => (forms.error?.form === form ? html` aria-invalid="true" aria-describedby="${form}-error"` : "");

function details(viewer: Viewer, data: ItemPageData): Html {
  const { t } = viewer;
  const { item } = data;
  const row = (label: string, value: Html | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const overdue = (due: string) => html`<strong class="feedback-overdue-text">${t(`${NS}:dueOverdue`, { due })}</strong>`;
  const due = item.dueAt ? (data.overdue ? overdue(day(item.dueAt)) : day(item.dueAt)) : "—";
  return html`<section class="card"><h2>${t(`${NS}:detailsTitle`)}</h2><dl class="feedback-details">
${row(t(`${NS}:sentAt`), formatDisplayDateTime(item.createdAt))}
${row(t(`${NS}:col_cell`), item.cell.name)}
${row(t(`${NS}:col_addressee`), addresseeLabel(t, item, item.unitKind))}
${row(t(`${NS}:col_category`), t(`feedback:category_${item.category}`))}
${row(t(`${NS}:col_status`), html`<span class="badge">${t(`feedback:status_${item.status}`)}</span>`)}
${row(t(`${NS}:col_due`), due)}
${row(t(`${NS}:col_author`), item.anonymous || !item.author
    ? html`<em>${t(`${NS}:anonymous`)}</em>`
    : `${item.author.name} (${item.author.cellName})`)}
</dl></section>`;
}

function content(viewer: Viewer, item: FeedbackDetail): Html {
  const { t } = viewer;
  const photo = html`<h3>${t(`${NS}:photoTitle`)}</h3>
<img class="feedback-photo" src="${BASE}/${item.id}/photo" alt="${t(`${NS}:photoAlt`, { reference: item.reference })}">`;
  const answer = html`<h3>${t(`${NS}:answerTitle`)}</h3>
<p class="muted">${item.answeredAt ? t(`${NS}:answeredAt`, { date: day(item.answeredAt) }) : ""}</p><p class="feedback-text">${item.answer}</p>`;
  return html`<section class="card"><h2>${t(`${NS}:textTitle`)}</h2><p class="feedback-text">${item.text}</p>
${item.photoRef ? photo : ""}${item.answer ? answer : ""}
</section>`;
}

function history(viewer: Viewer, item: FeedbackDetail): Html {
  const { t } = viewer;
  const line = (entry: FeedbackDetail["history"][number]) => {
    const at = formatDisplayDateTime(entry.at);
    const to = t(`feedback:status_${entry.toStatus}`);
    // The submission names nobody: the author is shown above only when the item is signed.
    if (entry.fromStatus === null) return html`<li>${t(`${NS}:historySubmitted`, { at, status: to })}</li>`;
    const by = entry.actorName ? html` — ${t(`${NS}:historyBy`, { name: entry.actorName })}` : "";
    const note = entry.note ? html`<br><span class="feedback-text">${entry.note}</span>` : "";
    return html`<li>${t(`${NS}:historyLine`, { at, from: t(`feedback:status_${entry.fromStatus}`), to })}${by}${note}</li>`;
  };
  return html`<section class="card"><h2>${t(`${NS}:historyTitle`)}</h2><ol class="feedback-history">${item.history.map(line)}</ol></section>`;
}

function actionForm(viewer: Viewer, item: FeedbackDetail, action: FeedbackActionKind, inner: Html, confirm?: string): Html {
  return html`<form method="post" action="${BASE}/${item.id}/act"${confirm ? html` data-confirm="${confirm}"` : ""} class="feedback-action">
${csrfField(viewer)}<input type="hidden" name="action" value="${action}"><input type="hidden" name="status" value="${item.status}">
${inner}</form>`;
}

function actions(viewer: Viewer, data: ItemPageData, forms: ItemForms): Html {
  const { t } = viewer;
  const { item } = data;
  const allowed = allowedActions(item.status);
  const parts: Html[] = [];
  const simple = (action: "review" | "close") =>
    actionForm(viewer, item, action, html`<p class="muted">${t(`${NS}:${action}Hint`)}</p><button type="submit">${t(`${NS}:action_${action}`)}</button>`);
  if (allowed.includes("review")) parts.push(simple("review"));
  if (allowed.includes("close")) parts.push(simple("close"));
  if (allowed.includes("answer")) parts.push(answerForm(viewer, data, forms));
  if (allowed.includes("forward")) {
    parts.push(actionForm(viewer, item, "forward", html`<h3>${t(`${NS}:forwardTitle`)}</h3>${errorFor(forms, "forward")}
<div class="field"><label for="agencyName">${t(`${NS}:forwardLabel`)}</label>
<input id="agencyName" name="agencyName" maxlength="400" value="${forms.agencyName ?? ""}"${invalid(forms, "forward")}></div>
<button type="submit">${t(`${NS}:action_forward`)}</button>`));
  }
  if (allowed.includes("reject")) {
    parts.push(actionForm(viewer, item, "reject", html`<h3>${t(`${NS}:rejectTitle`)}</h3>${errorFor(forms, "reject")}
<div class="field"><label for="reason">${t(`${NS}:reasonLabel`)}</label>
<textarea id="reason" name="reason" rows="3"${invalid(forms, "reject")}>${forms.reason ?? ""}</textarea></div>
<button type="submit" class="danger">${t(`${NS}:action_reject`)}</button>`, t(`${NS}:rejectConfirm`)));
  }
  return html`<section class="card" id="actions"><h2>${t(`${NS}:actionsTitle`)}</h2>${errorFor(forms, "act")}
${parts.length ? parts : html`<p>${t(`${NS}:settled`)}</p>`}</section>`;
}

function answerForm(viewer: Viewer, data: ItemPageData, forms: ItemForms): Html {
  const { t } = viewer;
  const { item } = data;
  const picker = data.templates.length === 0 ? "" : html`<form method="get" action="${BASE}/${item.id}#answer" class="feedback-template-pick">
<div class="field"><label for="template">${t(`${NS}:templatePick`)}</label><select id="template" name="template">
${data.templates.map((tpl) =>
    html`<option value="${tpl.id}"${forms.templateId === tpl.id ? html` selected` : ""}>${tpl.title} — ${tpl.organizationName}</option>`)}
</select></div><button type="submit">${t(`${NS}:templateUse`)}</button></form>`;
  return html`<div class="feedback-action" id="answer"><h3>${t(`${NS}:answerTitleForm`)}</h3>${picker}
<form method="post" action="${BASE}/${item.id}/answer/preview">${csrfField(viewer)}${errorFor(forms, "answer")}
<div class="field"><label for="answer-text">${t(`${NS}:answerLabel`)}</label>
<textarea id="answer-text" name="answer" rows="6"${invalid(forms, "answer")}>${forms.answer ?? ""}</textarea>
<span class="muted">${t(`${NS}:answerHint`, { max: MAX_FEEDBACK_TEXT_LENGTH })}</span></div>
<button type="submit" class="primary">${t(`${NS}:previewButton`)}</button></form></div>`;
}

function assignment(viewer: Viewer, data: ItemPageData, forms: ItemForms): Html {
  const { t } = viewer;
  const { assignee, reviewers } = data.assignment;
  return html`<section class="card"><h2>${t(`${NS}:assignTitle`)}</h2>
<p>${assignee ? t(`${NS}:assignNow`, { name: assignee.fullName }) : t(`${NS}:assignNobody`)}</p>${errorFor(forms, "assign")}
<form method="post" action="${BASE}/${data.item.id}/assign" class="feedback-inline">${csrfField(viewer)}
<div class="field"><label for="assignee">${t(`${NS}:assignLabel`)}</label><select id="assignee" name="assignee">
<option value="">${t(`${NS}:assignNone`)}</option>
${reviewers.map((r) => html`<option value="${r.id}"${assignee?.id === r.id ? html` selected` : ""}>${r.fullName}</option>`)}
</select></div><button type="submit">${t(`${NS}:assignButton`)}</button></form></section>`;
}

function notes(viewer: Viewer, data: ItemPageData, forms: ItemForms): Html {
  const { t } = viewer;
  const entry = (note: FeedbackNoteView) => {
    const at = formatDisplayDateTime(note.createdAt);
    const by = note.authorName ? t(`${NS}:noteBy`, { name: note.authorName, at }) : t(`${NS}:noteAt`, { at });
    return html`<li><p class="muted">${by}</p><p class="feedback-text">${note.text}</p></li>`;
  };
  return html`<section class="card" id="notes"><h2>${t(`${NS}:notesTitle`)}</h2><p class="muted">${t(`${NS}:notesIntro`)}</p>
${data.notes.length
    ? html`<ul class="feedback-notes">${data.notes.map(entry)}</ul>`
    : html`<p class="empty">${t(`${NS}:notesEmpty`)}</p>`}
<form method="post" action="${BASE}/${data.item.id}/notes">${csrfField(viewer)}${errorFor(forms, "note")}
<div class="field"><label for="note">${t(`${NS}:noteLabel`, { max: MAX_NOTE_LENGTH })}</label>
<textarea id="note" name="text" rows="3"${invalid(forms, "note")}>${forms.note ?? ""}</textarea></div>
<button type="submit">${t(`${NS}:noteButton`)}</button></form></section>`;
}

export function itemBody(viewer: Viewer, data: ItemPageData, forms: ItemForms = {}): Html {
  return html`<p><a href="${BASE}">${viewer.t(`${NS}:backToQueue`)}</a></p>
<div class="feedback-item">
<div class="feedback-main">${details(viewer, data)}${content(viewer, data.item)}${actions(viewer, data, forms)}</div>
<div class="feedback-side">${assignment(viewer, data, forms)}${notes(viewer, data, forms)}${history(viewer, data.item)}</div>
</div>`;
}
