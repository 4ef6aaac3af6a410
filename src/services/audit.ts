import type { DbClient } from "../storage/database.ts";

export const AUDIT_ACTIONS = ["read", "create", "update", "delete", "import", "export", "link"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface Actor {
  /** "cli" | "system" | "member" | a channel name */
  kind: string;
  memberId?: number;
}

export const CLI_ACTOR: Actor = { kind: "cli" };

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  subjectType: string;
  subjectId?: string | number;
  detail?: string;
}

/** Appends who read or changed personal data. Pass the transaction client to keep it atomic. */
export async function audit(db: DbClient, at: Date, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({ data: row(at, entry) });
}

/**
 * Who a read of personal data is for: the person who asked, or every member a job sent it to.
 * A job's message is a disclosure nobody asked for: each recipient is logged as actorKind "system"
 * with the recipient as actorId, so "what has this member seen" finds pushed rosters too.
 */
export type Readers = Actor | readonly Actor[];

/** The members a job sends personal data to, once each, as readers of it. */
export function pushedTo(memberIds: Iterable<number | null | undefined>): Actor[] {
  const ids = new Set([...memberIds].filter((id): id is number => typeof id === "number"));
  return [...ids].map((memberId) => ({ kind: "system", memberId }));
}

/**
 * Logs one read per reader. The detail holds ids and counts, never the data read (no names, no
 * reasons, no texts). Called before the data is returned or queued: when the row cannot be
 * written, the read fails with it, so nothing personal is shown that the log does not know of.
 */
export async function auditRead(db: DbClient, at: Date, readers: Readers, subject: Omit<AuditEntry, "actor" | "action">): Promise<void> {
  const actors: readonly Actor[] = Array.isArray(readers) ? readers : [readers as Actor];
  if (actors.length === 0) return;
  if (actors.length === 1) return audit(db, at, { ...subject, actor: actors[0]!, action: "read" });
  await db.auditLog.createMany({ data: actors.map((actor) => row(at, { ...subject, actor, action: "read" })) });
}

function row(at: Date, entry: AuditEntry) {
  return {
    actorKind: entry.actor.kind,
    actorId: entry.actor.memberId ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
    detail: entry.detail ?? null,
    at,
  };
}
