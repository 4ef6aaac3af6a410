import type { TFunction } from "i18next";
import { isDomainError } from "../../domain/errors.ts";
import { parseRuleText } from "../../domain/ruleText.ts";
import type { MeetingRule } from "../../domain/schedule.ts";
import { cleanText } from "../../domain/text.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { isLeader, ledCells } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";

/**
 * The secretary's own cell only: /datlich sets the regular rule (day, time, place), /noidung the
 * agenda of the next meeting, /diadiem its place when it differs from the usual one.
 */
export const meetingSetupFeature: Feature = {
  name: "meetingSetup",
  commands: ["datlich", "noidung", "diadiem"],
  allowed: (roles) => isLeader(roles),
  async handle(deps, conversation, input) {
    const { t, roles } = conversation;
    const cellId = ledCells(roles)[0]!;
    const args = cleanText(input.args ?? "");
    try {
      if (input.command === "datlich") return await setRule(deps, conversation, cellId, args);
      if (!args) {
        await conversation.reply({ text: t(input.command === "noidung" ? "meetingSetup:agendaUsage" : "meetingSetup:placeUsage") });
        return;
      }
      const set = input.command === "noidung" ? { agenda: args } : { place: args };
      const { startsAt } = await deps.services.meetingSetup.setNextMeeting({ cellId, roles, set, now: deps.clock.now() });
      const when = formatMeetingTime(t, startsAt);
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

async function setRule(deps: CoreDeps, conversation: Conversation, cellId: number, args: string): Promise<void> {
  const { t, roles } = conversation;
  if (!args) {
    const { cell, rule, place } = await deps.services.meetingSetup.currentRule({ cellId, roles });
    const now = rule ? describeRule(t, rule, place) : t("meetingSetup:noRule");
    await conversation.reply({ text: [t("meetingSetup:current", { cell: cell.name, rule: now }), t("meetingSetup:ruleUsage")].join("\n\n") });
    return;
  }
  const typed = parseRuleText(args);
  const { cell, rule, place, next } = await deps.services.meetingSetup.setRule({ cellId, roles, ...typed, now: deps.clock.now() });
  await conversation.reply({
    text: [t("meetingSetup:ruleSet", { cell: cell.name, rule: describeRule(t, rule, place) }), ...(next ? [t("meetingSetup:nextIs", { when: formatMeetingTime(t, next.startsAt) })] : [])].join("\n"),
  });
}
