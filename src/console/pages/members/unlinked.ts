import type { Request, Response } from "express";
import { formatDisplayDate, localDateOf } from "../../../domain/localTime.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { table } from "../../ui.ts";
import { cellPicker } from "./cellPicker.ts";
import { printButton } from "./labels.ts";
import { actorOf, cellInScope, managedPaths } from "./scope.ts";

/**
 * The secretary's sheet of who in the cell has not linked a chat yet: printed and taken along to
 * the meeting, with a column to note who was helped. Phones are masked but for the last digits.
 */
export function unlinkedRoute(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const title = t("consoleMembers:unlinkedTitle");
    if (req.query.cell === undefined) {
      const cells = await deps.services.memberDirectory.cellsIn(managedPaths(viewer));
      const body = cellPicker(viewer, "/console/members/unlinked", cells, t("consoleMembers:unlinkedPickCell"));
      res.type("html").send(page(viewer, { title, area: "members", body }).toString());
      return;
    }
    const cell = await cellInScope(deps, viewer, req.query.cell);
    const now = deps.clock.now();
    const members = await deps.services.inviteSlips.unlinked(cell, now, actorOf(viewer));
    const body = html`<div class="no-print">
<p class="actions members-toolbar">${printButton(viewer)} <a class="button" href="/console/members/slips?cell=${cell.id}">${t("consoleMembers:slipsLink")}</a>
<a href="/console/members">${t("consoleMembers:backToList")}</a></p>
</div>
<h2>${cell.name}</h2>
<p>${t("consoleMembers:unlinkedCount", { count: members.length, date: formatDisplayDate(localDateOf(now)) })}</p>
${table({
    head: [t("consoleMembers:number"), t("consoleMembers:name"), t("consoleMembers:phone"), t("consoleMembers:notes")],
    rows: members.map((m, i) => [html`${i + 1}`, html`${m.fullName}`, html`${m.phone || "—"}`, html``]),
    empty: t("consoleMembers:unlinkedNone"),
    className: "members-unlinked",
  })}`;
    res.type("html").send(page(viewer, { title, area: "members", body, scripts: ["members-print.js"] }).toString());
  };
}
