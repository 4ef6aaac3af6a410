import type { TFunction } from "i18next";
import { isDomainError } from "../../domain/errors.ts";
import { parseRuleText } from "../../domain/ruleText.ts";
import type { MeetingRule } from "../../domain/schedule.ts";
import { cleanText } from "../../domain/text.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { rowToRule } from "../../services/meetingRules.ts";
import { isLeader, ledCells } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";

const MAX_AGENDA = 1000;
const MAX_PLACE = 200;

/**
 * The secretary's own cell only: /datlich sets the regular rule (day, time, place), /noidung the
 * agenda of the next meeting, /diadiem its place when it differs from the usual one.
 */
export const meetingSetupFeature: Feature = {
  name: "meetingSetup",
  commands: ["datlich", "noidung", "diadiem"],
  allowed: (roles) => isLeader(roles),
  async handle(deps, conversation, input) {
    const { t } = conversation;
    const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: ledCells(conversation.roles)[0]! } });
    const args = cleanText(input.args ?? "");
    try {
      if (input.command === "datlich") return await setRule(deps, conversation, cell, args);
      if (!args) {
        await conversation.reply({ text: t(input.command === "noidung" ? "meetingSetup:agendaUsage" : "meetingSetup:placeUsage") });
        return;
      }
      const max = input.command === "noidung" ? MAX_AGENDA : MAX_PLACE;
      if ([...args].length > max) {
        await conversation.reply({ text: t("meetingSetup:tooLong", { max }) });
        return;
      }
      const ahead = await deps.services.attendance.nextMeeting(cell, deps.clock.now());
      if (!ahead) {
        await conversation.reply({ text: t("chat:noMeetingRule", { cell: cell.name }) });
        return;
      }
      const data = input.command === "noidung" ? { agenda: args } : { place: args };
      await deps.db.meeting.update({ where: { id: ahead.meeting.id }, data });
      const when = formatMeetingTime(t, ahead.startsAt);
      await conversation.reply({ text: t(input.command === "noidung" ? "meetingSetup:agendaSet" : "meetingSetup:placeSet", { when, value: args }) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};

export function describeRule(t: TFunction, rule: MeetingRule, place: string | null): string {
  const day = "dayOfMonth" in rule
    ? t("meetingSetup:ruleDayOfMonth", { day: rule.dayOfMonth })
    : t(rule.nth === -1 ? "meetingSetup:ruleLastWeekday" : "meetingSetup:ruleNthWeekday", { ordinal: t(`meetingSetup:ordinal_${rule.nth}`), weekday: t(`common:weekday_${rule.weekday}`) });
  return t(place ? "meetingSetup:ruleWithPlace" : "meetingSetup:rule", { day, time: rule.time, place });
}

async function setRule(deps: CoreDeps, conversation: Conversation, cell: { id: number; code: string; name: string }, args: string): Promise<void> {
  const { t } = conversation;
  const current = await deps.db.meetingRule.findUnique({ where: { cellId: cell.id } });
  if (!args) {
    const now = current ? describeRule(t, rowToRule(current), current.place) : t("meetingSetup:noRule");
    await conversation.reply({ text: [t("meetingSetup:current", { cell: cell.name, rule: now }), t("meetingSetup:ruleUsage")].join("\n\n") });
    return;
  }
  const { rule, place } = parseRuleText(args);
  if (place && [...place].length > MAX_PLACE) {
    await conversation.reply({ text: t("meetingSetup:tooLong", { max: MAX_PLACE }) });
    return;
  }
  // Keep the usual place when only the day and time change; keep the weekend/holiday setting.
  const keptPlace = place ?? current?.place ?? undefined;
  await deps.services.organizations.setMeetingRule(cell.code, { ...rule, place: keptPlace, shiftOffDays: current?.shiftOffDays ?? false });
  const { meetings } = await deps.services.meetings.upcoming(cell.code, { from: deps.clock.now(), count: 1 });
  const next = meetings[0];
  await conversation.reply({
    text: [t("meetingSetup:ruleSet", { cell: cell.name, rule: describeRule(t, rule, keptPlace ?? null) }), ...(next ? [t("meetingSetup:nextIs", { when: formatMeetingTime(t, next.startsAt) })] : [])].join("\n"),
  });
}
