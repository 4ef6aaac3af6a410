import crypto from "node:crypto";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";

/** How long things last; defaults match the settings' defaults (CONSOLE_*). */
export interface ConsoleSessionSettings {
  linkMinutes: number;
  idleMinutes: number;
  sessionHours: number;
}

export const DEFAULT_CONSOLE_SESSION_SETTINGS: ConsoleSessionSettings = { linkMinutes: 15, idleMinutes: 60, sessionHours: 12 };

/** lastSeenAt is written at most this often per session. */
const TOUCH_RESOLUTION_MS = 60_000;
const TOKEN_BYTES = 32;

const newToken = () => crypto.randomBytes(TOKEN_BYTES).toString("base64url");
const hashOf = (token: string) => crypto.createHash("sha256").update(token).digest("hex");
/** A token is base64url of 32 bytes; anything else is not looked up at all. */
const wellFormed = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

export interface SignedIn {
  sessionId: number;
  memberId: number;
  csrfToken: string;
}

/**
 * Sign-in links and sessions of the committee console. Only hashes of the tokens are stored, so a
 * copy of the database signs nobody in. A link works once and for minutes; a session ends when
 * left idle, at its absolute end, on sign-out, or when the member signs out everywhere.
 */
export function createConsoleSessionService(deps: { db: Db; settings?: ConsoleSessionSettings }) {
  const { db } = deps;
  const settings = deps.settings ?? DEFAULT_CONSOLE_SESSION_SETTINGS;

  /** A new one-time link token for an active member; earlier unused links of theirs stop working. */
  async function issueLink(memberId: number, via: "chat" | "cli", now: Date, actor: Actor): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + settings.linkMinutes * 60_000);
    await db.$transaction(async (tx) => {
      const member = await tx.member.findUnique({ where: { id: memberId }, select: { deactivatedAt: true, erasedAt: true } });
      if (!member || member.deactivatedAt || member.erasedAt) throw new ConsoleMemberInactive(memberId);
      await tx.consoleSignIn.updateMany({ where: { memberId, usedAt: null }, data: { usedAt: now } });
      await tx.consoleSignIn.create({ data: { tokenHash: hashOf(token), memberId, issuedVia: via, createdAt: now, expiresAt } });
      await audit(tx, now, { actor, action: "create", subjectType: "ConsoleSignIn", subjectId: memberId, detail: via });
    });
    return { token, expiresAt };
  }

  /** Whether a link token would sign someone in now (the page before the button). */
  async function linkIsUsable(token: string, now: Date): Promise<boolean> {
    if (!wellFormed(token)) return false;
    const link = await db.consoleSignIn.findUnique({ where: { tokenHash: hashOf(token) }, select: { usedAt: true, expiresAt: true } });
    return Boolean(link && !link.usedAt && link.expiresAt > now);
  }

  /** Spends a link and opens a session; null when the link is unknown, used or expired. */
  async function redeem(token: string, now: Date, userAgent?: string): Promise<(SignedIn & { token: string }) | null> {
    if (!wellFormed(token)) return null;
    return db.$transaction(async (tx) => {
      // Spending the link is the conditional write: two clicks at once open one session.
      const spent = await tx.consoleSignIn.updateMany({ where: { tokenHash: hashOf(token), usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (spent.count !== 1) return null;
      const link = await tx.consoleSignIn.findUniqueOrThrow({ where: { tokenHash: hashOf(token) }, select: { memberId: true, member: { select: { deactivatedAt: true, erasedAt: true } } } });
      if (link.member.deactivatedAt || link.member.erasedAt) return null;
      const sessionToken = newToken();
      const csrfToken = newToken();
      const session = await tx.consoleSession.create({
        data: {
          tokenHash: hashOf(sessionToken), csrfToken, memberId: link.memberId, createdAt: now, lastSeenAt: now,
          expiresAt: new Date(now.getTime() + settings.sessionHours * 3_600_000), userAgent: userAgent?.slice(0, 200) ?? null,
        },
      });
      await audit(tx, now, { actor: { kind: "console", memberId: link.memberId }, action: "link", subjectType: "ConsoleSession", subjectId: session.id, detail: "signed in" });
      return { token: sessionToken, sessionId: session.id, memberId: link.memberId, csrfToken };
    });
  }

  /** The session a cookie token stands for, if it is still alive; touches it. */
  async function resume(token: string, now: Date): Promise<SignedIn | null> {
    if (!wellFormed(token)) return null;
    const session = await db.consoleSession.findUnique({
      where: { tokenHash: hashOf(token) },
      select: { id: true, memberId: true, csrfToken: true, lastSeenAt: true, expiresAt: true, member: { select: { deactivatedAt: true, erasedAt: true } } },
    });
    if (!session) return null;
    const idleEnd = session.lastSeenAt.getTime() + settings.idleMinutes * 60_000;
    if (session.expiresAt <= now || idleEnd <= now.getTime() || session.member.deactivatedAt || session.member.erasedAt) {
      await db.consoleSession.deleteMany({ where: { id: session.id } });
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_RESOLUTION_MS) {
      await db.consoleSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    }
    return { sessionId: session.id, memberId: session.memberId, csrfToken: session.csrfToken };
  }

  async function signOut(sessionId: number, now: Date, memberId: number): Promise<void> {
    await db.$transaction(async (tx) => {
      await tx.consoleSession.deleteMany({ where: { id: sessionId } });
      await audit(tx, now, { actor: { kind: "console", memberId }, action: "delete", subjectType: "ConsoleSession", subjectId: sessionId, detail: "signed out" });
    });
  }

  /** Ends every session of the member (a lost phone, a shared computer), and their unused links. */
  async function signOutEverywhere(memberId: number, now: Date): Promise<number> {
    return db.$transaction(async (tx) => {
      const { count } = await tx.consoleSession.deleteMany({ where: { memberId } });
      await tx.consoleSignIn.updateMany({ where: { memberId, usedAt: null }, data: { usedAt: now } });
      await audit(tx, now, { actor: { kind: "console", memberId }, action: "delete", subjectType: "ConsoleSession", subjectId: memberId, detail: `signed out everywhere: ${count}` });
      return count;
    });
  }

  return { settings, issueLink, linkIsUsable, redeem, resume, signOut, signOutEverywhere };
}

export type ConsoleSessionService = ReturnType<typeof createConsoleSessionService>;

/** A deactivated or erased member gets no console link. */
export class ConsoleMemberInactive extends Error {
  constructor(readonly memberId: number) {
    super(`member ${memberId} is not active`);
  }
}
