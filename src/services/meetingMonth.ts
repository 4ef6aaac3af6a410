import { addMonths, fromLocal } from "../domain/localTime.ts";
import { meetingStatus, type MeetingStatus } from "../domain/meetingStatus.ts";
import type { Db } from "../storage/database.ts";
import type { MeetingService } from "./meetings.ts";

/** Cells per calendar page: a merged commune has dozens, a province thousands. */
export const CALENDAR_CELLS_PER_PAGE = 40;
/** A stored meeting's regular start lies at most this long before its real start (the postponement limit is at most 31 days). */
const MAX_MOVE_MS = 32 * 86_400_000;

export interface CalendarEntry {
  meetingId: number | null;
  /** The start the rule gives; with the cell, what opens a meeting not stored yet. */
  scheduledAt: Date;
  startsAt: Date;
  place: string | null;
  status: MeetingStatus;
  postponeReason: string | null;
  present: number;
  absent: number;
}

export interface CalendarCell {
  id: number;
  name: string;
  /** Active members: who is expected, before exemptions. */
  members: number;
  entries: CalendarEntry[];
}

export interface CalendarMonth {
  cells: CalendarCell[];
  /** Cells with a meeting this month (after the status filter), over all pages. */
  cellCount: number;
  page: number;
  pageCount: number;
  /** Cells in scope with no meeting rule yet: they have no calendar. */
  withoutRule: { id: number; name: string }[];
}

/**
 * The month's meetings of the subtrees a committee looks after, per cell: when and where, where
 * each stands, and the answers so far (counts only). Planned from the rules as the reminders are,
 * with what is stored (postponements, held or not) laid over them; paged by cell.
 */
export function createMeetingMonthService(deps: { db: Db; meetings: MeetingService }) {
  const { db, meetings } = deps;

  async function month(input: { scopePaths: string[]; year: number; month: number; status?: MeetingStatus; page: number; now: Date }): Promise<CalendarMonth> {
    const from = fromLocal({ year: input.year, month: input.month, day: 1, hour: 0, minute: 0 });
    const to = fromLocal({ ...addMonths(input.year, input.month, 1), day: 1, hour: 0, minute: 0 });
    const roots = input.scopePaths.length ? await db.organization.findMany({ where: { path: { in: input.scopePaths } } }) : [];
    // Two per cell: this month's, and last month's when it was moved into this one.
    const planned = await Promise.all(roots.map((root) => meetings.upcoming(root.code, { from: new Date(from.getTime() - 1), count: 2 })));
    const inMonth = planned.flatMap((p) => p.meetings).filter((m) => m.startsAt.getTime() >= from.getTime() && m.startsAt.getTime() < to.getTime());
    const inSubtrees = { OR: roots.map((root) => ({ path: { startsWith: root.path } })) };
    const stored = roots.length
      ? await db.meeting.findMany({
        where: { cell: inSubtrees, scheduledAt: { gte: new Date(from.getTime() - MAX_MOVE_MS), lt: to } },
        select: { id: true, cellId: true, scheduledAt: true, status: true, postponedTo: true },
      })
      : [];
    const storedByKey = new Map(stored.map((m) => [`${m.cellId}:${m.scheduledAt.getTime()}`, m]));
    const byCell = new Map<number, { name: string; entries: CalendarEntry[] }>();
    for (const m of inMonth) {
      const row = storedByKey.get(`${m.cell.id}:${m.scheduledAt.getTime()}`);
      const status = meetingStatus(row, m.startsAt, input.now);
      if (input.status && status !== input.status) continue;
      const cell = byCell.get(m.cell.id) ?? { name: m.cell.name, entries: [] };
      cell.entries.push({
        meetingId: row?.id ?? null, scheduledAt: m.scheduledAt, startsAt: m.startsAt, place: m.place, status,
        postponeReason: m.postponeReason, present: 0, absent: 0,
      });
      byCell.set(m.cell.id, cell);
    }
    const collator = new Intl.Collator("vi");
    const ordered = [...byCell.entries()].sort(([a, x], [b, y]) => collator.compare(x.name, y.name) || a - b);
    const pageCount = Math.max(1, Math.ceil(ordered.length / CALENDAR_CELLS_PER_PAGE));
    const page = Math.min(Math.max(1, input.page), pageCount);
    const shown = ordered.slice((page - 1) * CALENDAR_CELLS_PER_PAGE, page * CALENDAR_CELLS_PER_PAGE);
    const byStart = (x: CalendarEntry, y: CalendarEntry) => x.startsAt.getTime() - y.startsAt.getTime();
    const cells = await withCounts(shown.map(([id, c]) => ({ id, name: c.name, members: 0, entries: c.entries.sort(byStart) })));
    const withoutRule = planned.flatMap((p) => p.withoutRule.map((c) => ({ id: c.id, name: c.name }))).sort((a, b) => collator.compare(a.name, b.name));
    return { cells, cellCount: ordered.length, page, pageCount, withoutRule };
  }

  /** Members per cell and answers per meeting, for the shown page only: counts, never names. */
  async function withCounts(cells: CalendarCell[]): Promise<CalendarCell[]> {
    if (cells.length === 0) return cells;
    const meetingIds = cells.flatMap((c) => c.entries.map((e) => e.meetingId)).filter((id): id is number => id !== null);
    const [members, answers] = await Promise.all([
      db.member.groupBy({ by: ["cellId"], where: { cellId: { in: cells.map((c) => c.id) }, deactivatedAt: null }, _count: { _all: true } }),
      meetingIds.length ? db.attendance.groupBy({ by: ["meetingId", "answer"], where: { meetingId: { in: meetingIds } }, _count: { _all: true } }) : [],
    ]);
    const memberCount = new Map(members.map((m) => [m.cellId, m._count._all]));
    const answerCount = new Map(answers.map((a) => [`${a.meetingId}:${a.answer}`, a._count._all]));
    return cells.map((cell) => ({
      ...cell,
      members: memberCount.get(cell.id) ?? 0,
      entries: cell.entries.map((e) => e.meetingId === null ? e : {
        ...e, present: answerCount.get(`${e.meetingId}:present`) ?? 0, absent: answerCount.get(`${e.meetingId}:absent`) ?? 0,
      }),
    }));
  }

  return { month };
}

export type MeetingMonthService = ReturnType<typeof createMeetingMonthService>;
