import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { visibleAreas } from "../../../domain/consoleAccess.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { composeRoutes } from "./compose.ts";
import { listPage } from "./list.ts";
import { progressRoutes } from "./progress.ts";

/**
 * Notices (/console/notices): the list of the viewer's subtrees' notices, compose → preview →
 * send, and the live delivery view of each. Every page checks the notice's organization itself.
 */
export function noticesRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const compose = composeRoutes(deps);
  const progress = progressRoutes(deps);
  // Someone with no notice role anywhere is not shown this part at all.
  router.use((_req: Request, res: Response, next: NextFunction) => next(visibleAreas(viewerOf(res).roles).includes("notices") ? undefined : new NotFound()));
  router.get("/", listPage(deps));
  router.get("/new", compose.form);
  router.post("/preview", compose.preview);
  router.post("/edit", compose.edit);
  router.post("/", compose.send);
  router.get("/:id", progress.show);
  router.get("/:id/progress.json", progress.progress);
  return router;
}
