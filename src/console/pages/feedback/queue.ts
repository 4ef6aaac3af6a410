import type { Request, Response, Router } from "express";
import { filterParams, parseQueueFilters } from "../../../domain/feedbackQueue.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { page } from "../../layout.ts";
import { flashOf } from "../../ui.ts";
import { queueBody } from "./queueView.ts";
import { BASE, field, NS, reviewerOf, route, sendPage } from "./shared.ts";

/** The query's or the form's values, as text. */
const values = (source: unknown): Record<string, unknown> => (source && typeof source === "object" ? { ...source } : {});

/**
 * The queue: GET with the filters in the address; the form is posted (its search words stay out
 * of addresses) and, without words, answered with the plain address of its filters.
 */
export function queueRoutes(deps: ConsoleDeps, router: Router): void {
  async function show(req: Request, res: Response, input: Record<string, unknown>): Promise<void> {
    const viewer = viewerOf(res);
    const { filters, problems } = parseQueueFilters(input);
    const reviewer = reviewerOf(viewer);
    const { result, choices } = await deps.services.feedbackQueue.page(reviewer, filters, deps.clock.now());
    const shown = { filters, from: String(input.from ?? "").slice(0, 10), to: String(input.to ?? "").slice(0, 10) };
    const body = queueBody(viewer, choices, result, shown, problems);
    const markup = page(viewer, { title: viewer.t(`${NS}:title`), area: "feedback", body, flash: flashOf(req, viewer, NS) });
    sendPage(res, markup, problems.length > 0 ? 400 : 200);
  }

  router.get("/", route((req, res) => show(req, res, values(req.query))));

  router.post("/search", route(async (req, res) => {
    const input = values(req.body);
    if (field(req.body, "q").trim() === "") {
      const { filters } = parseQueueFilters(input);
      const query = new URLSearchParams(filterParams(filters));
      // A mistyped day is kept in the address so the page can say what was wrong with it.
      for (const name of ["from", "to"]) if (field(req.body, name) && !query.has(name)) query.set(name, field(req.body, name).slice(0, 10));
      res.redirect(303, `${BASE}${query.size ? `?${query.toString()}` : ""}`);
      return;
    }
    await show(req, res, input);
  }));
}
