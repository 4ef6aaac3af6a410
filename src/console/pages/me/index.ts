import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";
import { dataRoutes } from "./data.ts";
import { mePage } from "./page.ts";

/** The member's own page (/console/me): every signed-in member has it, and it shows only them. */
export function meRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const data = dataRoutes(deps);
  router.get("/", mePage(deps));
  router.post("/export", data.download);
  router.get("/erase", data.confirmErase);
  router.post("/erase", data.erase);
  return router;
}
