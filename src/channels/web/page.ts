import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ROLES } from "../../domain/organization.ts";
import { LANGUAGES, type Translator } from "../../i18n.ts";

const PAGE_DIR = path.join(import.meta.dirname, "page");

const read = (file: string) => fs.readFileSync(path.join(PAGE_DIR, file), "utf8");
const sha256 = (text: string) => `'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** JSON that is safe inside a <script> element: no "</script>" or "<!--" can appear in it. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

export interface ChatPage {
  html: string;
  /** Allows exactly the page's own inline script and style, and requests to this server only. */
  contentSecurityPolicy: string;
}

/**
 * The chat page as one self-contained document, built once at start: chat.html with chat.css
 * and chat.js inlined and the page's sentences (the "web" namespace and role names) in both
 * languages, so switching language needs no request.
 */
export function buildChatPage(translator: Translator): ChatPage {
  const words = Object.fromEntries(LANGUAGES.map((language) => {
    const t = translator.t(language);
    const roles = Object.fromEntries(ROLES.map((role) => [`role_${role}`, t(`common:role_${role}`)]));
    return [language, { ...(translator.instance.getResourceBundle(language, "web") as Record<string, string>), ...roles }];
  }));
  const style = read("chat.css");
  const script = read("chat.js");
  const html = read("chat.html")
    .replace("/*STYLE*/", () => style)
    .replace("/*WORDS*/", () => scriptSafeJson(words))
    .replace("/*SCRIPT*/", () => script);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { html, contentSecurityPolicy };
}
