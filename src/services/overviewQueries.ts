import { SETTLED_STATUSES } from "../domain/feedback.ts";
import { pathIds } from "../domain/organization.ts";
import type { FeedbackCount } from "../domain/overview.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";

/**
 * The overview's grouped reads. Each names its subtree by the root's path, joined in the database
 * (`orgsUnder`), so a province of thousands of cells and a hundred thousand members binds a
 * handful of values per statement. Long results come back as one JSON text (json_group_array)
 * instead of a row object each; counts come back from SQLite as bigints or floats, made numbers here.
 * Where SQLite's planner, without statistics, would scan a large table first, the join order is
 * fixed with CROSS JOIN or a `+column` (measured with bench/consoleOverview.ts).
 */
const orgsUnder = (path: string) => Prisma.sql`(SELECT o."id" FROM "Organization" AS o WHERE substr(o."path", 1, ${path.length}) = ${path})`;
const n = (value: unknown) => Number(value ?? 0);
/** The channels a member can link, in the order the overview lists them. */
export const OVERVIEW_CHANNELS = ["telegram", "zalo_bot", "zalo_oa", "web"] as const;

export interface CellMembers {
  cellId: number;
  active: number;
  /** Active members with no chat linked at all. */
  noChat: number;
}

export interface Exempted {
  cellId: number;
  exemption: string;
  exemptionFrom: string | null;
  exemptionUntil: string | null;
}

/** Per cell, the active members and those with no chat linked; and the exempt ones, whose periods the domain judges. */
export async function memberCounts(db: Db, path: string): Promise<{ cells: CellMembers[]; exempted: Exempted[] }> {
  const [[{ rows }], [{ exempt }]] = await Promise.all([
    db.$queryRaw<[{ rows: string }]>`
      SELECT json_group_array(json_array(t."cellId", t."active", t."noChat")) AS "rows" FROM (
        SELECT m."cellId" AS "cellId", COUNT(*) AS "active", TOTAL(NOT EXISTS (SELECT 1 FROM "ChatIdentity" AS i WHERE i."memberId" = m."id")) AS "noChat"
        FROM "Member" AS m
        WHERE m."cellId" IN ${orgsUnder(path)} AND m."deactivatedAt" IS NULL
        GROUP BY m."cellId") AS t`,
    // Few members are exempt: their periods are read and judged by the domain's own rule.
    db.$queryRaw<[{ exempt: string }]>`
      SELECT json_group_array(json_array(m."cellId", m."exemption", m."exemptionFrom", m."exemptionUntil")) AS "exempt"
      FROM "Member" AS m
      WHERE m."cellId" IN ${orgsUnder(path)} AND m."deactivatedAt" IS NULL AND m."exemption" <> 'none'`,
  ]);
  return {
    cells: (JSON.parse(rows) as [number, number, number][]).map(([cellId, active, noChat]) => ({ cellId, active, noChat: n(noChat) })),
    exempted: (JSON.parse(exempt) as [number, string, string | null, string | null][]).map(([cellId, exemption, exemptionFrom, exemptionUntil]) => ({
      cellId, exemption, exemptionFrom, exemptionUntil,
    })),
  };
}

/**
 * How the subtree's active members can be reached, in one pass over their chats: per channel,
 * the members with a reachable chat there (each counted at their first such chat, so a member
 * with two counts once), and the members whose every linked chat is unreachable (counted at their first).
 */
export async function reachCounts(db: Db, path: string): Promise<{ byChannel: number[]; unreachable: number }> {
  const firstOnChannel = Prisma.sql`NOT EXISTS (SELECT 1 FROM "ChatIdentity" AS e
    WHERE e."memberId" = i."memberId" AND e."channel" = i."channel" AND e."reachable" AND e."id" < i."id")`;
  const channels = OVERVIEW_CHANNELS.map((channel, k) =>
    Prisma.sql`TOTAL(i."reachable" AND i."channel" = ${channel} AND ${firstOnChannel}) AS ${Prisma.raw(`"c${k}"`)}`);
  const [row] = await db.$queryRaw<[Record<string, number>]>`
    SELECT ${Prisma.join(channels)},
      TOTAL(NOT i."reachable" AND NOT EXISTS (SELECT 1 FROM "ChatIdentity" AS e
        WHERE e."memberId" = i."memberId" AND (e."reachable" OR e."id" < i."id"))) AS "unreachable"
    FROM "ChatIdentity" AS i CROSS JOIN "Member" AS m ON m."id" = i."memberId"
    WHERE +m."cellId" IN ${orgsUnder(path)} AND m."deactivatedAt" IS NULL`;
  return { byChannel: OVERVIEW_CHANNELS.map((_, k) => n(row[`c${k}`])), unreachable: n(row.unreachable) };
}

