import fs from "node:fs";
import path from "node:path";
import { DomainError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { chatsOfMembers, type MemberChat } from "./recipients.ts";
import { DEFAULT_RETENTION_DAYS, type RetentionDays } from "./retention.ts";
import { WEB_CHANNEL } from "./webChat.ts";

/**
 * The version of the notice of what chibo stores and why (docs/privacy.md says the same). A new
 * version is accepted again: every linked member is asked once more.
 */
export const CONSENT_VERSION = "2026-12";

/** The full notice, Vietnamese first then English, each under its own top heading. */
export const PRIVACY_FILE = path.resolve(import.meta.dirname, "../../docs/privacy.md");
/** Where the full text is served, under PUBLIC_URL. */
export const PRIVACY_PATH = "/privacy";

export interface PrivacySettings {
  retention?: RetentionDays;
  /** PUBLIC_URL: when set, the notice links to the full text served there. */
  publicUrl?: string;
}

/** A member's answer to the notice, as the member record keeps it. */
export interface ConsentState {
  consentAt: Date | null;
  consentVersion: string | null;
}

export const hasAcceptedCurrent = (member: ConsentState): boolean => member.consentVersion === CONSENT_VERSION;

const sectionsOf = new Map<string, string[]>();

/** The full notice in one language: its section of docs/privacy.md (read once). */
export function privacyText(language: string, file = PRIVACY_FILE): string {
  let sections = sectionsOf.get(file);
  if (!sections) {
    sections = fs.readFileSync(file, "utf8").split(/^(?=# )/m).map((s) => s.trim()).filter((s) => s.startsWith("# "));
    sectionsOf.set(file, sections);
  }
  return (language === "en" ? sections[1] : sections[0]) ?? sections[0] ?? "";
}

/** Accepting, declining and asking: the member's answer to the notice is kept with its time and version. */
export function createConsentService(deps: { db: Db } & PrivacySettings) {
  const { db } = deps;
  const retention = deps.retention ?? DEFAULT_RETENTION_DAYS;
  const fullTextUrl = deps.publicUrl ? new URL(PRIVACY_PATH, deps.publicUrl).toString() : undefined;

  /** Records that the member accepted `version`, which must be the current one. */
  async function accept(memberId: number, version: string, actor: Actor, now: Date): Promise<ConsentState> {
    if (version !== CONSENT_VERSION) throw new DomainError("consent:replaced");
    return db.$transaction(async (tx) => {
      const member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { consentAt: true, consentVersion: true } });
      if (hasAcceptedCurrent(member)) return member;
      const saved = await tx.member.update({
        where: { id: memberId },
        data: { consentAt: now, consentVersion: version },
        select: { consentAt: true, consentVersion: true },
      });
      await audit(tx, now, { actor, action: "update", subjectType: "Member", subjectId: memberId, detail: `consent accepted: ${version}` });
      return saved;
    });
  }

  /**
   * The member does not accept (or no longer accepts) the notice: every chat of theirs is unlinked
   * and any conversation left open there is dropped, so chibo writes to them nowhere. Their
   * record stays with the cell; a new invite code links them again, and asks again.
   */
  async function decline(memberId: number, actor: Actor, now: Date): Promise<{ unlinked: number }> {
    return db.$transaction(async (tx) => {
      await tx.chatFlow.deleteMany({ where: { memberId } });
      const { count } = await tx.chatIdentity.deleteMany({ where: { memberId } });
      await tx.member.update({ where: { id: memberId }, data: { consentAt: null, consentVersion: null } });
      const detail = `consent declined: ${CONSENT_VERSION}; ${count} chats unlinked`;
      await audit(tx, now, { actor, action: "update", subjectType: "Member", subjectId: memberId, detail });
      return { unlinked: count };
    });
  }

  /**
   * The chat to ask each member in who has a chat with chibo but has not accepted the current
   * notice: one per member, their preferred one. The web chat's members are fictional: never asked.
   */
  function chatsToAsk(): Promise<MemberChat[]> {
    return chatsOfMembers(db, {
      deactivatedAt: null,
      erasedAt: null,
      OR: [{ consentVersion: null }, { consentVersion: { not: CONSENT_VERSION } }],
    }, { exceptChannel: WEB_CHANNEL });
  }

  return { retention, fullTextUrl, accept, decline, chatsToAsk };
}

export type ConsentService = ReturnType<typeof createConsentService>;
