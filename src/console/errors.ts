import type { NextFunction, Request, Response } from "express";
import { isDomainError } from "../domain/errors.ts";
import type { ConsoleDeps, Viewer } from "./context.ts";
import { html } from "./html.ts";
import { page, publicPage } from "./layout.ts";

/**
 * Something the person may not see, or that does not exist: the same answer either way, so a
 * changed number in the address tells nothing about another commune's items.
 */
export class NotFound extends Error {
  readonly status = 404;
  constructor() {
    super("not found");
  }
}

function render(deps: ConsoleDeps, res: Response, status: number, key: string, params: Record<string, unknown> = {}) {
  const viewer = res.locals.viewer as Viewer | undefined;
  const t = viewer?.t ?? deps.translator.t(deps.defaultLanguage);
  const title = t(status === 404 ? "console:notFoundTitle" : status === 403 ? "console:refusedTitle" : status >= 500 ? "console:errorTitle" : "console:badInputTitle");
  const body = html`<p class="error" role="alert">${t(key, params)}</p><p><a href="/console">${t("console:backHome")}</a></p>`;
  const markup = viewer ? page(viewer, { title, body }) : publicPage(t, deps.defaultLanguage, title, body);
  res.status(status).type("html").send(markup.toString());
}

/** The console's error boundary: a page in the person's language, never a stack trace. */
export function consoleErrors(deps: ConsoleDeps) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    if (error instanceof NotFound) return render(deps, res, 404, "console:notFound");
    if (isDomainError(error)) return render(deps, res, 400, error.code, error.params);
    const status = (error as { status?: unknown }).status;
    if (status === 403) return render(deps, res, 403, "console:csrfRefused");
    if (status === 413) return render(deps, res, 413, "console:tooLarge");
    if (typeof status === "number" && status >= 400 && status < 500) return render(deps, res, status, "console:badRequest");
    deps.logger.error({ err: error, path: req.path }, "console request failed");
    render(deps, res, 500, "console:error");
  };
}

export const consoleNotFound = (_req: Request, _res: Response, next: NextFunction) => next(new NotFound());
