import { isExemptOn } from "../domain/exemption.ts";
import { CATEGORIES, FEEDBACK_STATUSES } from "../domain/feedback.ts";
import { MEETING_OUTCOMES, attendanceFigures, feedbackWeeks, overviewWindows, percent, type MeetingOutcome, type RateFigures } from "../domain/overview.ts";
import type { Db } from "../storage/database.ts";
import { monthMeetings } from "./overviewMeetings.ts";
import { OVERVIEW_CHANNELS, feedbackCounts, memberCounts, noticeCounts, overdueCount, reachCounts } from "./overviewQueries.ts";
import { createMeetingTallies } from "./overviewTallies.ts";

export interface OverviewOrganization {
  id: number;
  name: string;
  level: string;
  path: string;
}

/**
 * The committee's overview of one subtree: this month's meetings, a year of attendance and early
 * answers, twelve weeks of feedback, ninety days of notices and how members can be reached.
 * Counts only, never a person: nothing here is a read of personal data. Built from a handful of
 * grouped statements whatever the subtree's size; the answers of closed meetings are summed once
 * per process (overviewTallies.ts).
 */
export function createOverviewReport(deps: { db: Db; collator?: Intl.Collator }) {
  const { db } = deps;
  const collator = deps.collator ?? new Intl.Collator("vi");
  const meetingTallies = createMeetingTallies({ db });

  /** An organization the overview may be asked about, by id (the console checks the viewer's scope on its path). */
  async function organization(id: number): Promise<OverviewOrganization | null> {
    return db.organization.findUnique({ where: { id }, select: { id: true, name: true, level: true, path: true } });
  }

  async function report(input: { path: string; now: Date }) {
    const { path, now } = input;
    const windows = overviewWindows(now);
    const [meetings, members, reach, tallies, feedback, overdue, notices] = await Promise.all([
      monthMeetings(db, path, windows, now, collator),
      memberCounts(db, path),
      reachCounts(db, path),
      meetingTallies.tallies(path, windows, now),
      feedbackCounts(db, path, windows.weeksStart, windows.weeksEnd),
      overdueCount(db, path, now),
      noticeCounts(db, path, windows.noticesSince),
    ]);

    const expected = new Map(members.cells.map((c) => [c.cellId, c.active]));
    for (const member of members.exempted) {
      if (isExemptOn(member, windows.today)) expected.set(member.cellId, (expected.get(member.cellId) ?? 1) - 1);
    }
    const attendance = attendanceFigures(tallies, expected, windows.months);
    const emptyRate: RateFigures = { meetings: 0, present: 0, expected: 0, rate: null };
    // Cells with no meeting marked held come first (nothing to show is worth a look), then the lowest rates.
    const byCell = meetings
      .map((m) => ({ cellId: m.cellId, cellName: m.cellName, ...(attendance.byCell.get(m.cellId) ?? emptyRate) }))
      .sort((a, b) => (a.rate ?? -1) - (b.rate ?? -1) || collator.compare(a.cellName, b.cellName) || a.cellId - b.cellId);

    const counts = Object.fromEntries(MEETING_OUTCOMES.map((o) => [o, 0])) as Record<MeetingOutcome, number>;
    for (const row of meetings) counts[row.outcome] += 1;
    const memberTotal = members.cells.reduce((sum, c) => sum + c.active, 0);

    return {
      windows,
      cellCount: meetings.length,
      meetings: { rows: meetings, counts, postponed: meetings.filter((m) => m.postponed).length, attention: meetings.filter((m) => m.attention) },
      attendance: { byMonth: attendance.byMonth, total: attendance.total, byCell },
      answers: { byMonth: attendance.answersByMonth, total: attendance.answersTotal, thisMonth: attendance.answersByMonth.at(-1)! },
      feedback: { ...feedbackWeeks(feedback, FEEDBACK_STATUSES, CATEGORIES), overdue },
      notices: { ...notices, rate: percent(notices.acknowledged, notices.recipients) },
      reach: {
        members: memberTotal,
        byChannel: OVERVIEW_CHANNELS.map((channel, i) => ({ channel, members: reach.byChannel[i] ?? 0 })),
        noChat: members.cells.reduce((sum, c) => sum + c.noChat, 0),
        unreachable: reach.unreachable,
      },
    };
  }

  return { organization, report };
}

export type OverviewReportService = ReturnType<typeof createOverviewReport>;
export type OverviewReport = Awaited<ReturnType<OverviewReportService["report"]>>;
