import { addDays, addMonths, fromLocal, localDateOf, pad, weekdayOf, type LocalDate } from "./localTime.ts";
import { meetingStatus } from "./meetingStatus.ts";

/**
 * The committee's overview of a subtree: which periods it looks at and how its figures are
 * counted. Pure; the time comes in as an argument and every period is a local (Vietnam) one.
 */
export const ATTENDANCE_MONTHS = 12;
export const FEEDBACK_WEEKS = 12;
export const NOTICE_DAYS = 90;

const MS_PER_DAY = 86_400_000;

export interface OverviewWindows {
  today: LocalDate;
  /** This local month: [start, end). */
  monthStart: Date;
  monthEnd: Date;
  /** "YYYY-MM" of the last ATTENDANCE_MONTHS months, oldest first, this month last. */
  months: string[];
  /** The start of the oldest of those months. */
  monthsStart: Date;
  /** The start of each of those months and the end of the last (13 instants in ms), to place an instant in its month. */
  monthBounds: number[];
  /** The Monday starts of the last FEEDBACK_WEEKS weeks, oldest first, this week last. */
  weeks: LocalDate[];
  weeksStart: Date;
  weeksEnd: Date;
  noticesSince: Date;
}

const startOfDay = (day: LocalDate) => fromLocal({ ...day, hour: 0, minute: 0 });
export const monthKey = (year: number, month: number) => `${year}-${pad(month)}`;

export function overviewWindows(now: Date): OverviewWindows {
  const today = localDateOf(now);
  const next = addMonths(today.year, today.month, 1);
  const months = Array.from({ length: ATTENDANCE_MONTHS }, (_, i) => addMonths(today.year, today.month, i - ATTENDANCE_MONTHS + 1));
  const monday = addDays(today, 1 - weekdayOf(today));
  const weeks = Array.from({ length: FEEDBACK_WEEKS }, (_, i) => addDays(monday, (i - FEEDBACK_WEEKS + 1) * 7));
  return {
    today,
    monthStart: startOfDay({ year: today.year, month: today.month, day: 1 }),
    monthEnd: startOfDay({ ...next, day: 1 }),
    months: months.map((m) => monthKey(m.year, m.month)),
    monthsStart: startOfDay({ ...months[0]!, day: 1 }),
    monthBounds: [...months, next].map((m) => startOfDay({ ...m, day: 1 }).getTime()),
    weeks,
    weeksStart: startOfDay(weeks[0]!),
    weeksEnd: startOfDay(addDays(monday, 7)),
    noticesSince: new Date(now.getTime() - NOTICE_DAYS * MS_PER_DAY),
  };
}

/** The index of the month (of OverviewWindows.months) an instant falls in, or -1 outside them. */
export function monthIndex(bounds: readonly number[], at: number): number {
  if (at < bounds[0]! || at >= bounds[bounds.length - 1]!) return -1;
  let i = 0;
  while (at >= bounds[i + 1]!) i++;
  return i;
}

/** A whole percentage, or null when there is nothing to divide by (shown as "—", never as 0 %). */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((Math.min(part, whole) * 100) / whole) : null;
}

/** What became of a cell's meeting of this month, as the overview counts it. */
export const MEETING_OUTCOMES = ["held", "not_held", "unmarked", "upcoming", "no_rule"] as const;
export type MeetingOutcome = (typeof MEETING_OUTCOMES)[number];

export interface StoredMeeting {
  status: string;
  scheduledAt: Date;
  postponedTo: Date | null;
  postponeReason: string | null;
}

/**
 * A cell's meeting this month, as the meetings calendar reads it (meetingStatus): marked held or
 * not held by its leaders; otherwise not reported once its start (the moved one, when moved) has
 * passed, upcoming before it. A cell with neither a rule nor a stored meeting has only the
 * missing rule to show.
 */
export function meetingOutcome(stored: StoredMeeting | null, regularStart: Date | null, now: Date): { outcome: MeetingOutcome; startsAt: Date | null } {
  const startsAt = stored ? stored.postponedTo ?? stored.scheduledAt : regularStart;
  if (!startsAt) return { outcome: "no_rule", startsAt };
  const status = meetingStatus(stored, startsAt, now);
  const outcome = status === "unreported" ? "unmarked" : status === "planned" || status === "postponed" ? "upcoming" : status;
  return { outcome, startsAt };
}

/** The outcomes a committee should look at (a postponed meeting is looked at too, whatever its outcome). */
export const needsAttention = (outcome: MeetingOutcome, postponed: boolean) =>
  postponed || outcome === "not_held" || outcome === "unmarked" || outcome === "no_rule";

