import express, { type Router } from "express";
import type { ConsoleDeps } from "./context.ts";
import { clearedSessionCookie, sessionCookie } from "./cookies.ts";
import { html } from "./html.ts";
import { publicPage } from "./layout.ts";
import { CsrfRefused, sameOrigin } from "./security.ts";

/**
 * Sign-in from a link sent in the chat. Opening the link shows a button; only pressing it spends
 * the link: chat apps open links themselves to draw a preview, and that must not use it up.
 */
export function signInRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  const t = () => deps.translator.t(deps.defaultLanguage);

  router.get("/signin/:token", async (req, res, next) => {
    try {
      const token = String(req.params.token);
      const usable = await deps.sessions.linkIsUsable(token, deps.clock.now());
      const tt = t();
      const body = usable
        ? html`<p>${tt("console:signInIntro")}</p>
<form method="post" action="/console/signin"><input type="hidden" name="token" value="${token}">
<button type="submit" class="primary">${tt("console:signInButton")}</button></form>`
        : html`<p class="error" role="alert">${tt("console:linkUnusable")}</p>`;
      res.status(usable ? 200 : 410).type("html").send(publicPage(tt, deps.defaultLanguage, tt("console:signInTitle"), body).toString());
    } catch (error) {
      next(error);
    }
  });

  router.post("/signin", async (req, res, next) => {
    try {
      // Another site's page must not sign this browser in, even with a link of its own.
      if (!sameOrigin(req)) throw new CsrfRefused();
      const token = typeof req.body?.token === "string" ? req.body.token : "";
      const signedIn = await deps.sessions.redeem(token, deps.clock.now(), req.get("user-agent"));
      if (!signedIn) {
        const tt = t();
        res.status(410).type("html").send(publicPage(tt, deps.defaultLanguage, tt("console:signInTitle"), html`<p class="error" role="alert">${tt("console:linkUnusable")}</p>`).toString());
        return;
      }
      res.set("set-cookie", sessionCookie(signedIn.token, { secure: deps.secureCookies, maxAgeSeconds: deps.sessions.settings.sessionHours * 3600 }));
      res.redirect(303, "/console");
    } catch (error) {
      next(error);
    }
  });

  /** Where a page behind sign-in sends someone without a live session. */
  router.get("/signed-out", (_req, res) => {
    const tt = t();
    res.set("set-cookie", clearedSessionCookie(deps.secureCookies));
    res.status(401).type("html").send(publicPage(tt, deps.defaultLanguage, tt("console:signedOutTitle"), html`<p>${tt("console:signedOut")}</p>`).toString());
  });

  return router;
}
