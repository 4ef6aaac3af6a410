import { leadsCell, type ActingMember, type MemberRoles } from "../domain/authorization.ts";
import { NotAllowedError } from "../domain/errors.ts";
import { formatIsoDate, localDateOf } from "../domain/localTime.ts";
import { formatMeetingTime } from "../formatTime.ts";
import type { Db } from "../storage/database.ts";
import type { MeetingService } from "./meetings.ts";
import { attendanceButtons, wordsOf, type Messaging } from "./messaging.ts";
import { chatsOfMembers, groupsOfCells, officersOf } from "./recipients.ts";

interface Moved {
  meetingId: number;
  regularStart: Date;
  newStart: Date;
  reason: string;
}

/**
 * A cell's leader moves its meeting later, within the limit that applies to it, with a reason.
 * The superior committee's officers are told, and so are the cell's members and its groups.
 */
export function createPostponementService(deps: { db: Db; meetings: MeetingService; messaging: Messaging }) {
  const { db, meetings, messaging } = deps;

  async function ledCell(cellId: number, roles: MemberRoles) {
    if (!leadsCell(roles, cellId)) throw new NotAllowedError();
    return db.organization.findUniqueOrThrow({ where: { id: cellId } });
  }

  /** The meeting the cell's leader may still move now, and the days it may move to (meetings.postponable). */
  async function open(input: { cellId: number; roles: MemberRoles; now: Date }) {
    const cell = await ledCell(input.cellId, input.roles);
    return meetings.postponable(cell.code, input.now);
  }

  /**
   * Moves the meeting that regularly starts at `regularStart` to `newStart`, then tells the
   * superior committee and the cell. `superiorTold` counts the officers' chats it was queued for.
   */
  async function postpone(input: { cellId: number; regularStart: Date; newStart: Date; reason: string; actor: ActingMember; now: Date }) {
    const { actor, now } = input;
    const cell = await ledCell(input.cellId, actor.roles);
    const regularDate = formatIsoDate(localDateOf(input.regularStart));
    const { meeting, superior } = await meetings.postpone({ cellCode: cell.code, regularDate, newStart: input.newStart, reason: input.reason, now, actorId: actor.memberId });
    const moved: Moved = { meetingId: meeting.id, regularStart: input.regularStart, newStart: meeting.postponedTo!, reason: meeting.postponeReason! };
    const superiorTold = superior ? await informSuperior({ ...moved, cellName: cell.name, superiorId: superior.id, secretaryId: actor.memberId }, now) : 0;
    await informCell({ ...moved, cellId: cell.id, authorId: actor.memberId });
    return { cell, meeting, superior, superiorTold, ...moved };
  }

  /**
   * Tells the officers of the committee directly above; returns how many chats were queued. Not
   * urgent: they do not attend the cell's meeting, so at night it waits for the morning.
   */
  async function informSuperior(moved: Moved & { cellName: string; superiorId: number; secretaryId: number }, now: Date): Promise<number> {
    const chats = await chatsOfMembers(db, await officersOf(db, moved.superiorId));
    const { fullName: secretary } = await db.member.findUniqueOrThrow({ where: { id: moved.secretaryId }, select: { fullName: true } });
    await messaging.outbox.enqueue(chats.map((chat) => {
      const t = wordsOf(messaging, chat.language);
      return {
        dedupeKey: `postponed-superior:${moved.meetingId}:${moved.newStart.getTime()}:${chat.channel}:${chat.chatId}`,
        channel: chat.channel,
        chatId: chat.chatId,
        memberId: chat.memberId,
        message: { text: t("postpone:superiorMessage", { cell: moved.cellName, from: formatMeetingTime(t, moved.regularStart), to: formatMeetingTime(t, moved.newStart), reason: moved.reason, secretary }) },
      };
    }));
    if (chats.length > 0) await db.meeting.update({ where: { id: moved.meetingId }, data: { superiorInformedAt: now } });
    return chats.length;
  }

  /** Tells the cell's members but the author (with the answer buttons) and posts it in the cell's groups. */
  async function informCell(moved: Moved & { cellId: number; authorId: number }): Promise<void> {
    const chats = await chatsOfMembers(db, { cellId: moved.cellId, id: { not: moved.authorId } });
    const groups = await groupsOfCells(db, [moved.cellId]);
    const message = (language: string) => {
      const t = wordsOf(messaging, language);
      const text = t("postpone:memberMessage", { from: formatMeetingTime(t, moved.regularStart), to: formatMeetingTime(t, moved.newStart), reason: moved.reason });
      // Their meeting is on another day: members hear it at once, even at night.
      return { text, buttons: attendanceButtons(t, moved.meetingId), urgent: true };
    };
    const key = `postponed:${moved.meetingId}:${moved.newStart.getTime()}`;
    await messaging.outbox.enqueue([
      ...chats.map((chat) => ({ dedupeKey: `${key}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId, message: message(chat.language) })),
      ...groups.map((group) => ({
        dedupeKey: `${key}:group:${group.channel}:${group.externalChatId}`, channel: group.channel, chatId: group.externalChatId, isGroup: true, message: message(messaging.defaultLanguage),
      })),
    ]);
  }

  return { open, postpone };
}

export type PostponementService = ReturnType<typeof createPostponementService>;
