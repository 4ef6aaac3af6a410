import { z } from "zod";
import { DomainError } from "./errors.ts";
import { DEFAULT_QUIET_HOURS } from "./quietHours.ts";

/**
 * When an organization's time-based messages go out. Any organization may set any of these for its
 * subtree (stored as JSON of the keys it sets; see orgSettings.ts); what nobody sets keeps the
 * default. Times are Vietnam local time.
 */
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

const ReminderOffset = z.union([
  z.object({ daysBefore: z.number().int().min(1).max(14), at: Time }),
  z.object({ hoursBefore: z.number().int().min(1).max(72) }),
]);

export const ScheduleSettingsSchema = z.object({
  /** Reminders asking for attendance, before each meeting. */
  reminders: z.array(ReminderOffset).max(5),
  /** The nudge to members who have not answered, this many days before at this time; null: none. */
  nudge: z.object({ daysBefore: z.number().int().min(1).max(7), at: Time }).nullable(),
  /** The attendance summary and "was it held?" prompt to the secretary, this long after the start. */
  afterMeetingHours: z.number().int().min(1).max(48),
  /** The weekly feedback digest to every reviewer: ISO weekday (1 = Monday) and time. */
  digest: z.object({ weekday: z.number().int().min(1).max(7), at: Time }),
  /** Feedback not answered within this many working days is overdue. */
  answerDeadlineWorkingDays: z.number().int().min(1).max(60),
  /** Unexcused absences within 12 months that get a member flagged (the Charter says 3). */
  absenceLimit: z.number().int().min(1).max(12),
  /** Days before a probationary member's 12 months end that the secretary is reminded. */
  probationNoticeDays: z.number().int().min(1).max(90),
  /** When the daily checks (absences, probation, meetings not held) run. */
  dailyAt: Time,
  /**
   * The night hours when members hear only of a meeting moved to another day (and answers to what
   * they write); the rest waits until `to`. null: no quiet hours. See quietHours.ts.
   */
  quietHours: z.object({ from: Time, to: Time }).refine((q) => q.from !== q.to, { message: "from and to must differ" }).nullable(),
});

export type ScheduleSettings = z.infer<typeof ScheduleSettingsSchema>;
export type ReminderOffset = z.infer<typeof ReminderOffset>;

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  reminders: [{ daysBefore: 3, at: "08:00" }, { hoursBefore: 2 }],
  nudge: { daysBefore: 1, at: "08:00" },
  afterMeetingHours: 3,
  digest: { weekday: 1, at: "07:30" },
  answerDeadlineWorkingDays: 10,
  absenceLimit: 3,
  probationNoticeDays: 30,
  dailyAt: "07:00",
  quietHours: DEFAULT_QUIET_HOURS,
};

/** A stable name for an offset, part of each reminder's slot ("d3@0800", "h2"). */
export const offsetKey = (offset: ReminderOffset) => ("daysBefore" in offset ? `d${offset.daysBefore}@${offset.at.replace(":", "")}` : `h${offset.hoursBefore}`);

/**
 * A change to an organization's settings: `patch` is merged over the ones that apply there and the
 * result must validate, or the change is refused naming the first field that is wrong.
 */
export function checkScheduleSettings(patch: unknown, current: ScheduleSettings): ScheduleSettings {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new DomainError("org:scheduleSettingsNotObject", {}, "Schedule settings must be a JSON object");
  }
  const unknownKeys = Object.keys(patch).filter((key) => !(key in DEFAULT_SCHEDULE_SETTINGS));
  if (unknownKeys.length) throw new DomainError("org:scheduleSettingUnknown", { field: unknownKeys[0]! }, `Unknown schedule setting ${unknownKeys[0]}`);
  const result = ScheduleSettingsSchema.safeParse({ ...current, ...patch });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join(".");
    throw new DomainError("org:scheduleSettingInvalid", { field }, `Invalid schedule setting ${field}: ${issue.message}`);
  }
  return result.data;
}
