import type { Response, Router } from "express";
import { isDomainError, type DomainError } from "../../../domain/errors.ts";
import { isOverdue, type FeedbackAction } from "../../../domain/feedback.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { page } from "../../layout.ts";
import { flashOf, idParam } from "../../ui.ts";
import { itemBody, type FormName, type ItemForms, type ItemPageData } from "./itemView.ts";
import { BadRequest, BASE, field, NS, reachableItem, reviewerOf, route, sendPage } from "./shared.ts";

/** Everything the item's page shows, each part read through its service (each checks the viewer again). */
export async function loadItem(deps: ConsoleDeps, viewer: Viewer, id: number): Promise<ItemPageData> {
  const reviewer = reviewerOf(viewer);
  const now = deps.clock.now();
  const item = await deps.feedback.view(id, reviewer, now);
  const [assignment, notes, templates] = await Promise.all([
    deps.services.feedbackDesk.assignment(id, reviewer),
    deps.services.feedbackDesk.notes(id, reviewer),
    deps.services.answerTemplates.forItem(id, reviewer),
  ]);
  return { item, overdue: isOverdue(item, now), assignment, notes, templates };
}

export async function showItem(deps: ConsoleDeps, res: Response, id: number, forms: ItemForms = {}, status = 200, flash?: string): Promise<void> {
  const viewer = viewerOf(res);
  const data = await loadItem(deps, viewer, id);
  const title = viewer.t(`${NS}:itemTitle`, { reference: data.item.reference });
  sendPage(res, page(viewer, { title, area: "feedback", body: itemBody(viewer, data, forms), flash }), status);
}

/** A refusal in words, shown next to the form it came from with what was typed; anything else goes on to the error page. */
export async function refuse(deps: ConsoleDeps, res: Response, id: number, error: unknown, form: FormName, forms: ItemForms): Promise<void> {
  if (!isDomainError(error) || error.code === "feedback:notFound") throw error;
  const viewer = viewerOf(res);
  const text = viewer.t(error.code, (error as DomainError).params);
  // The item moved on meanwhile: its form may be gone, so the refusal heads the actions it has now.
  const moved = error.code === "feedback:changedMeanwhile" || error.code === "feedback:transitionRefused";
  await showItem(deps, res, id, { ...forms, error: { form: moved ? "act" : form, text } }, moved ? 409 : 400);
}

/** What a form asks the service to do; the answer has its own way, through the preview. */
function actionFrom(body: unknown): { action: FeedbackAction; form: FormName } | null {
  const kind = field(body, "action");
  if (kind === "review" || kind === "close") return { action: { kind }, form: "act" };
  if (kind === "forward") return { action: { kind, agencyName: field(body, "agencyName") }, form: "forward" };
  if (kind === "reject") return { action: { kind, reason: field(body, "reason") }, form: "reject" };
  return null;
}

/** One item: its page, its photo, and the actions on it other than the answer. */
export function itemRoutes(deps: ConsoleDeps, router: Router): void {
  router.get("/:id", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const templateId = idParam(req.query.template);
    let forms: ItemForms = {};
    if (templateId !== undefined) {
      // A template picked for the answer fills its box; only one the item may use.
      const template = (await deps.services.answerTemplates.forItem(id, reviewerOf(viewer))).find((tpl) => tpl.id === templateId);
      if (!template) throw new NotFound();
      forms = { answer: template.text, templateId };
    }
    await showItem(deps, res, id, forms, 200, flashOf(req, viewer, NS));
  }));

  router.get("/:id/photo", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const ref = await deps.services.feedbackDesk.photoRef(id, reviewerOf(viewer), deps.clock.now());
    // A photo the platform could not give at first is fetched now, as the chat does when it shows the item.
    const kept = ref && deps.feedback.photos ? await deps.feedback.photos.settleItem({ id, photoRef: ref }, deps.clock.now()) : ref;
    const photo = kept ? await deps.photos.read(kept) : null;
    if (!photo) throw new NotFound();
    res.set({ "content-type": photo.mimeType, "content-disposition": "inline" }).send(photo.bytes);
  }));

  router.post("/:id/act", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const asked = actionFrom(req.body);
    if (!asked) throw new BadRequest();
    const forms: ItemForms = { agencyName: field(req.body, "agencyName"), reason: field(req.body, "reason") };
    try {
      await deps.feedback.act(id, asked.action, reviewerOf(viewer), deps.clock.now(), { expectStatus: field(req.body, "status") });
    } catch (error) {
      return refuse(deps, res, id, error, asked.form, forms);
    }
    res.redirect(303, `${BASE}/${id}?ok=${asked.action.kind}`);
  }));

  router.post("/:id/notes", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    try {
      await deps.services.feedbackDesk.addNote(id, field(req.body, "text"), reviewerOf(viewer), deps.clock.now());
    } catch (error) {
      return refuse(deps, res, id, error, "note", { note: field(req.body, "text") });
    }
    res.redirect(303, `${BASE}/${id}?ok=note#notes`);
  }));

  router.post("/:id/assign", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const chosen = field(req.body, "assignee");
    const assigneeId = chosen === "" ? null : idParam(chosen) ?? -1;
    try {
      await deps.services.feedbackDesk.assign(id, assigneeId, reviewerOf(viewer), deps.clock.now());
    } catch (error) {
      return refuse(deps, res, id, error, "assign", {});
    }
    res.redirect(303, `${BASE}/${id}?ok=assigned`);
  }));
}
