import express, { type Router } from "express";
import { isLanguage } from "../i18n.ts";
import { visibleAreas } from "../domain/consoleAccess.ts";
import { viewerOf, type ConsoleDeps } from "./context.ts";
import { clearedSessionCookie } from "./cookies.ts";
import { html } from "./html.ts";
import { page } from "./layout.ts";
import { csrfField, flashOf } from "./ui.ts";

/** The home address, the account page, sign-out (here and everywhere) and the language. */
export function accountRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();

  router.get("/", (_req, res) => {
    const viewer = viewerOf(res);
    res.redirect(303, visibleAreas(viewer.roles).includes("overview") ? "/console/overview" : "/console/me");
  });

  router.get("/account", (req, res) => {
    const viewer = viewerOf(res);
    const { t } = viewer;
    const roles = viewer.roles.map((r) => html`<li>${t(`common:role_${r.role}`)} — ${r.orgName}</li>`);
    const body = html`<section class="card">
<h2>${t("console:yourRoles")}</h2>
${roles.length ? html`<ul>${roles}</ul>` : html`<p>${t("console:noRoles")}</p>`}
</section>
<section class="card">
<h2>${t("console:signOutEverywhereTitle")}</h2>
<p>${t("console:signOutEverywhereIntro")}</p>
<form method="post" action="/console/signout-everywhere">${csrfField(viewer)}<button type="submit" class="danger">${t("console:signOutEverywhere")}</button></form>
</section>`;
    res.type("html").send(page(viewer, { title: t("console:nav_account"), area: "account", body, flash: flashOf(req, viewer) }).toString());
  });

  router.post("/signout", async (_req, res, next) => {
    try {
      const viewer = viewerOf(res);
      await deps.sessions.signOut(viewer.session.sessionId, deps.clock.now(), viewer.id);
      res.set("set-cookie", clearedSessionCookie(deps.secureCookies)).redirect(303, "/console/signed-out");
    } catch (error) {
      next(error);
    }
  });

  router.post("/signout-everywhere", async (_req, res, next) => {
    try {
      const viewer = viewerOf(res);
      await deps.sessions.signOutEverywhere(viewer.id, deps.clock.now());
      res.set("set-cookie", clearedSessionCookie(deps.secureCookies)).redirect(303, "/console/signed-out");
    } catch (error) {
      next(error);
    }
  });

  router.post("/language", async (req, res, next) => {
    try {
      const viewer = viewerOf(res);
      const language = req.body?.language;
      if (!isLanguage(language)) {
        res.redirect(303, "/console/account");
        return;
      }
      await deps.access.setLanguage(viewer.id, language, deps.clock.now());
      const back = req.get("referer");
      const path = back ? new URL(back, "http://x").pathname : "/console";
      res.redirect(303, path.startsWith("/console") ? path : "/console");
    } catch (error) {
      next(error);
    }
  });

  return router;
}
