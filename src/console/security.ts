import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * Every console answer: scripts, styles and images only from chibo itself (no inline script, no
 * CDN), forms only to chibo, never framed, no referrer to other sites (a sign-in link never leaks), not cached.
 */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
  "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join("; ");

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    "content-security-policy": CONSOLE_CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
  });
  next();
}

export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The request comes from a page of this host, when the browser says where it comes from. */
export function sameOrigin(req: Request): boolean {
  const origin = req.get("origin") ?? req.get("referer");
  if (!origin || origin === "null") return origin === undefined;
  try {
    return new URL(origin).host === req.get("host");
  } catch {
    return false;
  }
}

/**
 * A change (any method but GET and HEAD) needs the session's token in the form (`_csrf`) or in the
 * `x-csrf-token` header, and must not come from another site's page.
 */
export function csrfCheck(expected: (res: Response) => string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    // A file form's fields are read with its file: readMultipart checks the token there.
    if (req.is("multipart/form-data") && sameOrigin(req)) return next();
    const token = expected(res);
    const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get("x-csrf-token");
    if (token && sameToken(given, token) && sameOrigin(req)) return next();
    res.locals.csrfRefused = true;
    next(new CsrfRefused());
  };
}

export class CsrfRefused extends Error {
  readonly status = 403;
  constructor() {
    super("the form's token is missing or wrong");
  }
}
