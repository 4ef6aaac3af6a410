import type { Router } from "express";
import type { AnswerPreview } from "../../../services/feedback.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField } from "../../ui.ts";
import { refuse, showItem } from "./item.ts";
import { BASE, field, NS, reachableItem, reviewerOf, route, sendPage } from "./shared.ts";

function previewBody(viewer: Viewer, preview: AnswerPreview): Html {
  const { t } = viewer;
  const carried = html`${csrfField(viewer)}<input type="hidden" name="answer" value="${preview.answer}">
<input type="hidden" name="status" value="${preview.status}">`;
  return html`<p>${t(`${NS}:previewIntro`)}</p>
${preview.anonymous ? html`<p class="muted">${t(`${NS}:previewAnonymousNote`)}</p>` : ""}
<section class="card" aria-labelledby="message-title"><h2 id="message-title">${t(`${NS}:previewMessage`)}</h2>
<div class="feedback-message">${preview.message}</div></section>
<div class="actions">
<form method="post" action="${BASE}/${preview.id}/answer">${carried}<button type="submit" class="primary">${t(`${NS}:send`)}</button></form>
<form method="post" action="${BASE}/${preview.id}/answer/edit">${carried}<button type="submit">${t(`${NS}:edit`)}</button></form>
<a class="button" href="${BASE}/${preview.id}">${t(`${NS}:cancel`)}</a>
</div>`;
}

/**
 * The answer, in three steps as in the chat: written on the item's page, shown as the message its
 * author will get (nothing stored yet), then sent with "Gửi" by the same service as the chat's,
 * which stores it and queues it to the author's chats in one transaction. "Sửa" goes back to the
 * words. The status seen on the item travels along: an item someone else moved meanwhile is
 * shown as it is now instead of being answered.
 */
export function answerRoutes(deps: ConsoleDeps, router: Router): void {
  router.post("/:id/answer/preview", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const answer = field(req.body, "answer");
    let preview: AnswerPreview;
    try {
      preview = await deps.feedback.previewAnswer(id, answer, reviewerOf(viewer), viewer.language);
    } catch (error) {
      return refuse(deps, res, id, error, "answer", { answer });
    }
    const title = viewer.t(`${NS}:previewTitle`, { reference: preview.reference });
    sendPage(res, page(viewer, { title, area: "feedback", body: previewBody(viewer, preview) }));
  }));

  router.post("/:id/answer/edit", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    await showItem(deps, res, id, { answer: field(req.body, "answer") });
  }));

  router.post("/:id/answer", route(async (req, res) => {
    const viewer = viewerOf(res);
    const id = await reachableItem(deps, viewer, req.params.id);
    const text = field(req.body, "answer");
    let queued: number;
    try {
      const expectStatus = field(req.body, "status");
      queued = (await deps.feedback.act(id, { kind: "answer", text }, reviewerOf(viewer), deps.clock.now(), { expectStatus })).answersQueued;
    } catch (error) {
      return refuse(deps, res, id, error, "answer", { answer: text });
    }
    res.redirect(303, `${BASE}/${id}?ok=${queued > 0 ? "answered" : "answeredNotSent"}`);
  }));
}
