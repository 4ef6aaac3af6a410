import { ROLL_CALL_CORRECTION_DAYS, rollCallPhase, type AttendanceAnswer } from "../domain/attendance.ts";
import { DomainError } from "../domain/errors.ts";
import { isExemptOn } from "../domain/exemption.ts";
import { toLocal } from "../domain/localTime.ts";
import type { Meeting, Member, Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { audit, auditRead, type Readers } from "./audit.ts";
import type { MeetingService } from "./meetings.ts";

export type RecordedAnswer = Exclude<AttendanceAnswer, "unknown">;
export type AttendanceSource = "button" | "text" | "secretary";

/** A cell's next meeting, stored so answers can point at it. */
export interface MeetingAhead {
  meeting: Meeting;
  cell: Organization;
  startsAt: Date;
}

export interface Roster {
  meeting: Meeting;
  cell: Organization;
  startsAt: Date;
  present: { member: Member; source: string }[];
  absent: { member: Member; reason: string | null; source: string }[];
  pending: Member[];
  /** Exempt from activities on the meeting day: not expected. */
  exempt: Member[];
}

export const REASON_MAX_LENGTH = 500;

export const startOf = (meeting: Meeting) => meeting.postponedTo ?? meeting.scheduledAt;

/**
 * Attendance answers for a cell's meetings. A meeting row is created the first time anyone needs
 * it (an answer, a roster), keyed by the cell and the start its rule gives, so it is the same row
 * a postponement moves. Answers can change until the meeting starts.
 */
export function createAttendanceService(deps: { db: Db; meetings: MeetingService }) {
  const { db, meetings } = deps;

  async function nextMeeting(cell: Organization, now: Date): Promise<MeetingAhead | null> {
    const { meetings: ahead } = await meetings.upcoming(cell.code, { from: now, count: 1 });
    const next = ahead[0];
    if (!next) return null;
    const meeting = await db.meeting.upsert({
      where: { cellId_scheduledAt: { cellId: cell.id, scheduledAt: next.scheduledAt } },
      create: { cellId: cell.id, scheduledAt: next.scheduledAt, place: next.place },
      update: {},
    });
    return { meeting, cell, startsAt: startOf(meeting) };
  }

  /** The next meeting of a cell given by id, with the cell (see nextMeeting). */
  async function nextMeetingOfCell(cellId: number, now: Date): Promise<{ cell: Organization; ahead: MeetingAhead | null }> {
    const cell = await db.organization.findUniqueOrThrow({ where: { id: cellId } });
    return { cell, ahead: await nextMeeting(cell, now) };
  }

  /**
   * The meeting whose roll call the cell's officers work on: the latest one that started within
   * the correction window (its record is not final yet), else the next one.
   */
  async function rollCallMeeting(cell: Organization, now: Date): Promise<MeetingAhead | null> {
    const since = new Date(now.getTime() - ROLL_CALL_CORRECTION_DAYS * 86_400_000);
    const { meetings: found } = await meetings.upcoming(cell.code, { from: since, count: 3 });
    const recent = found.filter((m) => m.startsAt.getTime() <= now.getTime()).at(-1);
    if (!recent) return nextMeeting(cell, now);
    const meeting = await db.meeting.upsert({
      where: { cellId_scheduledAt: { cellId: cell.id, scheduledAt: recent.scheduledAt } },
      create: { cellId: cell.id, scheduledAt: recent.scheduledAt, place: recent.place },
      update: {},
    });
    return { meeting, cell, startsAt: startOf(meeting) };
  }

  async function meetingById(meetingId: number) {
    const meeting = await db.meeting.findUnique({ where: { id: meetingId }, include: { cell: true } });
    if (!meeting) throw new DomainError("meeting:notFound");
    return meeting;
  }

  /**
   * Records (or changes) one member's answer. A member's own answer is refused once the meeting
   * has started; one recorded by the cell's officers (source "secretary") is taken until the roll
   * call closes, so the record shows who really came — but not for themselves: an officer's own
   * attendance after the start is another officer's to record. Every record after the start is
   * in the audit log with what it replaced. An absence an officer records without a reason keeps
   * the reason the member gave.
   */
  async function record(input: { meetingId: number; memberId: number; answer: RecordedAnswer; reason?: string | null; source: AttendanceSource; recordedById?: number; now: Date }) {
    const meeting = await meetingById(input.meetingId);
    const startsAt = startOf(meeting);
    const phase = rollCallPhase(startsAt, input.now);
    const afterStart = phase !== "before";
    if (afterStart) {
      if (input.source !== "secretary") throw new DomainError("meeting:alreadyStarted");
      if (phase === "closed") throw new DomainError("meeting:rollCallClosed", { days: String(ROLL_CALL_CORRECTION_DAYS) });
      if (input.recordedById === input.memberId) throw new DomainError("meeting:ownRollCall");
    }
    const member = await db.member.findUnique({ where: { id: input.memberId } });
    if (!member || member.cellId !== meeting.cellId || member.deactivatedAt) throw new DomainError("meeting:notInCell");
    const given = input.reason?.trim().slice(0, REASON_MAX_LENGTH) || null;
    // The earlier answer matters for the audit after the start and for an officer's absence without a reason.
    const earlier = afterStart || input.source === "secretary" ? await answerOf(meeting.id, member.id) : null;
    const kept = input.source === "secretary" && earlier?.answer === "absent" ? earlier.reason : null;
    const reason = input.answer === "absent" ? given ?? kept : null;
    const fields = { answer: input.answer, reason, source: input.source, recordedById: input.recordedById ?? null, answeredAt: input.now };
    const row = await db.$transaction(async (tx) => {
      const saved = await tx.attendance.upsert({
        where: { meetingId_memberId: { meetingId: meeting.id, memberId: member.id } },
        create: { meetingId: meeting.id, memberId: member.id, ...fields },
        update: fields,
      });
      if (afterStart) {
        await audit(tx, input.now, {
          actor: { kind: "member", ...(input.recordedById === undefined ? {} : { memberId: input.recordedById }) },
          action: earlier ? "update" : "create",
          subjectType: "Attendance",
          subjectId: saved.id,
          detail: `${earlier?.answer ?? "none"} -> ${input.answer} (after the meeting started)`,
        });
      }
      return saved;
    });
    return { attendance: row, meeting, member, startsAt: startOf(meeting) };
  }

  /** Adds a reason to an absence already recorded. */
  async function setReason(input: { meetingId: number; memberId: number; reason: string; now: Date }) {
    const meeting = await meetingById(input.meetingId);
    if (input.now.getTime() >= startOf(meeting).getTime()) throw new DomainError("meeting:alreadyStarted");
    const updated = await db.attendance.updateMany({
      where: { meetingId: meeting.id, memberId: input.memberId, answer: "absent" },
      data: { reason: input.reason.trim().slice(0, REASON_MAX_LENGTH), answeredAt: input.now },
    });
    return updated.count === 1;
  }

  async function answerOf(meetingId: number, memberId: number) {
    return db.attendance.findUnique({ where: { meetingId_memberId: { meetingId, memberId } } });
  }

  /** Who is coming, who is not (and why), who has not answered; exempt members apart. Each read is logged for its readers. */
  async function roster(meetingId: number, readers: Readers, now: Date): Promise<Roster> {
    const meeting = await meetingById(meetingId);
    const [members, answers] = await Promise.all([
      db.member.findMany({ where: { cellId: meeting.cellId, OR: [{ deactivatedAt: null }, { attendance: { some: { meetingId } } }] }, orderBy: [{ searchName: "asc" }, { id: "asc" }] }),
      db.attendance.findMany({ where: { meetingId } }),
    ]);
    const byMember = new Map(answers.map((a) => [a.memberId, a]));
    const day = toLocal(startOf(meeting));
    const roster: Roster = { meeting, cell: meeting.cell, startsAt: startOf(meeting), present: [], absent: [], pending: [], exempt: [] };
    for (const member of members) {
      const answer = byMember.get(member.id);
      if (answer?.answer === "present") roster.present.push({ member, source: answer.source });
      else if (answer?.answer === "absent") roster.absent.push({ member, reason: answer.reason, source: answer.source });
      else if (isExemptOn(member, day)) roster.exempt.push(member);
      else roster.pending.push(member);
    }
    await auditRead(db, now, readers, { subjectType: "Roster", subjectId: meetingId, detail: rosterCounts(roster) });
    return roster;
  }

  return { nextMeeting, nextMeetingOfCell, rollCallMeeting, meetingById, record, setReason, answerOf, roster };
}

/** What a roster read showed, in counts only: never a name or a reason. */
function rosterCounts(r: Roster): string {
  const reasons = r.absent.filter((a) => a.reason).length;
  return `present ${r.present.length}, absent ${r.absent.length} (${reasons} with a reason), not answered ${r.pending.length}, exempt ${r.exempt.length}`;
}

export type AttendanceService = ReturnType<typeof createAttendanceService>;
