import type { TFunction } from "i18next";
import { AGENCY } from "../domain/addressees.ts";
import { shiftMonths } from "../domain/followUp.ts";
import { fromLocal, localDateOf, toLocal } from "../domain/localTime.ts";
import type { Db } from "../storage/database.ts";
import { addresseeLabel } from "./addresseeLabel.ts";
import { audit } from "./audit.ts";
import { startOf, type AttendanceService } from "./attendance.ts";
import { meetingInScope, type MeetingViewer } from "./meetingScope.ts";
import { minutesDocument, type MinutesDraft } from "./minutesDocument.ts";
import { loadOrgIndex } from "./orgIndex.ts";
import type { OrganizationService } from "./organizations.ts";

export const DOCX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/**
 * A draft of a meeting's minutes (biên bản) as a .docx the secretary completes: the header, the
 * time and place, the roll call (its read logged like /diemdanh's), a postponement and its reason,
 * the feedback the cell's members sent since the previous meeting, and empty sections to fill.
 *
 * Feedback is listed by reference, category, addressee and status only, signed or anonymous
 * alike: members are told their feedback is read by the body they send it to, and the cell's
 * secretary is not that body. Its text and author stay with the addressee.
 */
export function createMeetingMinutesService(deps: { db: Db; attendance: AttendanceService; organizations: OrganizationService }) {
  const { db, attendance, organizations } = deps;

  async function draft(input: { meetingId: number; viewer: MeetingViewer; now: Date; t: TFunction }): Promise<{ fileName: string; body: Buffer }> {
    const { viewer, now, t } = input;
    const meeting = await meetingInScope(db, input.meetingId, viewer, "see");
    const startsAt = startOf(meeting);
    const roster = await attendance.roster(meeting.id, { kind: "console", memberId: viewer.memberId }, now);
    const [superior, index, previous] = await Promise.all([
      organizations.superiorOf(meeting.cell),
      loadOrgIndex(db, [meeting.cell]),
      db.meeting.findFirst({ where: { cellId: meeting.cellId, scheduledAt: { lt: meeting.scheduledAt } }, orderBy: { scheduledAt: "desc" } }),
    ]);
    // Without an earlier meeting on record, the month before this one's regular day.
    const since = previous ? startOf(previous) : fromLocal({ ...shiftMonths(localDateOf(meeting.scheduledAt), -1), hour: 0, minute: 0 });
    const until = new Date(Math.min(startsAt.getTime(), now.getTime()));
    const unitKind = index.unitKind(meeting.cell.id);
    const feedback = await db.feedback.findMany({
      where: { cellId: meeting.cellId, createdAt: { gte: since, lt: until } },
      select: { reference: true, category: true, addressee: true, agencyName: true, status: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const minutes: MinutesDraft = {
      superiorName: superior?.name ?? null,
      cellName: meeting.cell.name,
      startsAt,
      regularStart: meeting.scheduledAt,
      place: meeting.place,
      postponeReason: meeting.postponedTo ? meeting.postponeReason : null,
      superiorInformedAt: meeting.superiorInformedAt,
      roster,
      feedbackSince: since,
      feedbackUntil: until,
      feedback: feedback.map((f) => ({
        reference: f.reference,
        category: t(`feedback:category_${f.category}`),
        // A body the member typed is part of what they wrote: only the kind of addressee is shown.
        addressee: addresseeLabel(t, { addressee: f.addressee, agencyName: f.addressee === AGENCY ? null : f.agencyName }, unitKind),
        status: t(`feedback:status_${f.status}`),
      })),
    };
    const body = await minutesDocument(minutes, t);
    await audit(db, now, {
      actor: { kind: "console", memberId: viewer.memberId }, action: "export", subjectType: "Meeting", subjectId: meeting.id,
      detail: `minutes draft: ${roster.present.length + roster.absent.length + roster.pending.length + roster.exempt.length} members, `
        + `${feedback.length} feedback items`,
    });
    const local = toLocal(meeting.scheduledAt);
    const safeCode = meeting.cell.code.replace(/[^a-z0-9-]/gi, "-");
    return { fileName: `bien-ban-${safeCode}-${local.year}-${String(local.month).padStart(2, "0")}.docx`, body };
  }

  return { draft };
}

export type MeetingMinutesService = ReturnType<typeof createMeetingMinutesService>;
