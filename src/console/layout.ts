import { visibleAreas, type ConsoleArea } from "../domain/consoleAccess.ts";
import type { Language } from "../i18n.ts";
import type { TFunction } from "i18next";
import type { Viewer } from "./context.ts";
import { html, type Html } from "./html.ts";
import { csrfField } from "./ui.ts";

export interface PageOptions {
  title: string;
  /** The menu entry shown as current ("me" for the member's own page). */
  area?: ConsoleArea | "me" | "account";
  body: Html;
  /** Extra scripts of chibo's own, served from /console/assets (charts, live progress). */
  scripts?: string[];
  /** A short confirmation shown above the page (after a change). */
  flash?: string;
}

const ASSET_VERSION = "1";
const asset = (name: string) => `/console/assets/${name}?v=${ASSET_VERSION}`;

function shell(language: Language, title: string, content: Html, scripts: string[] = []): Html {
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · chibo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset("console.css")}">
<script src="${asset("console.js")}" defer></script>
${scripts.map((s) => html`<script src="${asset(s)}" defer></script>`)}
</head>
<body>
${content}
</body>
</html>`;
}

/** A page behind sign-in: the menu of what the person may use, their name, sign-out, language. */
export function page(viewer: Viewer, options: PageOptions): Html {
  const { t } = viewer;
  const areas = visibleAreas(viewer.roles);
  const entry = (area: string, href: string) =>
    html`<li><a href="${href}"${options.area === area ? html` aria-current="page"` : ""}>${t(`console:nav_${area}`)}</a></li>`;
  const content = html`<a class="skip" href="#main">${t("console:skipToContent")}</a>
<header class="top">
  <a class="brand" href="/console">chibo</a>
  <nav aria-label="${t("console:menu")}"><ul>
    ${areas.map((area) => entry(area, `/console/${area}`))}
    ${entry("me", "/console/me")}
  </ul></nav>
  <div class="who">
    <span>${viewer.fullName}</span>
    <form method="post" action="/console/signout">${csrfField(viewer)}<button type="submit" class="link">${t("console:signOut")}</button></form>
  </div>
</header>
<main id="main" tabindex="-1">
${options.flash ? html`<p class="flash" role="status">${options.flash}</p>` : ""}
<h1>${options.title}</h1>
${options.body}
</main>
<footer class="bottom">
  <form method="post" action="/console/language">${csrfField(viewer)}
    <label for="language">${t("console:language")}</label>
    <select id="language" name="language">
      <option value="vi"${viewer.language === "vi" ? html` selected` : ""}>Tiếng Việt</option>
      <option value="en"${viewer.language === "en" ? html` selected` : ""}>English</option>
    </select>
    <button type="submit">${t("console:change")}</button>
  </form>
  <a href="/console/account">${t("console:nav_account")}</a>
  <a href="/privacy">${t("console:privacy")}</a>
</footer>`;
  return shell(viewer.language, options.title, content, options.scripts);
}

/** A page for someone not signed in (the sign-in step, an expired link, an error before sign-in). */
export function publicPage(t: TFunction, language: Language, title: string, body: Html): Html {
  return shell(language, title, html`<header class="top"><span class="brand">chibo</span></header>
<main id="main" class="narrow"><h1>${title}</h1>${body}</main>`);
}