/** Feedback items of the subtree created in [from, to), counted by week (7-day steps from `from`), status and category. */
export async function feedbackCounts(db: Db, path: string, from: Date, to: Date): Promise<FeedbackCount[]> {
  const [{ rows }] = await db.$queryRaw<[{ rows: string }]>`
    SELECT json_group_array(json_array(t."week", t."status", t."category", t."count")) AS "rows" FROM (
      SELECT CAST((julianday(f."createdAt") - julianday(${from})) / 7 AS INTEGER) AS "week",
        f."status" AS "status", f."category" AS "category", COUNT(*) AS "count"
      FROM "Feedback" AS f
      WHERE f."cellId" IN ${orgsUnder(path)} AND f."createdAt" >= ${from} AND f."createdAt" < ${to}
      GROUP BY 1, 2, 3) AS t`;
  return (JSON.parse(rows) as [number, string, string, number][]).map(([week, status, category, count]) => ({ week, status, category, count }));
}

/** Items of the subtree still owed an answer after their due time (the rule of isOverdue, counted in the database). */
export async function overdueCount(db: Db, path: string, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<[{ overdue: bigint }]>`
    SELECT COUNT(*) AS "overdue" FROM "Feedback" AS f
    WHERE f."cellId" IN ${orgsUnder(path)} AND f."status" NOT IN (${Prisma.join([...SETTLED_STATUSES])})
      AND f."dueAt" IS NOT NULL AND f."dueAt" < ${now}`;
  return n(row.overdue);
}

type NoticeRow = { notices: bigint; recipients: bigint; reached: number; acknowledged: number };

/**
 * Notices created since `since` as the subtree's members received them: notices, recipients,
 * reached by a chat, acknowledged. A notice sent inside the subtree went to its members only, so
 * its recipients are counted without looking at them; one sent from above (the province's, seen
 * from a commune) is counted for the subtree's members alone.
 */
export async function noticeCounts(db: Db, path: string, since: Date) {
  const above = pathIds(path).slice(0, -1);
  const figures = (row: NoticeRow | undefined) =>
    ({ notices: n(row?.notices), recipients: n(row?.recipients), reached: n(row?.reached), acknowledged: n(row?.acknowledged) });
  const [[inside], [fromAbove]] = await Promise.all([
    db.$queryRaw<[NoticeRow]>`
      SELECT COUNT(DISTINCT nt."id") AS "notices", COUNT(*) AS "recipients",
        TOTAL(d."status" = 'queued') AS "reached", TOTAL(d."acknowledgedAt" IS NOT NULL) AS "acknowledged"
      FROM "Notice" AS nt CROSS JOIN "NoticeDelivery" AS d ON d."noticeId" = nt."id"
      WHERE nt."createdAt" >= ${since} AND nt."organizationId" IN ${orgsUnder(path)}`,
    above.length === 0 ? Promise.resolve([undefined] as const) : db.$queryRaw<[NoticeRow]>`
      SELECT COUNT(DISTINCT nt."id") AS "notices", COUNT(*) AS "recipients",
        TOTAL(d."status" = 'queued') AS "reached", TOTAL(d."acknowledgedAt" IS NOT NULL) AS "acknowledged"
      FROM "Notice" AS nt CROSS JOIN "Member" AS m CROSS JOIN "NoticeDelivery" AS d ON d."noticeId" = nt."id" AND d."memberId" = m."id"
      WHERE nt."createdAt" >= ${since} AND nt."organizationId" IN (${Prisma.join(above)}) AND m."cellId" IN ${orgsUnder(path)}`,
  ]);
  const a = figures(inside);
  const b = figures(fromAbove);
  return {
    notices: a.notices + b.notices, recipients: a.recipients + b.recipients,
    reached: a.reached + b.reached, acknowledged: a.acknowledged + b.acknowledged,
  };
}
