import type { NextFunction, Request, Response } from "express";
import type { ConsoleDeps, Viewer } from "./context.ts";
import { readCookie, SESSION_COOKIE } from "./cookies.ts";

/**
 * Every page behind sign-in: the cookie's session, still alive, and the person it belongs to, with
 * their roles as they are now (a role removed a minute ago no longer opens its pages).
 */
export function requireSession(deps: ConsoleDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      const session = token ? await deps.sessions.resume(token, deps.clock.now()) : null;
      const person = session ? await deps.access.person(session.memberId) : null;
      if (!session || !person) {
        if (req.method === "GET" || req.method === "HEAD") {
          res.redirect(303, "/console/signed-out");
        } else {
          res.status(401).type("text").send("signed out");
        }
        return;
      }
      const viewer: Viewer = { ...person, session, t: deps.translator.t(person.language) };
      res.locals.viewer = viewer;
      next();
    } catch (error) {
      next(error);
    }
  };
}
