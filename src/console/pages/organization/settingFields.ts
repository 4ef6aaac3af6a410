import type { TFunction } from "i18next";
import { DomainError } from "../../../domain/errors.ts";
import { MAX_POSTPONE_DAYS_LIMIT } from "../../../domain/postponement.ts";
import { SETTING_KEYS, type SettingKey } from "../../../domain/orgSettings.ts";
import type { ReminderOffset, ScheduleSettings } from "../../../domain/scheduleSettings.ts";
import { html, type Html } from "../../html.ts";
import { choice, field, options } from "./sectionKit.ts";

const NS = "consoleOrganization";
/** As many reminders as the settings allow (scheduleSettings.ts). */
const REMINDER_ROWS = 5;

export type EditableKey = Exclude<SettingKey, "addressees">;
export const EDITABLE_KEYS = SETTING_KEYS.filter((k): k is EditableKey => k !== "addressees");
export const isEditableKey = (key: string): key is EditableKey => (EDITABLE_KEYS as readonly string[]).includes(key);

type Fields = Record<string, string>;
/** The value a field shows: what was just typed (after a refusal), else what is in force. */
type Value = (name: string, current: string) => string;

interface SettingForm {
  /** The value in words. */
  show(t: TFunction, value: unknown): string;
  inputs(t: TFunction, value: unknown, val: Value, checked: (name: string, current: boolean) => boolean, id: (name: string) => string): Html;
  /** The form's fields as the value to store; the domain checks the ranges. */
  parse(fields: Fields): unknown;
}

/** A whole number typed in a field; anything else is refused before the domain sees it. */
function whole(text: string | undefined): number {
  const trimmed = (text ?? "").trim();
  if (!/^-?\d{1,6}$/.test(trimmed)) throw new DomainError(`${NS}:notANumber`);
  return Number(trimmed);
}

const numberInput = (label: string, name: string, current: number, val: Value, id: (name: string) => string, min: number, max: number) =>
  field(id(name), label, html`<input type="number" inputmode="numeric" id="${id(name)}" name="${name}" min="${min}" max="${max}" value="${val(name, String(current))}" required>`);
const timeInput = (label: string, name: string, current: string, val: Value, id: (name: string) => string) =>
  field(id(name), label, html`<input type="time" id="${id(name)}" name="${name}" value="${val(name, current)}">`);
const checkbox = (label: string, name: string, on: boolean, id: (name: string) => string) => choice("checkbox", id(name), name, "on", on, label);

function count(unitKey: string, min: number, max: number): SettingForm {
  return {
    show: (t, value) => t(`${NS}:${unitKey}`, { count: value as number }),
    inputs: (t, value, val, _checked, id) => numberInput(t(`${NS}:field_${unitKey}`), "value", value as number, val, id, min, max),
    parse: (fields) => whole(fields.value),
  };
}

const reminderWords = (t: TFunction, r: ReminderOffset) =>
  "daysBefore" in r ? t(`${NS}:reminderDays`, { count: r.daysBefore, at: r.at }) : t(`${NS}:reminderHours`, { count: r.hoursBefore });

