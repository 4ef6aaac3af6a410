import fs from "node:fs";
import type { Express } from "express";
import { PRIVACY_FILE, PRIVACY_PATH } from "../services/consent.ts";

/** The page is text only: no script, no outside resource, its one style inline. */
const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "Cache-Control": "public, max-age=3600",
  "X-Content-Type-Options": "nosniff",
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The full notice of what chibo stores (docs/privacy.md) at /privacy, the short link the chat's
 * notice gives when PUBLIC_URL is set. Headings, lists and paragraphs are all its markdown has.
 */
export function mountPrivacyPage(app: Express, file = PRIVACY_FILE): void {
  const page = renderPage(fs.readFileSync(file, "utf8"));
  app.get(PRIVACY_PATH, (_req, res) => {
    res.set(HEADERS).type("html").send(page);
  });
}

export function renderPage(markdown: string): string {
  const html: string[] = [];
  let list = false;
  for (const line of markdown.split("\n")) {
    const item = /^- (.*)$/.exec(line);
    if (list && !item) html.push("</ul>");
    if (item && !list) html.push("<ul>");
    list = item !== null;
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) html.push(`<h${heading[1]!.length}>${escape(heading[2]!)}</h${heading[1]!.length}>`);
    else if (item) html.push(`<li>${escape(item[1]!)}</li>`);
    else if (line.trim()) html.push(`<p>${escape(line)}</p>`);
  }
  if (list) html.push("</ul>");
  return [
    "<!doctype html>",
    '<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>chibo</title><style>body{font:17px/1.5 system-ui,sans-serif;max-width:42rem;margin:1rem auto;padding:0 1rem}</style></head><body>`,
    ...html,
    "</body></html>",
  ].join("\n");
}
