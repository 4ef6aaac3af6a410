import type { TFunction } from "i18next";
import type { Button } from "../../channels/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import { rollCallClosesAt, rollCallPhase } from "../../domain/attendance.ts";
import { formatDisplayDate, formatDisplayDateTime, localDateOf } from "../../domain/localTime.ts";
import { latestAllowedDay } from "../../domain/postponement.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { startOf } from "../../services/attendance.ts";
import { isLeader, leadsCell } from "../authorization.ts";
import type { Feature } from "../feature.ts";
import { parseId, payloadParts } from "../payload.ts";
import { correctButtons } from "./rollCall.ts";

const PREFIX = "held";

/** "Đã họp" / "Chưa họp được" under the summary the leaders get after a meeting. */
export function heldButtons(t: TFunction, meetingId: number): Button[][] {
  return [[
    { label: t("followUp:buttonHeld"), payload: `${PREFIX}:${meetingId}:y` },
    { label: t("followUp:buttonNotHeld"), payload: `${PREFIX}:${meetingId}:n` },
  ]];
}

/**
 * The answer to "was the meeting held?" (buttons "held:<meeting>:y|n"). Only a secretary or deputy
 * of that meeting's cell may answer. "Đã họp" marks it held (heldAt: the start it had); "Chưa họp
 * được" points to /doilich while the postponement window is open, or says it has closed.
 */
export const meetingHeldFeature: Feature = {
  name: "meetingHeld",
  buttonPrefix: PREFIX,
  allowed: (roles) => isLeader(roles),
  async handle(deps, conversation, input) {
    const { t, roles } = conversation;
    const [meetingPart, choice] = payloadParts(input.payload, 2) ?? [];
    const meetingId = parseId(meetingPart);
    if (meetingId === null || (choice !== "y" && choice !== "n")) {
      await conversation.reply({ text: t("chat:staleButton") });
      return;
    }
    try {
      const meeting = await deps.services.attendance.meetingById(meetingId);
      // The button names a meeting: only a leader of its cell may answer for it.
      if (!leadsCell(roles, meeting.cellId)) {
        await conversation.reply({ text: t("chat:notAllowed") });
        return;
      }
      const now = deps.clock.now();
      const startsAt = startOf(meeting);
      const shown = { cell: meeting.cell.name, when: formatMeetingTime(t, startsAt) };
      if (meeting.status === "held") {
        await conversation.reply({ text: t("followUp:alreadyHeld", shown) });
        return;
      }
      if (choice === "y") {
        if (now.getTime() < startsAt.getTime()) {
          await conversation.reply({ text: t("followUp:notStarted", shown) });
          return;
        }
        // Only the first press marks it: a second leader pressing at once is told it is done.
        const marked = await deps.db.meeting.updateMany({ where: { id: meeting.id, status: { not: "held" } }, data: { status: "held", heldAt: startsAt } });
        if (marked.count === 0) {
          await conversation.reply({ text: t("followUp:alreadyHeld", shown) });
          return;
        }
        // While the roll call can still be corrected, say until when and offer it.
        await conversation.reply(
          rollCallPhase(startsAt, now) === "correcting"
            ? { text: t("followUp:heldRecorded", { ...shown, until: formatDisplayDateTime(rollCallClosesAt(startsAt)) }), buttons: correctButtons(t, meeting.id) }
            : { text: t("followUp:heldRecordedFinal", shown) },
        );
        return;
      }
      const open = await deps.services.meetings.postponable(meeting.cell.code, now);
      const last = open.choices.at(-1);
      if (open.regularStart.getTime() === meeting.scheduledAt.getTime() && last) {
        await conversation.reply({ text: t("followUp:usePostpone", { ...shown, latest: formatDisplayDate(localDateOf(last)) }) });
      } else {
        await conversation.reply({ text: t("followUp:windowClosed", { ...shown, latest: formatDisplayDate(latestAllowedDay(meeting.scheduledAt, open.maxPostponeDays)) }) });
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};
