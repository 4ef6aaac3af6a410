import type { NextFunction, Request, RequestHandler, Response } from "express";
import { allows, scopePaths } from "../../../domain/consoleAccess.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { formatDisplayDate, localDateOf } from "../../../domain/localTime.ts";
import type { FeedbackViewer } from "../../../services/feedback.ts";
import type { ConsoleDeps, Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import type { Html } from "../../html.ts";
import { idParam } from "../../ui.ts";

export const NS = "consoleFeedback";
export const BASE = "/console/feedback";

/** The signed-in reviewer as the feedback services know them; what they do is logged as done in the console. */
export const reviewerOf = (viewer: Viewer): FeedbackViewer => ({ memberId: viewer.id, roles: viewer.roles, via: "console" });

/** Refusals that mean "not yours or not there": the console answers both with its one "not found" page. */
const NOT_FOUND_CODES = new Set(["feedback:notFound", "consoleFeedback:templateNotFound"]);

/** An async page or action: its errors reach the console's error page, "not found" ones as a 404. */
export function route(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch((error: unknown) => next(isDomainError(error) && NOT_FOUND_CODES.has(error.code) ? new NotFound() : error));
  };
}

/** The whole area is for reviewers: anyone else gets "not found" at every address under it. */
export function reviewersOnly(req: Request, res: Response, next: NextFunction): void {
  const viewer = res.locals.viewer as Viewer | undefined;
  next(viewer && scopePaths(viewer.roles, "feedback", "manage").length > 0 ? undefined : new NotFound());
}

/**
 * The item named in the address, when it lies in a subtree the viewer handles feedback for;
 * "not found" otherwise, the same for a missing item and another commune's.
 */
export async function reachableItem(deps: ConsoleDeps, viewer: Viewer, idText: unknown): Promise<number> {
  const id = idParam(idText);
  const found = id === undefined ? null : await deps.services.feedbackQueue.locate(id);
  if (id === undefined || !found || !allows(viewer.roles, "feedback", found.cellPath, "manage")) throw new NotFound();
  return id;
}

/** A form no page of ours makes (an unknown action): the console's "cannot read this request" page. */
export class BadRequest extends Error {
  readonly status = 400;
  constructor() {
    super("bad request");
  }
}

export const day = (instant: Date) => formatDisplayDate(localDateOf(instant));

export function sendPage(res: Response, markup: Html, status = 200): void {
  res.status(status).type("html").send(markup.toString());
}

/** A form field's text ("" when absent or not text). */
export const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
};
