import { formatMeetingTime } from "../../formatTime.ts";
import type { Feature } from "../feature.ts";
import { attendanceButtons } from "./attendanceMessages.ts";

/**
 * /lich: the next meeting of the member's cell, with its postponement if it was moved. In a
 * private chat it also shows the member's answer and the buttons to give or change it.
 */
export const scheduleFeature: Feature = {
  name: "schedule",
  commands: ["lich"],
  inGroups: true,
  async handle(deps, conversation) {
    const { t, member, message } = conversation;
    if (!member) return;
    const inGroup = message.chat.kind === "group";
    // In a group, the meeting of the group's cell (the group may not be the asker's own cell).
    const groupCell = inGroup ? await deps.services.groupChats.cellOf({ channel: message.channel, externalChatId: message.chat.id }) : null;
    if (inGroup && groupCell === null) return;
    const cellId = groupCell ?? member.cellId;
    // Their own answer only in their private chat, about their own cell.
    const own = !inGroup && cellId === member.cellId;
    const { cell, next, mine } = await deps.services.schedules.nextMeeting({ cellId, now: deps.clock.now(), ...(own ? { memberId: member.id } : {}) });
    if (!next) {
      await conversation.reply({ text: t("chat:noMeetingRule", { cell: cell.name }) });
      return;
    }
    const lines = [t("chat:nextMeeting", { cell: cell.name, when: formatMeetingTime(t, next.startsAt) })];
    if (next.place) lines.push(t("chat:meetingPlace", { place: next.place }));
    if (next.agenda) lines.push(t("chat:meetingAgenda", { agenda: next.agenda }));
    if (next.postponeReason) lines.push(t("chat:meetingPostponed", { from: formatMeetingTime(t, next.scheduledAt), reason: next.postponeReason }));
    if (!mine) {
      await conversation.reply({ text: lines.join("\n") });
      return;
    }
    const answer = mine.answer;
    if (answer?.answer === "absent" && answer.reason) lines.push(t("chat:yourAnswerAbsentWithReason", { reason: answer.reason }));
    else lines.push(t(answer?.answer === "present" ? "attendance:yourAnswerPresent" : answer?.answer === "absent" ? "attendance:yourAnswerAbsent" : "attendance:yourAnswerNone"));
    await conversation.reply({ text: lines.join("\n"), buttons: attendanceButtons(t, mine.meetingId) });
  },
};
