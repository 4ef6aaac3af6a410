import { SESSION_COOKIE } from "../../src/console/cookies.ts";
import type { Chibo } from "../../src/runtime.ts";

/** A signed-in console session as a browser holds it: the cookie, and the token its forms carry. */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/**
 * The console over plain HTTP for tests of rules (scope, CSRF, bad input): a session opened the
 * way a sign-in link opens one, and GET / POST with its cookie. `app` is read at each call, so the
 * helper can be made before the app starts.
 */
export function consoleHttp(app: () => { chibo: Chibo; baseUrl: string }) {
  async function sessionOf(memberId: number, now = new Date()): Promise<ConsoleSession> {
    const sessions = app().chibo.services.consoleSessions;
    const { token } = await sessions.issueLink(memberId, "cli", now, { kind: "cli" });
    const signedIn = await sessions.redeem(token, now);
    return { cookie: `${SESSION_COOKIE}=${signedIn!.token}`, csrf: signedIn!.csrfToken };
  }
  const get = (session: ConsoleSession, path: string) => fetch(`${app().baseUrl}${path}`, { headers: { cookie: session.cookie }, redirect: "manual" });
  /** A form sent with the session's token (unless `withToken` is false); a field may repeat. */
  const post = (session: ConsoleSession, path: string, fields: Record<string, string | string[]>, withToken = true) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    if (withToken) body.append("_csrf", session.csrf);
    return fetch(`${app().baseUrl}${path}`, { method: "POST", headers: { cookie: session.cookie }, body, redirect: "manual" });
  };
  return { sessionOf, get, post };
}
