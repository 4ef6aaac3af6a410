import { leadsCell, type MemberRoles } from "../domain/authorization.ts";
import { DomainError, NotAllowedError } from "../domain/errors.ts";
import type { MeetingRule } from "../domain/schedule.ts";
import type { Db } from "../storage/database.ts";
import type { AttendanceService } from "./attendance.ts";
import { rowToRule } from "./meetingRules.ts";
import type { MeetingService } from "./meetings.ts";
import type { OrganizationService } from "./organizations.ts";

export const MAX_AGENDA_LENGTH = 1000;
export const MAX_PLACE_LENGTH = 200;

function checkLength(value: string, max: number): void {
  if ([...value].length > max) throw new DomainError("meetingSetup:tooLong", { max });
}

/**
 * A cell's leader sets its regular meeting rule (day, time, place), and the agenda and place of
 * its next meeting when they differ from the usual.
 */
export function createMeetingSetupService(deps: { db: Db; organizations: OrganizationService; meetings: MeetingService; attendance: AttendanceService }) {
  const { db, organizations, meetings, attendance } = deps;

  async function ledCell(cellId: number, roles: MemberRoles) {
    if (!leadsCell(roles, cellId)) throw new NotAllowedError();
    return db.organization.findUniqueOrThrow({ where: { id: cellId } });
  }

  /** The cell's rule as it stands; null when it has none yet. */
  async function currentRule(input: { cellId: number; roles: MemberRoles }) {
    const cell = await ledCell(input.cellId, input.roles);
    const row = await db.meetingRule.findUnique({ where: { cellId: cell.id } });
    return { cell, rule: row ? rowToRule(row) : null, place: row?.place ?? null };
  }

  /**
   * Sets the cell's rule. Without a place the usual one is kept; the weekend and holiday setting
   * is kept too. Returns the place it has now and its next meeting by the new rule.
   */
  async function setRule(input: { cellId: number; roles: MemberRoles; rule: MeetingRule; place?: string | null; now: Date }) {
    const cell = await ledCell(input.cellId, input.roles);
    if (input.place) checkLength(input.place, MAX_PLACE_LENGTH);
    const current = await db.meetingRule.findUnique({ where: { cellId: cell.id } });
    const place = input.place ?? current?.place ?? undefined;
    await organizations.setMeetingRule(cell.code, { ...input.rule, place, shiftOffDays: current?.shiftOffDays ?? false });
    const { meetings: upcoming } = await meetings.upcoming(cell.code, { from: input.now, count: 1 });
    return { cell, rule: input.rule, place: place ?? null, next: upcoming[0] ?? null };
  }

  /** Sets the agenda or the place of the cell's next meeting; returns when that meeting starts. */
  async function setNextMeeting(input: { cellId: number; roles: MemberRoles; set: { agenda: string } | { place: string }; now: Date }) {
    const cell = await ledCell(input.cellId, input.roles);
    if ("agenda" in input.set) checkLength(input.set.agenda, MAX_AGENDA_LENGTH);
    else checkLength(input.set.place, MAX_PLACE_LENGTH);
    const ahead = await attendance.nextMeeting(cell, input.now);
    if (!ahead) throw new DomainError("chat:noMeetingRule", { cell: cell.name });
    await db.meeting.update({ where: { id: ahead.meeting.id }, data: input.set });
    return { cell, startsAt: ahead.startsAt };
  }

  return { currentRule, setRule, setNextMeeting };
}

export type MeetingSetupService = ReturnType<typeof createMeetingSetupService>;
