import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";
import { importRoutes } from "./importPage.ts";
import { listRoutes } from "./list.ts";
import { memberRoutes } from "./member.ts";
import { requireMembersArea } from "./scope.ts";
import { slipRoutes } from "./slips.ts";
import { templateRoute } from "./template.ts";
import { unlinkedRoute } from "./unlinked.ts";

/**
 * The members area: the list with search and filters, a member's page and exemption, the list
 * import (checked, then confirmed), its template, printable invite slips and the sheet of who has
 * not linked a chat. Administrators of a subtree and a cell's secretary and deputy use it; every
 * page checks the organization of what it is asked for.
 */
export function membersRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const list = listRoutes(deps);
  const member = memberRoutes(deps);
  const importing = importRoutes(deps);
  const slips = slipRoutes(deps);
  router.use(requireMembersArea);
  router.get("/", list.get);
  router.post("/", list.post);
  router.get("/import", importing.show);
  router.post("/import", importing.check);
  router.post("/import/confirm", importing.confirm);
  router.post("/import/cancel", importing.cancel);
  router.get("/template.xlsx", templateRoute(deps));
  router.get("/slips", slips.show);
  router.post("/slips", slips.issue);
  router.get("/unlinked", unlinkedRoute(deps));
  router.get("/:id", member.show);
  router.post("/:id/exemption", member.setExemption);
  router.post("/:id/exemption/clear", member.clearExemption);
  return router;
}
