import type { TFunction } from "i18next";
import { pad, toLocal } from "../domain/localTime.ts";

/** "Thứ Năm, 01/10/2026 16:30" in the reader's language, in Vietnam's time. */
export function formatMeetingTime(t: TFunction, at: Date): string {
  const local = toLocal(at);
  return t("cli:dateTime", {
    weekday: t(`cli:weekday_${local.weekday}`),
    date: `${pad(local.day)}/${pad(local.month)}/${local.year}`,
    time: `${pad(local.hour)}:${pad(local.minute)}`,
  });
}

/** Parses "YYYY-MM-DD HH:MM" or "DD/MM/YYYY HH:MM" as Vietnam time. */
export function parseLocalDateTime(text: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(text.trim());
  if (iso) return { year: +iso[1]!, month: +iso[2]!, day: +iso[3]!, hour: +iso[4]!, minute: +iso[5]! };
  if (vn) return { year: +vn[3]!, month: +vn[2]!, day: +vn[1]!, hour: +vn[4]!, minute: +vn[5]! };
  return null;
}
