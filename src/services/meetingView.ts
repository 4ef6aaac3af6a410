import { rollCallClosesAt, rollCallPhase, type RollCallPhase } from "../domain/attendance.ts";
import { isDomainError, NotFoundError } from "../domain/errors.ts";
import { formatIsoDate, fromLocal, localDateOf, parseIsoDate, type LocalDate } from "../domain/localTime.ts";
import { meetingStatus, type MeetingStatus } from "../domain/meetingStatus.ts";
import { latestAllowedDay } from "../domain/postponement.ts";
import type { Meeting, Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { startOf, type AttendanceService, type Roster } from "./attendance.ts";
import { cellInScope, MEETING_NOT_FOUND, meetingInScope, type MeetingViewer } from "./meetingScope.ts";
import type { MeetingService } from "./meetings.ts";
import type { PostponementService } from "./postponements.ts";

/** Whether the meeting may still be moved, and to which days (those the rule allows, from now). */
export interface PostponeWindow {
  open: boolean;
  maxDays: number;
  /** The last day it may move to (the regular day plus the limit in force). */
  latestDay: LocalDate;
}

export interface MeetingDetail {
  meeting: Meeting;
  cell: Organization;
  startsAt: Date;
  status: MeetingStatus;
  roster: Roster;
  phase: RollCallPhase;
  /** When the roll call becomes final: corrections are taken from the start until then. */
  rollCallClosesAt: Date;
  canManage: boolean;
  /** Asked only of those who may change the meeting. */
  postpone: PostponeWindow | null;
  /** The leaders may say whether it was held: it has started and is not marked held. */
  mayAnswerHeld: boolean;
}

/**
 * One meeting as the console shows it: its roll call (the same roster as /diemdanh, its read
 * logged for the viewer), where it stands and, for the cell's leaders, what they may still do.
 */
export function createMeetingViewService(deps: { db: Db; meetings: MeetingService; attendance: AttendanceService; postponements: PostponementService }) {
  const { db, meetings, attendance, postponements } = deps;

  async function detail(input: { meetingId: number; viewer: MeetingViewer; now: Date }): Promise<MeetingDetail> {
    const { viewer, now } = input;
    const meeting = await meetingInScope(db, input.meetingId, viewer, "see");
    const roster = await attendance.roster(meeting.id, { kind: "console", memberId: viewer.memberId }, now);
    const startsAt = startOf(meeting);
    const canManage = viewer.may(meeting.cell.path, "manage");
    return {
      meeting,
      cell: meeting.cell,
      startsAt,
      status: meetingStatus(meeting, startsAt, now),
      roster,
      phase: rollCallPhase(startsAt, now),
      rollCallClosesAt: rollCallClosesAt(startsAt),
      canManage,
      postpone: canManage ? await postponeWindow(meeting, viewer, now) : null,
      mayAnswerHeld: canManage && meeting.status !== "held" && startsAt.getTime() <= now.getTime(),
    };
  }

  /** The window /doilich would offer now (postponements.open), when it is this meeting's. */
  async function postponeWindow(meeting: Meeting & { cell: Organization }, viewer: MeetingViewer, now: Date): Promise<PostponeWindow | null> {
    try {
      const open = await postponements.open({ cellId: meeting.cellId, roles: viewer.roles, now });
      const isThis = open.regularStart.getTime() === meeting.scheduledAt.getTime();
      return {
        open: isThis && open.choices.length > 0 && meeting.status !== "held",
        maxDays: open.maxPostponeDays,
        latestDay: latestAllowedDay(meeting.scheduledAt, open.maxPostponeDays),
      };
    } catch (error) {
      // No rule any more, or no leader's role on this cell: nothing to offer.
      if (isDomainError(error)) return null;
      throw error;
    }
  }

  /**
   * The stored meeting of a cell's regular day, made the first time someone opens it (as a
   * reminder or an answer would), so the calendar can link meetings nobody has touched yet.
   */
  async function open(input: { cellId: number; date: string; viewer: MeetingViewer }): Promise<number> {
    const cell = await cellInScope(db, input.cellId, input.viewer, "see");
    const day = parseIsoDate(input.date);
    if (!day) throw new NotFoundError(MEETING_NOT_FOUND);
    const dayStart = fromLocal({ ...day, hour: 0, minute: 0 });
    const { meetings: found } = await meetings.upcoming(cell.code, { from: new Date(dayStart.getTime() - 1), count: 2 });
    const regular = found.find((m) => m.cell.id === cell.id && formatIsoDate(localDateOf(m.scheduledAt)) === formatIsoDate(day));
    if (!regular) throw new NotFoundError(MEETING_NOT_FOUND);
    const row = await db.meeting.upsert({
      where: { cellId_scheduledAt: { cellId: cell.id, scheduledAt: regular.scheduledAt } },
      create: { cellId: cell.id, scheduledAt: regular.scheduledAt, place: regular.place },
      update: {},
    });
    return row.id;
  }

  return { detail, open };
}

export type MeetingViewService = ReturnType<typeof createMeetingViewService>;