const FORMS: Record<EditableKey, SettingForm> = {
  maxPostponeDays: count("days", 0, MAX_POSTPONE_DAYS_LIMIT),
  afterMeetingHours: count("hoursAfter", 1, 48),
  answerDeadlineWorkingDays: count("workingDays", 1, 60),
  absenceLimit: count("times", 1, 12),
  probationNoticeDays: count("daysBefore", 1, 90),
  dailyAt: {
    show: (_t, value) => value as string,
    inputs: (t, value, val, _checked, id) => timeInput(t(`${NS}:field_time`), "value", value as string, val, id),
    parse: (fields) => fields.value ?? "",
  },
  reminders: {
    show: (t, value) => ((value as ReminderOffset[]).length ? (value as ReminderOffset[]).map((r) => reminderWords(t, r)).join("; ") : t(`${NS}:noReminders`)),
    inputs(t, value, val, _checked, id) {
      const list = value as ReminderOffset[];
      const rows = Array.from({ length: REMINDER_ROWS }, (_, i) => {
        const r = list[i];
        const kind = val(`r${i}_kind`, r ? ("daysBefore" in r ? "days" : "hours") : "none");
        const n = r ? ("daysBefore" in r ? r.daysBefore : r.hoursBefore) : 1;
        const at = r && "daysBefore" in r ? r.at : "08:00";
        const how = html`<select id="${id(`r${i}_kind`)}" name="r${i}_kind">${options(["none", "days", "hours"], kind, (v) => t(`${NS}:reminderKind_${v}`))}</select>`;
        return html`<fieldset class="organization-row"><legend>${t(`${NS}:reminderNumber`, { n: i + 1 })}</legend>
${field(id(`r${i}_kind`), t(`${NS}:field_reminderKind`), how)}
${numberInput(t(`${NS}:field_reminderCount`), `r${i}_n`, n, val, id, 1, 72)}
${timeInput(t(`${NS}:field_reminderAt`), `r${i}_at`, at, val, id)}
</fieldset>`;
      });
      return html`${rows}`;
    },
    parse(fields) {
      const list: ReminderOffset[] = [];
      for (let i = 0; i < REMINDER_ROWS; i++) {
        const kind = fields[`r${i}_kind`];
        if (kind === "days") list.push({ daysBefore: whole(fields[`r${i}_n`]), at: fields[`r${i}_at`] ?? "" });
        else if (kind === "hours") list.push({ hoursBefore: whole(fields[`r${i}_n`]) });
      }
      return list;
    },
  },
  nudge: {
    show: (t, value) => {
      const nudge = value as ScheduleSettings["nudge"];
      return nudge ? t(`${NS}:reminderDays`, { count: nudge.daysBefore, at: nudge.at }) : t(`${NS}:noNudge`);
    },
    inputs(t, value, val, checked, id) {
      const nudge = value as ScheduleSettings["nudge"];
      return html`${checkbox(t(`${NS}:field_nudgeOn`), "on", checked("on", nudge !== null), id)}
${numberInput(t(`${NS}:field_daysBeforeMeeting`), "daysBefore", nudge?.daysBefore ?? 1, val, id, 1, 7)}
${timeInput(t(`${NS}:field_time`), "at", nudge?.at ?? "08:00", val, id)}`;
    },
    parse: (fields) => (fields.on === "on" ? { daysBefore: whole(fields.daysBefore), at: fields.at ?? "" } : null),
  },
  digest: {
    show: (t, value) => {
      const digest = value as ScheduleSettings["digest"];
      return t(`${NS}:weekdayAt`, { weekday: t(`common:weekday_${digest.weekday}`), at: digest.at });
    },
    inputs(t, value, val, _checked, id) {
      const digest = value as ScheduleSettings["digest"];
      const weekday = val("weekday", String(digest.weekday));
      const days = html`<select id="${id("weekday")}" name="weekday">${options(["1", "2", "3", "4", "5", "6", "7"], weekday, (d) => t(`common:weekday_${d}`))}</select>`;
      return html`${field(id("weekday"), t(`${NS}:field_weekday`), days)}
${timeInput(t(`${NS}:field_time`), "at", digest.at, val, id)}`;
    },
    parse: (fields) => ({ weekday: whole(fields.weekday), at: fields.at ?? "" }),
  },
  quietHours: {
    show: (t, value) => {
      const quiet = value as ScheduleSettings["quietHours"];
      return quiet ? t(`${NS}:quietFromTo`, quiet) : t(`${NS}:noQuietHours`);
    },
    inputs(t, value, val, checked, id) {
      const quiet = value as ScheduleSettings["quietHours"];
      return html`${checkbox(t(`${NS}:field_quietOn`), "on", checked("on", quiet !== null), id)}
${timeInput(t(`${NS}:field_quietFrom`), "from", quiet?.from ?? "21:30", val, id)}
${timeInput(t(`${NS}:field_quietTo`), "to", quiet?.to ?? "06:30", val, id)}`;
    },
    parse: (fields) => (fields.on === "on" ? { from: fields.from ?? "", to: fields.to ?? "" } : null),
  },
};

export const settingForm = (key: EditableKey): SettingForm => FORMS[key];
