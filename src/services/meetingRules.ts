import type { MeetingRule } from "../domain/schedule.ts";
import type { MeetingRule as MeetingRuleRow } from "../generated/prisma/client.ts";

/** The stored form of a rule (one row per cell) and back. */
export function ruleToRow(rule: MeetingRule, extra: { place?: string; shiftOffDays?: boolean }) {
  const common = { time: rule.time, place: extra.place?.trim() || null, shiftOffDays: extra.shiftOffDays ?? false };
  return "dayOfMonth" in rule
    ? { kind: "dayOfMonth", dayOfMonth: rule.dayOfMonth, weekday: null, nth: null, ...common }
    : { kind: "nthWeekday", dayOfMonth: null, weekday: rule.weekday, nth: rule.nth, ...common };
}

export function rowToRule(row: MeetingRuleRow): MeetingRule {
  return row.kind === "dayOfMonth"
    ? { dayOfMonth: row.dayOfMonth ?? 0, time: row.time }
    : { weekday: row.weekday ?? 0, nth: row.nth ?? 0, time: row.time };
}
