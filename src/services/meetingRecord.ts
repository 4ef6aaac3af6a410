import { rollCallPhase } from "../domain/attendance.ts";
import { DomainError } from "../domain/errors.ts";
import { formatDisplayDateTime, fromLocal, parseIsoDate } from "../domain/localTime.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { startOf, type AttendanceService, type RecordedAnswer } from "./attendance.ts";
import type { MeetingHeldService } from "./meetingHeld.ts";
import { meetingInScope, type MeetingViewer } from "./meetingScope.ts";
import type { PostponementService } from "./postponements.ts";

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** What the console did with "held" / "not held". */
export type HeldAnswer =
  | { kind: "held" | "alreadyHeld" | "notHeld" }
  /** Not held, and it may still be moved: nothing is recorded, the postponement form is the way. */
  | { kind: "mayPostpone" };

const consoleActor = (viewer: MeetingViewer): Actor => ({ kind: "console", memberId: viewer.memberId });

/**
 * What the cell's secretary or deputy changes about a meeting from the console, through the same
 * use cases as the chat: the roll call's corrections (attendance.record, as /diemdanh), "was it
 * held?" (meetingHeld, as the after-meeting question) and the postponement (postponements, as
 * /doilich, with its limit, its reason and the superior committee told). Each change is logged.
 */
export function createMeetingRecordService(deps: {
  db: Db; attendance: AttendanceService; meetingHeld: MeetingHeldService; postponements: PostponementService;
}) {
  const { db, attendance, meetingHeld, postponements } = deps;

  /**
   * Records who came, from the start until the roll call is final. Before the start members
   * answer for themselves; after the window the record stands (attendance.record refuses it
   * with the chat's sentence). The attendance service logs the change with what it replaced.
   */
  async function correct(input: { meetingId: number; memberId: number; answer: RecordedAnswer; reason?: string; viewer: MeetingViewer; now: Date }) {
    const meeting = await meetingInScope(db, input.meetingId, input.viewer, "manage");
    const startsAt = startOf(meeting);
    if (rollCallPhase(startsAt, input.now) === "before") {
      throw new DomainError("consoleMeetings:correctionNotOpen", { when: formatDisplayDateTime(startsAt) });
    }
    return attendance.record({
      meetingId: meeting.id, memberId: input.memberId, answer: input.answer, reason: input.reason ?? null,
      source: "secretary", recordedById: input.viewer.memberId, now: input.now,
    });
  }

  /**
   * "Held" marks it (meetingHeld.answer). "Not held" is recorded only once the meeting can no
   * longer be moved; while it can, the leader is pointed to the postponement instead.
   */
  async function answerHeld(input: { meetingId: number; held: boolean; viewer: MeetingViewer; now: Date }): Promise<HeldAnswer> {
    const { viewer, now } = input;
    const meeting = await meetingInScope(db, input.meetingId, viewer, "manage");
    const { outcome } = await meetingHeld.answer({ meetingId: meeting.id, held: input.held, roles: viewer.roles, now });
    switch (outcome.kind) {
      case "notStarted":
        throw new DomainError("consoleMeetings:notStarted", { when: formatDisplayDateTime(startOf(meeting)) });
      case "alreadyHeld":
        return { kind: "alreadyHeld" };
      case "held":
        await audit(db, now, { actor: consoleActor(viewer), action: "update", subjectType: "Meeting", subjectId: meeting.id, detail: "marked held" });
        return { kind: "held" };
      case "postponeOpen":
        return { kind: "mayPostpone" };
      case "postponeClosed":
        await db.$transaction(async (tx) => {
          const marked = await tx.meeting.updateMany({ where: { id: meeting.id, status: "planned" }, data: { status: "not_held" } });
          if (!marked.count) return;
          await audit(tx, now, { actor: consoleActor(viewer), action: "update", subjectType: "Meeting", subjectId: meeting.id, detail: "marked not held" });
        });
        return { kind: "notHeld" };
    }
  }

  /**
   * Moves the meeting to a later local day and time, through /doilich's own use case: the rule
   * in force decides (only later, within the limit, not in the past, with a reason) and the
   * superior committee and the cell are told. A meeting already held is not moved.
   */
  async function postpone(input: { meetingId: number; date: string; time: string; reason: string; viewer: MeetingViewer; now: Date }) {
    const { viewer, now } = input;
    const meeting = await meetingInScope(db, input.meetingId, viewer, "manage");
    if (meeting.status === "held") throw new DomainError("consoleMeetings:heldNotMoved");
    const day = parseIsoDate(input.date);
    if (!day) throw new DomainError("meeting:invalidDate", { value: input.date });
    const time = TIME_PATTERN.exec(input.time.trim());
    if (!time) throw new DomainError("schedule:invalidTime", { value: input.time });
    const newStart = fromLocal({ ...day, hour: Number(time[1]), minute: Number(time[2]) });
    const moved = await postponements.postpone({
      cellId: meeting.cellId, regularStart: meeting.scheduledAt, newStart, reason: input.reason, actor: { memberId: viewer.memberId, roles: viewer.roles }, now,
    });
    await audit(db, now, {
      actor: consoleActor(viewer), action: "update", subjectType: "Meeting", subjectId: meeting.id,
      detail: `postponed to ${moved.newStart.toISOString()}; superior committee chats told: ${moved.superiorTold}`,
    });
    return moved;
  }

  return { correct, answerHeld, postpone };
}

export type MeetingRecordService = ReturnType<typeof createMeetingRecordService>;
