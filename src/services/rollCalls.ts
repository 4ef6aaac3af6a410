import { rollCallPhase, type RollCallPhase } from "../domain/attendance.ts";
import { seesAttendanceOf, type ActingMember, type MemberRoles } from "../domain/authorization.ts";
import { DomainError, NotAllowedError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";
import type { AttendanceService, RecordedAnswer, Roster } from "./attendance.ts";

/**
 * The roll call a cell's secretary, deputy and committee members keep: who answered, and an
 * answer recorded for a member (one without a phone, or after the meeting, who really came).
 * Every function checks that the acting member looks after the meeting's cell.
 */
export function createRollCallService(deps: { db: Db; attendance: AttendanceService }) {
  const { db, attendance } = deps;

  /** The meeting, with its cell, when the person looks after that cell. */
  async function meeting(input: { meetingId: number; roles: MemberRoles }) {
    const found = await attendance.meetingById(input.meetingId);
    if (!seesAttendanceOf(input.roles, found.cellId)) throw new NotAllowedError();
    return found;
  }

  /** The cell's meeting whose roll call is open now (attendance.rollCallMeeting); null without a rule. */
  async function current(input: { cellId: number; roles: MemberRoles; now: Date }) {
    if (!seesAttendanceOf(input.roles, input.cellId)) throw new NotAllowedError();
    const cell = await db.organization.findUniqueOrThrow({ where: { id: input.cellId } });
    return { cell, ahead: await attendance.rollCallMeeting(cell, input.now) };
  }

  /** The roster of the meeting, its read logged for the acting member. */
  async function roster(input: { meetingId: number; actor: ActingMember; now: Date }): Promise<Roster> {
    await meeting({ meetingId: input.meetingId, roles: input.actor.roles });
    return attendance.roster(input.meetingId, { kind: "member", memberId: input.actor.memberId }, input.now);
  }

  /**
   * The roster with what recording for others needs: the phase of the roll call and, before the
   * meeting, which members have a chat and which have no phone at all (a call cannot reach them).
   */
  async function proxyChoices(input: { meetingId: number; actor: ActingMember; now: Date }): Promise<{ roster: Roster; phase: RollCallPhase; withChat: Set<number>; withoutPhone: Set<number> }> {
    const found = await roster(input);
    const phase = rollCallPhase(found.startsAt, input.now);
    if (phase !== "before") return { roster: found, phase, withChat: new Set(), withoutPhone: new Set() };
    // The cell's chats and phones, joined in the database: a cell can have thousands of members.
    const cellId = found.meeting.cellId;
    const [identities, phoneless] = await Promise.all([
      db.chatIdentity.findMany({ where: { member: { cellId } }, select: { memberId: true } }),
      db.member.findMany({ where: { cellId, phone: null }, select: { id: true } }),
    ]);
    return { roster: found, phase, withChat: new Set(identities.map((i) => i.memberId)), withoutPhone: new Set(phoneless.map((m) => m.id)) };
  }

  /** A member of the meeting's cell, to record an answer for. */
  async function subject(input: { meetingId: number; memberId: number; roles: MemberRoles }) {
    const found = await meeting(input);
    const member = await db.member.findUnique({ where: { id: input.memberId } });
    if (!member || member.cellId !== found.cellId) throw new DomainError("meeting:notInCell");
    return { meeting: found, member };
  }

  /** Records a member's answer as the cell's officer (attendance.record with source "secretary"). */
  async function record(input: { meetingId: number; memberId: number; answer: RecordedAnswer; actor: ActingMember; now: Date }) {
    await meeting({ meetingId: input.meetingId, roles: input.actor.roles });
    return attendance.record({
      meetingId: input.meetingId, memberId: input.memberId, answer: input.answer, source: "secretary", recordedById: input.actor.memberId, now: input.now,
    });
  }

  return { meeting, current, roster, proxyChoices, subject, record };
}

export type RollCallService = ReturnType<typeof createRollCallService>;
