import { formatMeetingTime } from "../../formatTime.ts";
import type { Feature } from "../feature.ts";

/** /lich: the next meeting of the member's cell, with its postponement if it was moved. */
export const scheduleFeature: Feature = {
  name: "schedule",
  commands: ["lich"],
  async handle(deps, conversation) {
    const { t, member } = conversation;
    if (!member) return;
    const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: member.cellId } });
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
    await conversation.reply({ text: lines.join("\n") });
  },
};
