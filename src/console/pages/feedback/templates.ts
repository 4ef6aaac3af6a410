import type { Request, Response, Router } from "express";
import { allows } from "../../../domain/consoleAccess.ts";
import { MAX_TEMPLATE_TITLE_LENGTH } from "../../../domain/answerTemplate.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { MAX_FEEDBACK_TEXT_LENGTH } from "../../../domain/feedback.ts";
import { excerpt } from "../../../domain/feedbackDigest.ts";
import type { AnswerTemplateView } from "../../../services/answerTemplates.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField, flashOf, idParam, table } from "../../ui.ts";
import { BASE, field, NS, reviewerOf, route, sendPage } from "./shared.ts";

const PAGE = `${BASE}/templates`;

interface TemplateForm {
  organizationId?: number;
  title?: string;
  text?: string;
  error?: string;
}

function fields(viewer: Viewer, form: TemplateForm, organizations: { id: number; name: string }[] | null): Html {
  const { t } = viewer;
  const invalid = form.error ? html` aria-describedby="template-error"` : "";
  return html`${form.error ? html`<p class="error" role="alert" id="template-error">${form.error}</p>` : ""}
${organizations ? html`<div class="field"><label for="organization">${t(`${NS}:templateOrg`)}</label>
<select id="organization" name="organization"${invalid}>
${organizations.map((o) => html`<option value="${o.id}"${form.organizationId === o.id ? html` selected` : ""}>${o.name}</option>`)}
</select></div>` : ""}
<div class="field"><label for="title">${t(`${NS}:templateTitle`, { max: MAX_TEMPLATE_TITLE_LENGTH })}</label>
<input id="title" name="title" maxlength="${MAX_TEMPLATE_TITLE_LENGTH * 2}" value="${form.title ?? ""}"${invalid}></div>
<div class="field"><label for="text">${t(`${NS}:templateText`, { max: MAX_FEEDBACK_TEXT_LENGTH })}</label>
<textarea id="text" name="text" rows="6"${invalid}>${form.text ?? ""}</textarea></div>`;
}

/** A template the viewer keeps: through the service's scope, and the console's own check on its organization. */
async function ownTemplate(deps: ConsoleDeps, viewer: Viewer, idText: unknown): Promise<AnswerTemplateView> {
  const id = idParam(idText);
  if (id === undefined) throw new NotFound();
  const template = await deps.services.answerTemplates.get(id, reviewerOf(viewer));
  if (!allows(viewer.roles, "feedback", template.organizationPath, "manage")) throw new NotFound();
  return template;
}

const refusal = (viewer: Viewer, error: unknown): string => {
  if (!isDomainError(error) || error.code === "consoleFeedback:templateNotFound") throw error;
  return viewer.t(error.code, error.params);
};

/** The answer templates of the organizations the reviewer reviews: a list, one form to add, one to change each. */
export function templateRoutes(deps: ConsoleDeps, router: Router): void {
  async function showList(req: Request, res: Response, form: TemplateForm = {}, status = 200): Promise<void> {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const reviewer = reviewerOf(viewer);
    const { answerTemplates } = deps.services;
    const [templates, organizations] = await Promise.all([answerTemplates.list(reviewer), answerTemplates.organizationsFor(reviewer)]);
    const rows = templates.map((tpl) => [
      html`${tpl.title}`, html`${tpl.organizationName}`, html`${excerpt(tpl.text, 120)}`,
      html`<div class="actions"><a class="button" href="${PAGE}/${tpl.id}">${t(`${NS}:templateEdit`)}</a>
<form method="post" action="${PAGE}/${tpl.id}/delete" data-confirm="${t(`${NS}:templateDeleteConfirm`)}">${csrfField(viewer)}
<button type="submit" class="danger">${t(`${NS}:templateDelete`)}</button></form></div>`,
    ]);
    const head = ["templateTitle", "templateOrg", "templateText", "actions"].map((c) => t(`${NS}:col_${c}`));
    const body = html`<p><a href="${BASE}">${t(`${NS}:backToQueue`)}</a></p><p>${t(`${NS}:templatesIntro`)}</p>
${table({ caption: t(`${NS}:templatesCaption`), head, rows, empty: t(`${NS}:templatesEmpty`), className: "feedback-templates" })}
<section class="card" id="add"><h2>${t(`${NS}:templateAddTitle`)}</h2>
<form method="post" action="${PAGE}">${csrfField(viewer)}${fields(viewer, form, organizations)}
<button type="submit" class="primary">${t(`${NS}:templateAdd`)}</button></form></section>`;
    sendPage(res, page(viewer, { title: t(`${NS}:templatesTitle`), area: "feedback", body, flash: flashOf(req, viewer, NS) }), status);
  }

  function showEdit(res: Response, template: AnswerTemplateView, form: TemplateForm, status = 200): void {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const body = html`<p><a href="${PAGE}">${t(`${NS}:backToTemplates`)}</a></p>
<p class="muted">${t(`${NS}:templateOrg`)}: ${template.organizationName}</p>
<form method="post" action="${PAGE}/${template.id}" class="card">${csrfField(viewer)}${fields(viewer, form, null)}
<button type="submit" class="primary">${t(`${NS}:templateSave`)}</button></form>`;
    sendPage(res, page(viewer, { title: t(`${NS}:templateEditTitle`), area: "feedback", body }), status);
  }

  router.get("/templates", route((req, res) => showList(req, res)));

  router.post("/templates", route(async (req, res) => {
    const viewer = viewerOf(res);
    const form = { organizationId: idParam(field(req.body, "organization")), title: field(req.body, "title"), text: field(req.body, "text") };
    try {
      await deps.services.answerTemplates.create(reviewerOf(viewer), form.organizationId ?? -1, form, deps.clock.now());
    } catch (error) {
      return showList(req, res, { ...form, error: refusal(viewer, error) }, 400);
    }
    res.redirect(303, `${PAGE}?ok=templateCreated`);
  }));

  router.get("/templates/:tid", route(async (req, res) => {
    const template = await ownTemplate(deps, viewerOf(res), req.params.tid);
    showEdit(res, template, { title: template.title, text: template.text });
  }));

  router.post("/templates/:tid", route(async (req, res) => {
    const viewer = viewerOf(res);
    const template = await ownTemplate(deps, viewer, req.params.tid);
    const form = { title: field(req.body, "title"), text: field(req.body, "text") };
    try {
      await deps.services.answerTemplates.update(template.id, reviewerOf(viewer), form, deps.clock.now());
    } catch (error) {
      return showEdit(res, template, { ...form, error: refusal(viewer, error) }, 400);
    }
    res.redirect(303, `${PAGE}?ok=templateSaved`);
  }));

  router.post("/templates/:tid/delete", route(async (req, res) => {
    const viewer = viewerOf(res);
    const template = await ownTemplate(deps, viewer, req.params.tid);
    await deps.services.answerTemplates.remove(template.id, reviewerOf(viewer), deps.clock.now());
    res.redirect(303, `${PAGE}?ok=templateDeleted`);
  }));
}
