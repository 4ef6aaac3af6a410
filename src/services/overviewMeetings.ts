import { isDomainError } from "../domain/errors.ts";
import { MAX_SHIFT_DAYS, regularMeetingDay } from "../domain/meetingCalendar.ts";
import { meetingOutcome, needsAttention, type MeetingOutcome, type OverviewWindows, type StoredMeeting } from "../domain/overview.ts";
import { meetingStartOn } from "../domain/schedule.ts";
import type { Db } from "../storage/database.ts";
import { rowToRule } from "./meetingRules.ts";
import { loadOrgIndex } from "./orgIndex.ts";

const MS_PER_DAY = 86_400_000;

type CellRow = [number, string, string, string | null, number | null, number | null, number | null, string, number];
type MeetingRow = [number, string, string | null, string | null, string];
/** The columns of a stored rule that rowToRule reads (the row comes as JSON, not as a whole Prisma row). */
type RuleFields = Parameters<typeof rowToRule>[0];

export interface MonthMeetingRow {
  cellId: number;
  cellName: string;
  outcome: MeetingOutcome;
  startsAt: Date | null;
  /** Set when the meeting was moved: the reason given. */
  postponed: { to: Date; reason: string | null } | null;
  attention: boolean;
}

/** The order a committee reads the cells in: what it should act on first. */
const ORDER: Record<MeetingOutcome, number> = { unmarked: 0, not_held: 1, no_rule: 2, upcoming: 3, held: 4 };

/**
 * Each cell's meeting of this month. A cell's stored meeting row (made when reminders or answers
 * needed it) says what happened; a cell without one gets its regular start from its rule and
 * days off, read for just those cells. Everything is read by the subtree's path, as JSON text
 * (a province's 8,000 cells without an object per row).
 */
export async function monthMeetings(db: Db, path: string, windows: OverviewWindows, now: Date, collator: Intl.Collator): Promise<MonthMeetingRow[]> {
  // A meeting shifted off a weekend or holiday may fall a few days into next month.
  const storedUntil = new Date(windows.monthEnd.getTime() + MAX_SHIFT_DAYS * MS_PER_DAY);
  const [[{ cellRows }], [{ meetingRows }]] = await Promise.all([
    db.$queryRaw<[{ cellRows: string }]>`
      SELECT json_group_array(json_array(o."id", o."name", o."path", r."kind", r."dayOfMonth", r."weekday", r."nth", r."time", r."shiftOffDays")) AS "cellRows"
      FROM "Organization" AS o LEFT JOIN "MeetingRule" AS r ON r."cellId" = o."id"
      WHERE substr(o."path", 1, ${path.length}) = ${path} AND o."level" = 'cell'`,
    db.$queryRaw<[{ meetingRows: string }]>`
      SELECT json_group_array(json_array(mt."cellId", mt."scheduledAt", mt."postponedTo", mt."postponeReason", mt."status")
        ORDER BY mt."scheduledAt") AS "meetingRows"
      FROM "Meeting" AS mt
      WHERE mt."cellId" IN (SELECT o."id" FROM "Organization" AS o WHERE substr(o."path", 1, ${path.length}) = ${path})
        AND mt."scheduledAt" >= ${windows.monthStart} AND mt."scheduledAt" < ${storedUntil}`,
  ]);
  const cells = (JSON.parse(cellRows) as CellRow[]).map(([id, name, cellPath, kind, dayOfMonth, weekday, nth, time, shiftOffDays]) => ({
    id, name, path: cellPath, rule: kind === null ? null : { row: { kind, dayOfMonth, weekday, nth, time } as RuleFields, shiftOffDays: shiftOffDays === 1 },
  }));
  const stored = (JSON.parse(meetingRows) as MeetingRow[]).map(([cellId, scheduledAt, postponedTo, postponeReason, status]) => ({
    cellId, scheduledAt: new Date(scheduledAt), postponedTo: postponedTo === null ? null : new Date(postponedTo), postponeReason, status,
  }));
  const inMonth = new Map<number, StoredMeeting>();
  const byStart = new Map<string, StoredMeeting>();
  for (const meeting of stored) {
    byStart.set(`${meeting.cellId}:${meeting.scheduledAt.getTime()}`, meeting);
    if (meeting.scheduledAt < windows.monthEnd) inMonth.set(meeting.cellId, meeting);
  }
  const needRule = cells.filter((cell) => !inMonth.has(cell.id) && cell.rule);
  const index = needRule.length ? await loadOrgIndex(db, needRule) : null;
  const { year, month } = windows.today;

  const rows = cells.map((cell): MonthMeetingRow => {
    let meeting = inMonth.get(cell.id) ?? null;
    let regularStart: Date | null = null;
    if (!meeting && cell.rule && index) {
      try {
        const rule = rowToRule(cell.rule.row);
        regularStart = meetingStartOn(rule, regularMeetingDay(rule, year, month, index.meetingPolicy(cell.id, cell.rule.shiftOffDays)));
        meeting = byStart.get(`${cell.id}:${regularStart.getTime()}`) ?? null;
      } catch (error) {
        // A rule that finds no working day this month (a wrong holiday list): counted as without a rule.
        if (!isDomainError(error)) throw error;
      }
    }
    const { outcome, startsAt } = meetingOutcome(meeting, regularStart, now);
    const postponed = meeting?.postponedTo ? { to: meeting.postponedTo, reason: meeting.postponeReason } : null;
    return { cellId: cell.id, cellName: cell.name, outcome, startsAt, postponed, attention: needsAttention(outcome, postponed !== null) };
  });
  return rows.sort((a, b) => rank(a) - rank(b) || collator.compare(a.cellName, b.cellName) || a.cellId - b.cellId);
}

/** Problems first; a postponed meeting that is still ahead comes just before the plain upcoming ones. */
const rank = (row: MonthMeetingRow) => ORDER[row.outcome] * 2 + (row.postponed && row.outcome === "upcoming" ? 0 : 1);
