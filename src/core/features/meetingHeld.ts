import type { TFunction } from "i18next";
import type { Button } from "../../channels/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import { formatDisplayDate, formatDisplayDateTime } from "../../domain/localTime.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { isLeader } from "../authorization.ts";
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
      const { meeting, startsAt, outcome } = await deps.services.meetingHeld.answer({ meetingId, held: choice === "y", roles, now: deps.clock.now() });
      const shown = { cell: meeting.cell.name, when: formatMeetingTime(t, startsAt) };
      switch (outcome.kind) {
        case "alreadyHeld":
          return await conversation.reply({ text: t("followUp:alreadyHeld", shown) });
        case "notStarted":
          return await conversation.reply({ text: t("followUp:notStarted", shown) });
        case "held":
          // While the roll call can still be corrected, say until when and offer it.
          return await conversation.reply(outcome.correctableUntil
            ? { text: t("followUp:heldRecorded", { ...shown, until: formatDisplayDateTime(outcome.correctableUntil) }), buttons: correctButtons(t, meeting.id) }
            : { text: t("followUp:heldRecordedFinal", shown) });
        case "postponeOpen":
          return await conversation.reply({ text: t("followUp:usePostpone", { ...shown, latest: formatDisplayDate(outcome.latestDay) }) });
        case "postponeClosed":
          return await conversation.reply({ text: t("followUp:windowClosed", { ...shown, latest: formatDisplayDate(outcome.latestDay) }) });
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};
