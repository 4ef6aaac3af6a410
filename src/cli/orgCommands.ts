import type { Command } from "commander";
import { DomainError } from "../domain/errors.ts";
import type { MeetingRule } from "../domain/schedule.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";

interface RuleOptions {
  day?: string;
  weekday?: string;
  nth?: string;
  time?: string;
  place?: string;
  shiftOffDays?: boolean;
}

/** --day 7, or --weekday 4 --nth 1; with --time HH:MM. */
function ruleFromOptions(o: RuleOptions): (MeetingRule & { place?: string; shiftOffDays?: boolean }) | undefined {
  if (o.day === undefined && o.weekday === undefined && o.nth === undefined) {
    if (o.time !== undefined) throw new DomainError("cli:ruleNeedsDay");
    return undefined;
  }
  const base = { time: o.time ?? "", place: o.place, shiftOffDays: o.shiftOffDays ?? false };
  return o.day !== undefined
    ? { ...base, dayOfMonth: intOption("--day", o.day), ...(o.weekday !== undefined ? { weekday: intOption("--weekday", o.weekday) } : {}) }
    : { ...base, weekday: intOption("--weekday", o.weekday ?? ""), nth: intOption("--nth", o.nth ?? "") };
}

function withRuleOptions(command: Command, t: CliContext["t"]): Command {
  return command
    .option("--day <n>", t("cli:optDay"))
    .option("--weekday <1-7>", t("cli:optWeekday"))
    .option("--nth <n>", t("cli:optNth"))
    .option("--time <HH:MM>", t("cli:optTime"))
    .option("--place <text>", t("cli:optPlace"))
    .option("--shift-off-days", t("cli:optShiftOffDays"));
}

export function registerOrgCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const org = program.command("org").description(t("cli:orgDescription"));

  org.command("add-district").argument("<name>", t("cli:argName")).description(t("cli:addDistrictDescription"))
    .option("--code <code>", t("cli:optCode"))
    .option("--max-postpone-days <n>", t("cli:optMaxPostponeDays"))
    .action(async (name: string, o: { code?: string; maxPostponeDays?: string }) => {
      const { organizations } = await ctx.services();
      const created = await organizations.add({ level: "district", name, code: o.code, maxPostponeDays: o.maxPostponeDays === undefined ? undefined : intOption("--max-postpone-days", o.maxPostponeDays) });
      ctx.out(t("cli:orgCreated", { name: created.name, code: created.code }));
    });

  org.command("add-base").argument("<name>", t("cli:argName")).description(t("cli:addBaseDescription"))
    .requiredOption("--parent <code>", t("cli:optParent"))
    .option("--code <code>", t("cli:optCode"))
    .action(async (name: string, o: { parent: string; code?: string }) => {
      const { organizations } = await ctx.services();
      const created = await organizations.add({ level: "base", name, code: o.code, parentCode: o.parent });
      ctx.out(t("cli:orgCreated", { name: created.name, code: created.code }));
    });

  withRuleOptions(org.command("add-cell").argument("<name>", t("cli:argName")).description(t("cli:addCellDescription"))
    .requiredOption("--parent <code>", t("cli:optParent"))
    .requiredOption("--kind <kind>", t("cli:optKind"))
    .option("--code <code>", t("cli:optCode")), t)
    .action(async (name: string, o: RuleOptions & { parent: string; kind: string; code?: string }) => {
      const { organizations } = await ctx.services();
      const created = await organizations.add({ level: "cell", name, code: o.code, parentCode: o.parent, cellKind: o.kind, rule: ruleFromOptions(o) });
      ctx.out(t("cli:orgCreated", { name: created.name, code: created.code }));
    });

  withRuleOptions(org.command("set-rule").argument("<cell-code>", t("cli:argCellCode")).description(t("cli:setRuleDescription")), t)
    .action(async (code: string, o: RuleOptions) => {
      const rule = ruleFromOptions(o);
      if (!rule) throw new DomainError("cli:ruleNeedsDay");
      const { organizations } = await ctx.services();
      await organizations.setMeetingRule(code, rule);
      ctx.out(t("cli:ruleSet", { code }));
    });

  org.command("set-postpone-limit").argument("<district-code>", t("cli:argOrgCode")).argument("<days>", t("cli:argDays"))
    .description(t("cli:setPostponeLimitDescription"))
    .action(async (code: string, days: string) => {
      const { organizations } = await ctx.services();
      await organizations.setPostponeLimit(code, intOption("<days>", days));
      ctx.out(t("cli:postponeLimitSet", { code, days }));
    });

  org.command("schedule").argument("<district-code>", t("cli:argOrgCode")).argument("[settings-json]", t("cli:argScheduleJson"))
    .description(t("cli:scheduleDescription"))
    .action(async (code: string, json: string | undefined) => {
      const { organizations } = await ctx.services();
      if (json === undefined) {
        ctx.out(JSON.stringify(await organizations.scheduleSettings(code), null, 2));
        return;
      }
      let patch: unknown;
      try {
        patch = JSON.parse(json);
      } catch {
        throw new DomainError("org:scheduleSettingsNotObject");
      }
      const settings = await organizations.setScheduleSettings(code, patch);
      ctx.out(t("cli:scheduleSet", { code }));
      ctx.out(JSON.stringify(settings, null, 2));
    });

  org.command("add-holiday").argument("<org-code>", t("cli:argOrgCode")).argument("<date>", t("cli:argDate")).argument("<name>", t("cli:argHolidayName"))
    .description(t("cli:addHolidayDescription"))
    .action(async (code: string, date: string, name: string) => {
      const { organizations } = await ctx.services();
      await organizations.addHoliday(code, date, name);
      ctx.out(t("cli:holidayAdded", { code, date, name }));
    });

  org.command("tree").argument("[org-code]", t("cli:argOrgCode")).description(t("cli:treeDescription"))
    .action(async (code?: string) => {
      const { organizations } = await ctx.services();
      const entries = await organizations.tree(code);
      if (entries.length === 0) ctx.out(t("cli:treeEmpty"));
      for (const { org: o, depth } of entries) {
        const kind = o.cellKind ? ` (${t(`common:cellKind_${o.cellKind}`)})` : "";
        ctx.out(`${"  ".repeat(Math.max(depth, 0))}${o.name}${kind}  [${o.code}]`);
      }
    });
}
