import type { DbClient } from "../storage/database.ts";

export type AuditAction = "read" | "create" | "update" | "delete" | "import" | "export" | "link";

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
  await db.auditLog.create({
    data: {
      actorKind: entry.actor.kind,
      actorId: entry.actor.memberId ?? null,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
      detail: entry.detail ?? null,
      at,
    },
  });
}
