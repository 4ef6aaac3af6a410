import type { Request, Response } from "express";
import { isDomainError, NotAllowedError } from "../../../domain/errors.ts";
import type { Organization } from "../../../generated/prisma/client.ts";
import { MAX_NOTICE_LENGTH, noticeText } from "../../../services/notices.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField, idParam } from "../../ui.ts";
import { mayAddress } from "./scope.ts";

/**
 * Compose → preview → send, as the chat's /thongbao: the organizations offered are the chat's
 * (the cells the viewer leads, the organizations they review), the preview is the very message
 * members get, and sending is the notice service's.
 */
export function composeRoutes(deps: ConsoleDeps) {
  const actorOf = (viewer: Viewer) => ({ memberId: viewer.id, roles: viewer.roles });

  async function scopes(viewer: Viewer): Promise<Organization[]> {
    return (await deps.services.notices.scopes(viewer.roles)).filter((org) => mayAddress(viewer, org));
  }

  /** The organization a form names, when the viewer may send to it; "not found" otherwise, as for any other id. */
  async function chosen(viewer: Viewer, value: unknown): Promise<Organization> {
    const id = idParam(value);
    const org = id === undefined ? undefined : (await scopes(viewer)).find((o) => o.id === id);
    if (!org) throw new NotFound();
    return org;
  }

  async function showForm(res: Response, viewer: Viewer, input: { orgId?: number; text?: string; problem?: string }) {
    const { t } = viewer;
    const orgs = await scopes(viewer);
    const selected = input.orgId ?? orgs[0]?.id;
    const body = orgs.length === 0
      ? html`<p class="warning">${t("consoleNotices:noScopes")}</p><p><a href="/console/notices">${t("consoleNotices:back")}</a></p>`
      : html`${input.problem ? html`<p class="error" role="alert" id="notices-problem">${input.problem}</p>` : ""}
<form method="post" action="/console/notices/preview" class="card notices-compose">
${csrfField(viewer)}
<div class="field">
  <label for="notices-org">${t("consoleNotices:fieldOrg")}</label>
  <select id="notices-org" name="orgId">
    ${orgs.map((org) => html`<option value="${org.id}"${org.id === selected ? html` selected` : ""}>${org.name}</option>`)}
  </select>
</div>
<div class="field">
  <label for="notices-text">${t("consoleNotices:fieldText")}</label>
  <textarea id="notices-text" name="text" rows="8" maxlength="${MAX_NOTICE_LENGTH}" required aria-describedby="notices-text-hint${input.problem ? " notices-problem" : ""}">${input.text ?? ""}</textarea>
  <p class="muted" id="notices-text-hint">${t("consoleNotices:textHint", { max: MAX_NOTICE_LENGTH })}</p>
</div>
<p class="actions"><button type="submit" class="primary">${t("consoleNotices:previewButton")}</button>
<a class="button" href="/console/notices">${t("consoleNotices:cancel")}</a></p>
</form>`;
    res.status(input.problem ? 400 : 200).type("html").send(page(viewer, { title: t("consoleNotices:composeTitle"), area: "notices", body }).toString());
  }

  /** The service's refusal of the text (empty, too long) as a sentence on the form; anything else goes on. */
  const problemOf = (viewer: Viewer, error: unknown) => (isDomainError(error) && !(error instanceof NotAllowedError) ? viewer.t(error.code, error.params) : undefined);

  async function form(_req: Request, res: Response) {
    await showForm(res, viewerOf(res), {});
  }

  async function preview(req: Request, res: Response) {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const org = await chosen(viewer, req.body?.orgId);
    const typed = typeof req.body?.text === "string" ? req.body.text : "";
    let audience;
    try {
      audience = await deps.services.notices.audience({ orgId: org.id, text: typed, actor: actorOf(viewer) });
    } catch (error) {
      const problem = problemOf(viewer, error);
      if (!problem) throw error;
      return showForm(res, viewer, { orgId: org.id, text: typed, problem });
    }
    const body = html`<p>${t("consoleNotices:previewIntro", { count: audience.members, org: org.name })}</p>
<figure class="card notices-message">
  <figcaption class="muted">${t("consoleNotices:previewCaption")}</figcaption>
  <p class="notices-text">${noticeText(t, org.name, audience.text)}</p>
  <p><span class="notices-sample-button">${t("notice:buttonAck")}</span></p>
</figure>
<p class="notices-recipients"><strong>${t("consoleNotices:recipients", { count: audience.members })}</strong></p>
<form method="post" action="/console/notices" class="actions">
  ${csrfField(viewer)}
  <input type="hidden" name="orgId" value="${org.id}">
  <input type="hidden" name="text" value="${audience.text}">
  <button type="submit" class="primary">${t("consoleNotices:sendButton")}</button>
  <button type="submit" formaction="/console/notices/edit">${t("consoleNotices:editButton")}</button>
</form>`;
    res.type("html").send(page(viewer, { title: t("consoleNotices:previewTitle"), area: "notices", body }).toString());
  }

  /** Back from the preview to the form, with what was typed (kept out of the address). */
  async function edit(req: Request, res: Response) {
    const viewer = viewerOf(res);
    const org = await chosen(viewer, req.body?.orgId);
    await showForm(res, viewer, { orgId: org.id, text: typeof req.body?.text === "string" ? req.body.text : "" });
  }

  async function send(req: Request, res: Response) {
    const viewer = viewerOf(res);
    const org = await chosen(viewer, req.body?.orgId);
    const typed = typeof req.body?.text === "string" ? req.body.text : "";
    try {
      const sent = await deps.services.notices.send({ orgId: org.id, text: typed, actor: actorOf(viewer), now: deps.clock.now() });
      res.redirect(303, `/console/notices/${sent.notice.id}?ok=${sent.repeated ? "repeated" : "sent"}`);
    } catch (error) {
      const problem = problemOf(viewer, error);
      if (!problem) throw error;
      await showForm(res, viewer, { orgId: org.id, text: typed, problem });
    }
  }

  return { form, preview, edit, send };
}
