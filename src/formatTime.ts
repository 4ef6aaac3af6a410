import type { TFunction } from "i18next";
import { pad, toLocal } from "./domain/localTime.ts";

/** "Thứ Năm, 01/10/2026 16:30" in the reader's language, in Vietnam's time. */
export function formatMeetingTime(t: TFunction, at: Date): string {
  const local = toLocal(at);
  return t("common:dateTime", {
    weekday: t(`common:weekday_${local.weekday}`),
    date: `${pad(local.day)}/${pad(local.month)}/${local.year}`,
    time: `${pad(local.hour)}:${pad(local.minute)}`,
  });
}
