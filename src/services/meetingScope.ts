import type { MemberRoles } from "../domain/authorization.ts";
import { NotAllowedError, NotFoundError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";

export type MeetingAccess = "see" | "manage";

/**
 * Who asks, and what the console lets them do over an organization (its meetings area grants,
 * given by the caller so the console keeps one table of who may do what).
 */
export interface MeetingViewer {
  memberId: number;
  roles: MemberRoles;
  may(orgPath: string, need: MeetingAccess): boolean;
}

/** Said alike of a meeting that does not exist and of one outside the viewer's scope. */
export const MEETING_NOT_FOUND = "consoleMeetings:notFound";

/**
 * The meeting with its cell, when the viewer may see it; "not found" otherwise, so a changed id
 * tells nothing about another commune. One the viewer only sees cannot be changed.
 */
export async function meetingInScope(db: Db, meetingId: number, viewer: MeetingViewer, need: MeetingAccess) {
  const meeting = await db.meeting.findUnique({ where: { id: meetingId }, include: { cell: true } });
  if (!meeting || !viewer.may(meeting.cell.path, "see")) throw new NotFoundError(MEETING_NOT_FOUND);
  if (need === "manage" && !viewer.may(meeting.cell.path, "manage")) throw new NotAllowedError("consoleMeetings:notAllowed");
  return meeting;
}

/** A cell the viewer may see (or manage), or "not found". */
export async function cellInScope(db: Db, cellId: number, viewer: MeetingViewer, need: MeetingAccess) {
  const cell = await db.organization.findUnique({ where: { id: cellId } });
  if (!cell || cell.level !== "cell" || !viewer.may(cell.path, "see")) throw new NotFoundError(MEETING_NOT_FOUND);
  if (need === "manage" && !viewer.may(cell.path, "manage")) throw new NotAllowedError("consoleMeetings:notAllowed");
  return cell;
}
