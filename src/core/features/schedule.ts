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
    const group = inGroup
      ? await deps.db.groupChat.findUnique({ where: { channel_externalChatId: { channel: message.channel, externalChatId: message.chat.id } } })
      : null;
    // In a group, the meeting of the group's cell (the group may not be the asker's own cell).
    if (inGroup && !group) return;
    const cellId = group?.cellId ?? member.cellId;
    const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: cellId } });
    const { meetings } = await deps.services.meetings.upcoming(cell.code, { from: deps.clock.now(), count: 1 });
    const next = meetings[0];
    if (!next) {
      await conversation.reply({ text: t("chat:noMeetingRule", { cell: cell.name }) });
      return;
    }
    const lines = [t("chat:nextMeeting", { cell: cell.name, when: formatMeetingTime(t, next.startsAt) })];
    if (next.place) lines.push(t("chat:meetingPlace", { place: next.place }));
    if (next.agenda) lines.push(t("chat:meetingAgenda", { agenda: next.agenda }));
    if (next.postponeReason) lines.push(t("chat:meetingPostponed", { from: formatMeetingTime(t, next.scheduledAt), reason: next.postponeReason }));
    if (inGroup || cellId !== member.cellId) {
      await conversation.reply({ text: lines.join("\n") });
      return;
    }
    const ahead = await deps.services.attendance.nextMeeting(cell, deps.clock.now());
    if (!ahead) {
      await conversation.reply({ text: lines.join("\n") });
      return;
    }
    const answer = await deps.services.attendance.answerOf(ahead.meeting.id, member.id);
    if (answer?.answer === "absent" && answer.reason) lines.push(t("chat:yourAnswerAbsentWithReason", { reason: answer.reason }));
    else lines.push(t(answer?.answer === "present" ? "attendance:yourAnswerPresent" : answer?.answer === "absent" ? "attendance:yourAnswerAbsent" : "attendance:yourAnswerNone"));
    await conversation.reply({ text: lines.join("\n"), buttons: attendanceButtons(t, ahead.meeting.id) });
  },
};
