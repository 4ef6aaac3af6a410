import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import type { FeedbackPhotos } from "./feedbackPhotos.ts";

const MS_PER_DAY = 86_400_000;

/**
 * How long chibo keeps what it does not need for long (Law 91/2025: keep personal data only as
 * long as its purpose needs). Each kind has its own period in days, set in the environment.
 */
export interface RetentionDays {
  /** The text, buttons and file of an outgoing message after it was delivered or given up; the row (and the counts of reports) stays. */
  outboxText: number;
  /** Incoming updates once handled; they are only needed to recognise a platform's redelivery. */
  inboundUpdate: number;
  /** The reason given with an answer of absence, after the meeting; the answer itself stays. Over a year, so the absence count of 12 months keeps its excuses. */
  attendanceReason: number;
  /** Who read or changed what. */
  auditLog: number;
}

export const DEFAULT_RETENTION_DAYS: RetentionDays = { outboxText: 30, inboundUpdate: 30, attendanceReason: 400, auditLog: 730 };

/** Failed invite codes count for minutes (domain/linkAttempts.ts); a day covers any window with room. */
export const LINK_ATTEMPT_DAYS = 1;
/** A console session idle this long is over whatever CONSOLE_IDLE_MINUTES says (its maximum is a day). */
const CONSOLE_IDLE_DAYS = 1;

export interface PurgeReport {
  outboxTexts: number;
  inboundUpdates: number;
  attendanceReasons: number;
  auditRows: number;
  linkAttempts: number;
  /** Console sign-in links spent or expired, and sessions ended. */
  consoleSessions: number;
  /** Kept photos deleted because nothing refers to them any more (when photos are kept). */
  photos?: number;
}

/**
 * Clears or deletes what is older than its period; safe to run again (what is gone stays gone).
 * With `photos`, the photos of feedback go with what refers to them: a photo no item, draft or
 * unsent message refers to is deleted (feedbackPhotos.ts), and one not fetched yet is tried again.
 */
export async function purgeExpired(db: Db, now: Date, days: RetentionDays = DEFAULT_RETENTION_DAYS, photos?: Pick<FeedbackPhotos, "sweep">): Promise<PurgeReport> {
  const before = (period: number) => new Date(now.getTime() - period * MS_PER_DAY);
  const [outboxTexts, inboundUpdates, attendanceReasons, auditRows, linkAttempts, signIns, sessions] = await db.$transaction([
    db.outboxMessage.updateMany({
      where: { status: { in: ["sent", "failed", "unreachable"] }, createdAt: { lt: before(days.outboxText) }, NOT: { text: "" } },
      data: { text: "", buttons: null, attachment: null },
    }),
    db.inboundUpdate.deleteMany({ where: { status: { in: ["done", "failed"] }, receivedAt: { lt: before(days.inboundUpdate) } } }),
    db.attendance.updateMany({ where: { reason: { not: null }, meeting: { scheduledAt: { lt: before(days.attendanceReason) } } }, data: { reason: null } }),
    db.auditLog.deleteMany({ where: { at: { lt: before(days.auditLog) } } }),
    db.linkAttempt.deleteMany({ where: { at: { lt: before(LINK_ATTEMPT_DAYS) } } }),
    db.consoleSignIn.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { usedAt: { not: null } }] } }),
    db.consoleSession.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: before(CONSOLE_IDLE_DAYS) } }] } }),
  ]);
  const report: PurgeReport = {
    outboxTexts: outboxTexts.count, inboundUpdates: inboundUpdates.count, attendanceReasons: attendanceReasons.count,
    auditRows: auditRows.count, linkAttempts: linkAttempts.count, consoleSessions: signIns.count + sessions.count,
    // After the rows above: an emptied outbox row or a handled update no longer holds a photo back.
    ...(photos ? { photos: (await photos.sweep(now)).deleted } : {}),
  };
  await audit(db, now, { actor: { kind: "system" }, action: "delete", subjectType: "Retention", detail: JSON.stringify({ days, ...report }) });
  return report;
}
