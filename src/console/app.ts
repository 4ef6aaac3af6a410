import express, { type Express } from "express";
import { assetRoutes } from "./assets.ts";
import { accountRoutes } from "./account.ts";
import type { ConsoleDeps } from "./context.ts";
import { consoleErrors, consoleNotFound } from "./errors.ts";
import { consoleAreas } from "./pages/index.ts";
import { csrfCheck, securityHeaders } from "./security.ts";
import { requireSession } from "./session.ts";
import { signInRoutes } from "./signIn.ts";

/** Form bodies are small; files come through readMultipart with their own caps. */
const FORM_LIMIT = "256kb";

/**
 * The committee console at /console: server-rendered pages that work without JavaScript, behind a
 * sign-in link from the chat, every change with the session's CSRF token, every page with its
 * own scope check, errors as pages in the person's language.
 */
export function createConsoleMount(deps: ConsoleDeps) {
  return (app: Express): void => {
    const router = express.Router();
    router.use(securityHeaders);
    router.use("/assets", assetRoutes());
    router.use(express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 }));
    router.use(signInRoutes(deps));
    router.use(requireSession(deps));
    router.use(csrfCheck((res) => (res.locals.viewer as { session?: { csrfToken: string } } | undefined)?.session?.csrfToken));
    router.use(accountRoutes(deps));
    for (const [area, routes] of consoleAreas(deps)) router.use(`/${area}`, routes);
    router.use(consoleNotFound);
    router.use(consoleErrors(deps));
    app.use("/console", router);
  };
}
