import type { TFunction } from "i18next";
import type { Button } from "../../channels/types.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { attendanceButtons } from "../../services/messaging.ts";

// The answer buttons go out with the services' messages too (a postponement), so they live there.
export { attendanceButtons };

export function reasonButtons(t: TFunction, meetingId: number): Button[][] {
  return [[{ label: t("attendance:buttonNoReason"), payload: `att:${meetingId}:n` }]];
}

/** After "vắng", words that say the member will come after all: "Đổi thành CÓ MẶT?" Yes / No. */
export function changeQuestion(t: TFunction, meetingId: number) {
  return {
    text: t("attendance:confirmChange"),
    buttons: [[
      { label: t("attendance:buttonChangeYes"), payload: `att:${meetingId}:p` },
      { label: t("attendance:buttonChangeNo"), payload: `att:${meetingId}:k` },
    ]],
  };
}

/** "Will you attend the meeting on …?" with the buttons. */
export function attendanceQuestion(t: TFunction, meetingId: number, startsAt: Date) {
  return { text: t("attendance:question", { when: formatMeetingTime(t, startsAt) }), buttons: attendanceButtons(t, meetingId) };
}
