import { ROLL_CALL_CORRECTION_DAYS } from "../domain/attendance.ts";
import { monthIndex, type MeetingTally, type OverviewWindows } from "../domain/overview.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";

const DAY_MS = 86_400_000;
/** The Julian day of 1 January 1970, 00:00 UTC: SQLite's julianday() to JavaScript's milliseconds. */
const UNIX_EPOCH_JULIAN_DAY = 2440587.5;
/** About 60 bytes each: a province's year of meetings is some 100,000. */
const KEPT_MEETINGS_MAX = 400_000;

const orgsUnder = (path: string) => Prisma.sql`(SELECT o."id" FROM "Organization" AS o WHERE substr(o."path", 1, ${path.length}) = ${path})`;

interface Counts {
  answered: number;
  present: number;
  early: number;
}
interface Kept extends Counts {
  startsAt: number;
}
const NO_ANSWERS: Counts = { answered: 0, present: 0, early: 0 };

/**
 * A year of meetings with their answers summed, for the overview. Summing a province's year reads
 * some 1.5 million answers; but a meeting's answers are final once its roll call has closed (a
 * week after its start nobody may record or change one), so their sums are kept for the life of
 * the process, keyed by the meeting and the start they were summed for (a meeting moved again is
 * summed again). The first report reads every answer once; later ones, any scope, read the
 * answers of the meetings still open. Whether a meeting was held is read fresh every time.
 */
export function createMeetingTallies(deps: { db: Db; maxKept?: number }) {
  const { db } = deps;
  const maxKept = deps.maxKept ?? KEPT_MEETINGS_MAX;
  const kept = new Map<number, Kept>();

  /** Every meeting of the subtree that started in the windows' months (up to now) and was not marked "not held", with its answers. */
  async function tallies(path: string, windows: Pick<OverviewWindows, "months" | "monthsStart" | "monthBounds">, now: Date): Promise<MeetingTally[]> {
    const { ids, cells, held, starts } = await startedMeetings(db, path, windows.monthsStart, now);
    // A sum kept is used only while its roll call is closed at `now` (a report may look at an earlier day).
    const closedBy = now.getTime() - ROLL_CALL_CORRECTION_DAYS * DAY_MS;
    const keptFor = (i: number) => {
      const known = starts[i]! <= closedBy ? kept.get(ids[i]!) : undefined;
      return known?.startsAt === starts[i] ? known : undefined;
    };
    let oldestMissing = Infinity;
    for (let i = 0; i < ids.length; i++) if (!keptFor(i)) oldestMissing = Math.min(oldestMissing, starts[i]!);
    const counted = oldestMissing === Infinity ? new Map<number, Counts>() : await answerCounts(db, path, new Date(oldestMissing), now);
    const tallied: MeetingTally[] = [];
    for (let i = 0; i < ids.length; i++) {
      const month = windows.months[monthIndex(windows.monthBounds, starts[i]!)];
      if (month === undefined) continue;
      let counts: Counts | undefined = keptFor(i);
      if (!counts) {
        counts = counted.get(ids[i]!) ?? NO_ANSWERS;
        if (starts[i]! <= closedBy) keep(ids[i]!, { startsAt: starts[i]!, ...counts });
      }
      tallied.push({ cellId: cells[i]!, month, held: held[i] === 1, answered: counts.answered, present: counts.present, early: counts.early });
    }
    return tallied;
  }

  function keep(id: number, value: Kept) {
    kept.delete(id);
    kept.set(id, value);
    // The oldest kept go first (a Map iterates in insertion order).
    for (const oldest of kept.keys()) {
      if (kept.size <= maxKept) break;
      kept.delete(oldest);
    }
  }

  return { tallies };
}

/**
 * The meetings alone (no answer read), as columns of numbers (a province's year is a hundred
 * thousand meetings: no object or string per meeting): id, cell, held (1 or 0), start in ms.
 */
async function startedMeetings(db: Db, path: string, from: Date, now: Date) {
  const start = Prisma.sql`COALESCE(mt."postponedTo", mt."scheduledAt")`;
  const [row] = await db.$queryRaw<[{ ids: string; cells: string; held: string; starts: string }]>`
    SELECT json_group_array(mt."id") AS "ids", json_group_array(mt."cellId") AS "cells", json_group_array(mt."status" = 'held') AS "held",
      json_group_array(CAST(round((julianday(${start}) - ${UNIX_EPOCH_JULIAN_DAY}) * ${DAY_MS}) AS INTEGER)) AS "starts"
    FROM "Meeting" AS mt
    WHERE mt."cellId" IN ${orgsUnder(path)} AND mt."status" <> 'not_held' AND ${start} >= ${from} AND ${start} <= ${now}`;
  const column = (text: string) => JSON.parse(text) as number[];
  return { ids: column(row.ids), cells: column(row.cells), held: column(row.held), starts: column(row.starts) };
}

/**
 * The answers of the subtree's meetings that started in [from, now]: how many, how many present,
 * how many given before the (moved) start. The meetings are read in id order (`+` keeps SQLite
 * off the cell index), so each one's answers are summed as they come, without sorting them all.
 */
async function answerCounts(db: Db, path: string, from: Date, now: Date): Promise<Map<number, Counts>> {
  const [{ rows }] = await db.$queryRaw<[{ rows: string }]>`
    SELECT json_group_array(json_array(t."id", t."answered", t."present", t."early")) AS "rows" FROM (
      SELECT mt."id" AS "id", COUNT(a."meetingId") AS "answered", TOTAL(a."answer" = 'present') AS "present",
        TOTAL(a."answeredAt" < COALESCE(mt."postponedTo", mt."scheduledAt")) AS "early"
      FROM "Meeting" AS mt JOIN "Attendance" AS a ON a."meetingId" = mt."id"
      WHERE +mt."cellId" IN ${orgsUnder(path)} AND mt."status" <> 'not_held'
        AND COALESCE(mt."postponedTo", mt."scheduledAt") >= ${from} AND COALESCE(mt."postponedTo", mt."scheduledAt") <= ${now}
      GROUP BY mt."id") AS t`;
  return new Map((JSON.parse(rows) as [number, number, number, number][]).map(([id, answered, present, early]) => [id, { answered, present, early }]));
}
