import type { Request, Response } from "express";
import { exportFileName, exportLines } from "../../../core/features/myDataText.ts";
import { tellLeadersOfErasure } from "../../../services/erasureNotice.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { csrfField } from "../../ui.ts";

/**
 * The member's data, as the chat's /dulieu gives it: the same copy as a .txt file (read through
 * the same service, so it is in the audit log as an export), and the request to be erased with a
 * confirmation first (the same service: recorded once, the cell's leaders told).
 */
export function dataRoutes(deps: ConsoleDeps) {
  async function download(_req: Request, res: Response) {
    const viewer = viewerOf(res);
    const data = await deps.services.memberData.exportFor(viewer.id, deps.clock.now(), { kind: "console", memberId: viewer.id });
    const text = `${exportLines(viewer.t, data, true).join("\n")}\n`;
    res.set({
      "content-type": "text/plain; charset=utf-8",
      // The name is ASCII (the member's number and the day): no encoding needed.
      "content-disposition": `attachment; filename="${exportFileName(data)}"`,
    }).send(Buffer.from(text, "utf8"));
  }

  async function confirmErase(_req: Request, res: Response) {
    const viewer = viewerOf(res);
    const { t } = viewer;
    if (await deps.services.myPage.erasureRequestedAt(viewer.id)) {
      res.redirect(303, "/console/me");
      return;
    }
    const body = html`<p class="me-text">${t("myData:eraseAsk")}</p>
<form method="post" action="/console/me/erase" class="actions">${csrfField(viewer)}
  <button type="submit" class="danger">${t("myData:buttonConfirm")}</button>
  <a class="button" href="/console/me">${t("myData:buttonKeep")}</a>
</form>`;
    res.type("html").send(page(viewer, { title: t("consoleMe:eraseTitle"), area: "me", body }).toString());
  }

  async function erase(_req: Request, res: Response) {
    const viewer = viewerOf(res);
    const notify = tellLeadersOfErasure({ outbox: deps.outbox, translator: deps.translator, defaultLanguage: deps.defaultLanguage });
    const result = await deps.services.memberData.requestErasure(viewer.id, deps.clock.now(), notify);
    const key = result.already ? "eraseAlready" : result.told > 0 ? "eraseRequested" : "eraseRequestedNobodyTold";
    res.redirect(303, `/console/me?ok=${key}`);
  }

  return { download, confirmErase, erase };
}
