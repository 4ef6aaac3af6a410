import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor, type AuditAction } from "./audit.ts";

/** At most this many rows per listing: the log of a province grows by thousands a day. */
export const AUDIT_LIST_MAX = 1000;

/** Which rows to list; every field narrows, none given lists the newest rows. */
export interface AuditFilter {
  /** The member who read or changed (or, with kind "system", was sent the data). */
  actorId?: number;
  /** "cli", "system", "member", "web", ... */
  actorKind?: string;
  action?: AuditAction;
  subjectType?: string;
  subjectId?: string;
  /** From this instant on (inclusive). */
  since?: Date;
  /** Before this instant (exclusive). */
  until?: Date;
  limit: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: { kind: string; id: number | null; name: string | null };
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail: string | null;
}

/**
 * The audit log, newest first, with each acting member's name. Reading the log is logged too:
 * one row per listing, naming the filters (ids, never a phone number), written before the rows
 * are returned and not part of them.
 */
export async function listAuditLog(db: Db, filter: AuditFilter, now: Date, reader: Actor): Promise<AuditRow[]> {
  const where: Prisma.AuditLogWhereInput = {
    ...(filter.actorId !== undefined ? { actorId: filter.actorId } : {}),
    ...(filter.actorKind !== undefined ? { actorKind: filter.actorKind } : {}),
    ...(filter.action !== undefined ? { action: filter.action } : {}),
    ...(filter.subjectType !== undefined ? { subjectType: filter.subjectType } : {}),
    ...(filter.subjectId !== undefined ? { subjectId: filter.subjectId } : {}),
    ...(filter.since || filter.until ? { at: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
  };
  const rows = await db.auditLog.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: Math.min(filter.limit, AUDIT_LIST_MAX) });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is number => id !== null))];
  const names = new Map((await db.member.findMany({ where: { id: { in: actorIds } }, select: { id: true, fullName: true } })).map((m) => [m.id, m.fullName]));
  await audit(db, now, { actor: reader, action: "read", subjectType: "AuditLog", detail: `${rows.length} rows; ${describe(filter)}` });
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: { kind: r.actorKind, id: r.actorId, name: r.actorId === null ? null : names.get(r.actorId) ?? null },
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    detail: r.detail,
  }));
}

/** The filters as the log keeps them: "actor=#12 action=read since=2026-12-01T00:00:00.000Z limit=50". */
function describe(filter: AuditFilter): string {
  const parts = [
    filter.actorId !== undefined ? `actor=#${filter.actorId}` : "",
    filter.actorKind !== undefined ? `actorKind=${filter.actorKind}` : "",
    filter.action !== undefined ? `action=${filter.action}` : "",
    filter.subjectType !== undefined ? `subject=${filter.subjectType}${filter.subjectId !== undefined ? `:${filter.subjectId}` : ""}` : "",
    filter.since ? `since=${filter.since.toISOString()}` : "",
    filter.until ? `until=${filter.until.toISOString()}` : "",
    `limit=${Math.min(filter.limit, AUDIT_LIST_MAX)}`,
  ];
  return parts.filter(Boolean).join(" ");
}
