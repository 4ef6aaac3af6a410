import type { Request, Response } from "express";
import { isDomainError } from "../../../domain/errors.ts";
import { NotInCell } from "../../../services/inviteSlips.ts";
import { viewerOf, type ConsoleDeps, type Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { idParam } from "../../ui.ts";
import { cellPicker } from "./cellPicker.ts";
import { actorOf, cellInScope, managedPaths, refusalText } from "./scope.ts";
import { chooser, slipsBody } from "./slipsView.ts";

const PRINT_SCRIPT = "members-print.js";

/**
 * Printable invite slips for a cell: the page chooses whom for (those without a linked chat, by
 * default); issuing codes is a change, so it is the posted form that issues them and answers
 * with the sheets to print, once.
 */
export function slipRoutes(deps: ConsoleDeps) {
  const send = (res: Response, viewer: Viewer, status: number, body: Html, scripts: string[] = []) =>
    res.status(status).type("html").send(page(viewer, { title: viewer.t("consoleMembers:slipsTitle"), area: "members", body, scripts }).toString());

  async function chooserPage(res: Response, viewer: Viewer, cell: { id: number; name: string }, status = 200, error?: string): Promise<void> {
    const roster = await deps.services.inviteSlips.roster(cell, deps.clock.now(), actorOf(viewer));
    const body = html`<p><a href="/console/members">${viewer.t("consoleMembers:backToList")}</a></p>
<p>${viewer.t("consoleMembers:slipsIntro")}</p>
${chooser(viewer, cell, roster, error)}`;
    send(res, viewer, status, body);
  }

  return {
    async show(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      if (req.query.cell !== undefined) return chooserPage(res, viewer, await cellInScope(deps, viewer, req.query.cell));
      const cells = await deps.services.memberDirectory.cellsIn(managedPaths(viewer));
      if (cells.length === 1) return chooserPage(res, viewer, await cellInScope(deps, viewer, String(cells[0]!.id)));
      send(res, viewer, 200, cellPicker(viewer, "/console/members/slips", cells, viewer.t("consoleMembers:slipsPickCell")));
    },

    async issue(req: Request, res: Response): Promise<void> {
      const viewer = viewerOf(res);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const cell = await cellInScope(deps, viewer, body.cell);
      const chosen = body.member === undefined ? [] : [body.member].flat();
      const memberIds = chosen.map(idParam);
      if (memberIds.some((id) => id === undefined)) throw new NotFound();
      let slips;
      try {
        slips = await deps.services.inviteSlips.issue(cell, memberIds as number[], deps.clock.now(), actorOf(viewer));
      } catch (error) {
        if (error instanceof NotInCell) throw new NotFound();
        if (!isDomainError(error)) throw error;
        return chooserPage(res, viewer, cell, 400, refusalText(viewer, error));
      }
      send(res, viewer, 200, await slipsBody(viewer, slips, (code) => deps.botLink("telegram", code)), [PRINT_SCRIPT]);
    },
  };
}
