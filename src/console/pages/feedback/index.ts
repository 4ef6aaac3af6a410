import express, { type Router } from "express";
import type { ConsoleDeps } from "../../context.ts";
import { answerRoutes } from "./answer.ts";
import { exportRoutes } from "./export.ts";
import { itemRoutes } from "./item.ts";
import { queueRoutes } from "./queue.ts";
import { reviewersOnly } from "./shared.ts";
import { templateRoutes } from "./templates.ts";

/**
 * The feedback queue for reviewers (/console/feedback): the list with filters, search and export,
 * the answer templates, and one item with its photo, notes, assignment and every action the chat
 * offers, each done through the same feedback service. Fixed addresses come before `/:id`.
 */
export function feedbackRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  router.use(reviewersOnly);
  queueRoutes(deps, router);
  exportRoutes(deps, router);
  templateRoutes(deps, router);
  answerRoutes(deps, router);
  itemRoutes(deps, router);
  return router;
}
