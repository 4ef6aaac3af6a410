import type { TFunction } from "i18next";
import { attendanceButtons } from "../../core/features/attendanceMessages.ts";
import { chatsOfMembers, groupsOfCells } from "../../core/recipients.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { isExemptOn } from "../../domain/exemption.ts";
import { addDays, fromLocal, localDateOf, toLocal } from "../../domain/localTime.ts";
import { offsetKey, type ReminderOffset } from "../../domain/scheduleSettings.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { isLanguage } from "../../i18n.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import type { JobDeps } from "./jobDeps.ts";
import { plannedMeetings, type PlannedMeeting } from "../meetingPlan.ts";


/** When a reminder with this offset goes out for a meeting starting at `startsAt`. */
export function reminderTime(startsAt: Date, offset: ReminderOffset): Date {
  if ("hoursBefore" in offset) return new Date(startsAt.getTime() - offset.hoursBefore * 3_600_000);
  const day = addDays(localDateOf(startsAt), -offset.daysBefore);
  const [hour, minute] = offset.at.split(":").map(Number) as [number, number];
  return fromLocal({ ...day, hour, minute });
}

/**
 * Meeting reminders at each district's offsets (default 3 days before at 08:00 and 2 hours
 * before), asking for attendance with the buttons, and the nudge the day before to those who
 * have not answered. A postponed meeting has a new start, so new slots: it is announced again,
 * with its reason. Exempt members are not asked; unlinked ones are counted for the secretary.
 */
export function meetingRemindersJob(deps: JobDeps): Job {
  return {
    name: "meeting-reminder",
    async occurrences({ from, to }) {
      const meetings = await plannedMeetings(deps, from);
      const due: Occurrence[] = [];
      for (const meeting of meetings) {
        const { settings } = meeting;
        const offsets: { key: string; at: Date; nudge: boolean; first: boolean }[] = settings.reminders.map((o, i) => ({ key: offsetKey(o), at: reminderTime(meeting.startsAt, o), nudge: false, first: i === 0 }));
        if (settings.nudge) offsets.push({ key: `nudge-d${settings.nudge.daysBefore}@${settings.nudge.at.replace(":", "")}`, at: reminderTime(meeting.startsAt, settings.nudge), nudge: true, first: false });
        for (const offset of offsets) {
          if (offset.at <= from || offset.at > to) continue;
          due.push({
            slot: `${meeting.cell.id}:${meeting.startsAt.toISOString()}:${offset.key}`,
            dueAt: offset.at,
            run: (now) => remind(deps, meeting, offset, now),
          });
        }
      }
      return due;
    },
  };
}

async function remind(deps: JobDeps, meeting: PlannedMeeting, offset: { key: string; nudge: boolean; first: boolean }, now: Date): Promise<number> {
  // A reminder caught up after the meeting began would only confuse.
  if (now.getTime() >= meeting.startsAt.getTime()) return 0;
  const row = await deps.db.meeting.upsert({
    where: { cellId_scheduledAt: { cellId: meeting.cell.id, scheduledAt: meeting.scheduledAt } },
    create: { cellId: meeting.cell.id, scheduledAt: meeting.scheduledAt, place: meeting.place },
    update: {},
  });
  const day = toLocal(meeting.startsAt);
  const members = await deps.db.member.findMany({ where: { cellId: meeting.cell.id }, orderBy: { id: "asc" } });
  const expected = members.filter((m) => !isExemptOn(m, day));
  const answered = new Set((await deps.db.attendance.findMany({ where: { meetingId: row.id }, select: { memberId: true } })).map((a) => a.memberId));
  const asked = offset.nudge ? expected.filter((m) => !answered.has(m.id)) : expected;
  const chats = await chatsOfMembers(deps.db, asked.map((m) => m.id));
  const key = `reminder:${row.id}:${meeting.startsAt.getTime()}:${offset.key}`;
  const text = (t: TFunction) => reminderText(t, meeting, offset.nudge);
  const messages: QueuedMessage[] = chats.map((chat) => {
    const t = deps.translator.t(isLanguage(chat.language) ? chat.language : "vi");
    return { dedupeKey: `${key}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId, message: { text: text(t), buttons: attendanceButtons(t, row.id) } };
  });
  if (!offset.nudge) {
    const t = deps.translator.t(deps.defaultLanguage);
    for (const group of await groupsOfCells(deps.db, [meeting.cell.id])) {
      messages.push({ dedupeKey: `${key}:group:${group.channel}:${group.externalChatId}`, channel: group.channel, chatId: group.externalChatId, isGroup: true, message: { text: text(t), buttons: attendanceButtons(t, row.id) } });
    }
  }
  if (offset.first) messages.push(...(await unlinkedNote(deps, meeting, expected, new Set(chats.map((c) => c.memberId)), key)));
  await deps.outbox.enqueue(messages);
  return messages.length;
}

function reminderText(t: TFunction, meeting: PlannedMeeting, nudge: boolean): string {
  const lines = [t(nudge ? "reminders:nudge" : "reminders:reminder", { cell: meeting.cell.name, when: formatMeetingTime(t, meeting.startsAt) })];
  if (meeting.place) lines.push(t("chat:meetingPlace", { place: meeting.place }));
  if (meeting.agenda) lines.push(t("chat:meetingAgenda", { agenda: meeting.agenda }));
  if (meeting.postponeReason) lines.push(t("chat:meetingPostponed", { from: formatMeetingTime(t, meeting.scheduledAt), reason: meeting.postponeReason }));
  lines.push(t("reminders:question"));
  return lines.join("\n");
}

/** With the first reminder, the secretary learns who chibo cannot reach and must be told in person. */
async function unlinkedNote(deps: JobDeps, meeting: PlannedMeeting, expected: { id: number; fullName: string }[], reached: Set<number>, key: string): Promise<QueuedMessage[]> {
  const unlinked = expected.filter((m) => !reached.has(m.id));
  if (unlinked.length === 0) return [];
  const leaders = await deps.db.role.findMany({ where: { organizationId: meeting.cell.id, role: { in: ["secretary", "deputy_secretary"] } }, select: { memberId: true } });
  const chats = await chatsOfMembers(deps.db, leaders.map((l) => l.memberId));
  return chats.map((chat) => {
    const t = deps.translator.t(isLanguage(chat.language) ? chat.language : "vi");
    return {
      dedupeKey: `${key}:unlinked:${chat.channel}:${chat.chatId}`,
      channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
      message: { text: t("reminders:unlinked", { count: unlinked.length, when: formatMeetingTime(t, meeting.startsAt), names: unlinked.map((m) => m.fullName).join(", ") }) },
    };
  });
}