/** One meeting that has started in the period (and was not marked "not held"), with its answers. */
export interface MeetingTally {
  cellId: number;
  /** "YYYY-MM" of its (local) start. */
  month: string;
  held: boolean;
  /** Answers recorded (present or absent). */
  answered: number;
  present: number;
  /** Answers given before the start. */
  early: number;
}

export interface RateFigures {
  meetings: number;
  present: number;
  /** Members expected over those meetings (a member expected at three meetings counts three times). */
  expected: number;
  rate: number | null;
}

export interface AnswerFigures {
  meetings: number;
  early: number;
  expected: number;
  rate: number | null;
}

const emptyRate = (): RateFigures => ({ meetings: 0, present: 0, expected: 0, rate: null });
const emptyAnswers = (): AnswerFigures => ({ meetings: 0, early: 0, expected: 0, rate: null });

/**
 * Attendance and early answers from the meetings' tallies. A meeting expects the cell's members
 * as listed now (active and not exempt today): there is no history of the list, and this is the
 * number the secretary sees on the roster. When more members answered than that (someone left
 * since), the answers are the better count, so a rate never passes 100 %. Attendance counts the
 * meetings marked held; early answers count every meeting that started and was not called off.
 */
export function attendanceFigures(tallies: readonly MeetingTally[], expectedByCell: ReadonlyMap<number, number>, months: readonly string[]) {
  const byMonth = new Map(months.map((m) => [m, emptyRate()]));
  const byCell = new Map<number, RateFigures>();
  const answersByMonth = new Map(months.map((m) => [m, emptyAnswers()]));
  const answersTotal = emptyAnswers();
  const total = emptyRate();
  for (const tally of tallies) {
    const expected = Math.max(expectedByCell.get(tally.cellId) ?? 0, tally.answered);
    const monthAnswers = answersByMonth.get(tally.month);
    if (!monthAnswers) continue;
    for (const figures of [monthAnswers, answersTotal]) {
      figures.meetings += 1;
      figures.early += Math.min(tally.early, expected);
      figures.expected += expected;
    }
    if (!tally.held) continue;
    let cell = byCell.get(tally.cellId);
    if (!cell) byCell.set(tally.cellId, (cell = emptyRate()));
    for (const figures of [byMonth.get(tally.month)!, cell, total]) {
      figures.meetings += 1;
      figures.present += Math.min(tally.present, expected);
      figures.expected += expected;
    }
  }
  const withRates = <T extends RateFigures>(f: T) => ({ ...f, rate: percent(f.present, f.expected) });
  const withAnswerRate = (f: AnswerFigures) => ({ ...f, rate: percent(f.early, f.expected) });
  return {
    byMonth: months.map((month) => ({ month, ...withRates(byMonth.get(month)!) })),
    byCell: new Map([...byCell].map(([cellId, f]) => [cellId, withRates(f)])),
    total: withRates(total),
    answersByMonth: months.map((month) => ({ month, ...withAnswerRate(answersByMonth.get(month)!) })),
    answersTotal: withAnswerRate(answersTotal),
  };
}

/** A count of feedback items in one week (its index among the windows' weeks) with one status and category. */
export interface FeedbackCount {
  week: number;
  status: string;
  category: string;
  count: number;
}

/**
 * Items per week by status and by category, each a row of FEEDBACK_WEEKS counts in the order
 * the lists give; a category outside the list (an older value) is counted under "other".
 */
export function feedbackWeeks(counts: readonly FeedbackCount[], statuses: readonly string[], categories: readonly string[]) {
  const grid = (keys: readonly string[]) => new Map(keys.map((k) => [k, Array.from({ length: FEEDBACK_WEEKS }, () => 0)]));
  const byStatus = grid(statuses);
  const byCategory = grid(categories);
  const perWeek = Array.from({ length: FEEDBACK_WEEKS }, () => 0);
  for (const c of counts) {
    if (!Number.isInteger(c.week) || c.week < 0 || c.week >= FEEDBACK_WEEKS) continue;
    const statusRow = byStatus.get(c.status);
    if (statusRow) statusRow[c.week]! += c.count;
    const categoryRow = byCategory.get(c.category) ?? byCategory.get("other");
    if (categoryRow) categoryRow[c.week]! += c.count;
    perWeek[c.week]! += c.count;
  }
  return { byStatus, byCategory, perWeek, total: perWeek.reduce((a, b) => a + b, 0) };
}
