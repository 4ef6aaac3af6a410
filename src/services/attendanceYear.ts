import { isExemptOn } from "../domain/exemption.ts";
import { unexcusedAbsences } from "../domain/followUp.ts";
import { formatIsoDate, fromLocal, localDateOf } from "../domain/localTime.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { audit } from "./audit.ts";
import { startOf } from "./attendance.ts";
import { cellInScope, type MeetingViewer } from "./meetingScope.ts";
import { loadOrgIndex } from "./orgIndex.ts";

/** A meeting's start lies at most this long after its regular start (the postponement limit is at most 31 days). */
const MAX_MOVE_MS = 32 * 86_400_000;

/** What a member's cell of the sheet says about one meeting. */
export type AttendanceMark = "present" | "excused" | "unexcused" | "noAnswer" | "exempt" | "notAdmitted";

export interface YearMeeting {
  id: number;
  startsAt: Date;
  /** Only meetings marked held count for absences. */
  held: boolean;
}

export interface YearRow {
  fullName: string;
  marks: AttendanceMark[];
  present: number;
  excused: number;
  /** Absences without a reason as the absence rule counts them (held meetings, final roll calls, 12 months). */
  unexcused: number;
  flagged: boolean;
  /** Left the cell's list since. */
  inactive: boolean;
}

export interface AttendanceYear {
  cell: Organization;
  year: number;
  meetings: YearMeeting[];
  rows: YearRow[];
  absenceLimit: number;
  /** The absences are counted as of this instant: now, or the year's end for a past year. */
  asOf: Date;
}

/**
 * A cell's attendance over a calendar year, one row per member and one column per meeting that
 * has started: what the secretary needs for the yearly rating. Absences without a reason are
 * counted by the same rule as the daily absence check (unexcusedAbsences, with the limit that
 * applies to the cell: the Charter's three by default). Reading it is logged as an export.
 */
export function createAttendanceYearService(deps: { db: Db }) {
  const { db } = deps;

  async function year(input: { cellId: number; year: number; viewer: MeetingViewer; now: Date }): Promise<AttendanceYear> {
    const { now } = input;
    const cell = await cellInScope(db, input.cellId, input.viewer, "see");
    const from = fromLocal({ year: input.year, month: 1, day: 1, hour: 0, minute: 0 });
    const to = fromLocal({ year: input.year + 1, month: 1, day: 1, hour: 0, minute: 0 });
    const asOf = new Date(Math.min(now.getTime(), to.getTime()));
    const stored = await db.meeting.findMany({
      where: { cellId: cell.id, scheduledAt: { gte: new Date(from.getTime() - MAX_MOVE_MS), lt: to } },
      include: { attendance: { select: { memberId: true, answer: true, reason: true } } },
      orderBy: { scheduledAt: "asc" },
    });
    const started = stored
      .filter((m) => startOf(m).getTime() >= from.getTime() && startOf(m).getTime() < asOf.getTime())
      .sort((a, b) => startOf(a).getTime() - startOf(b).getTime());
    const members = await db.member.findMany({
      where: { cellId: cell.id, OR: [{ deactivatedAt: null }, { attendance: { some: { meetingId: { in: started.map((m) => m.id) } } } }] },
      orderBy: [{ searchName: "asc" }, { id: "asc" }],
    });
    const absenceLimit = (await loadOrgIndex(db, [cell])).settings(cell.id).schedule.absenceLimit;
    const rows = members.map((member): YearRow => {
      const answers = started.map((m) => m.attendance.find((a) => a.memberId === member.id) ?? null);
      const marks = started.map((m, i) => markOf(member, answers[i]!, startOf(m)));
      const held = started.flatMap((m, i) => (m.status === "held" ? [{ meetingId: m.id, startsAt: startOf(m), answer: answers[i]! }] : []));
      const unexcused = unexcusedAbsences(member, held, asOf).length;
      return {
        fullName: member.fullName,
        marks,
        present: marks.filter((m) => m === "present").length,
        excused: marks.filter((m) => m === "excused").length,
        unexcused,
        flagged: unexcused >= absenceLimit,
        inactive: member.deactivatedAt !== null,
      };
    });
    await audit(db, now, {
      actor: { kind: "console", memberId: input.viewer.memberId }, action: "export", subjectType: "Attendance", subjectId: cell.id,
      detail: `year ${input.year}: ${rows.length} members, ${started.length} meetings`,
    });
    return { cell, year: input.year, meetings: started.map((m) => ({ id: m.id, startsAt: startOf(m), held: m.status === "held" })), rows, absenceLimit, asOf };
  }

  return { year };
}

function markOf(
  member: { exemption: string; exemptionFrom: string | null; exemptionUntil: string | null; admittedOn: string | null },
  answer: { answer: string; reason: string | null } | null,
  startsAt: Date,
): AttendanceMark {
  if (answer?.answer === "present") return "present";
  const day = localDateOf(startsAt);
  if (isExemptOn(member, day)) return "exempt";
  if (member.admittedOn && formatIsoDate(day) < member.admittedOn) return "notAdmitted";
  if (answer?.answer === "absent") return answer.reason?.trim() ? "excused" : "unexcused";
  return "noAnswer";
}

export type AttendanceYearService = ReturnType<typeof createAttendanceYearService>;
