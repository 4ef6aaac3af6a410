import type { Command } from "commander";
import { DomainError } from "../domain/errors.ts";
import type { MeetingRule } from "../domain/schedule.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";
import { registerOrgSettingsCommands } from "./orgSettingsCommands.ts";

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

  org.command("add-province").argument("<name>", t("cli:argName")).description(t("cli:addProvinceDescription"))
    .option("--code <code>", t("cli:optCode"))
    .option("--kind <kind>", t("cli:optProvinceKind"))
    .option("--max-postpone-days <n>", t("cli:optMaxPostponeDays"))
    .action(async (name: string, o: { code?: string; kind?: string; maxPostponeDays?: string }) => {
      const { organizations } = await ctx.services();
      const maxPostponeDays = o.maxPostponeDays === undefined ? undefined : intOption("--max-postpone-days", o.maxPostponeDays);
      const created = await organizations.add({ level: "province", name, code: o.code, unitKind: o.kind, maxPostponeDays });
      ctx.out(t("cli:orgCreated", { name: created.name, code: created.code }));
    });

  org.command("add-base").argument("<name>", t("cli:argName")).description(t("cli:addBaseDescription"))
    .option("--parent <code>", t("cli:optParentBase"))
    .option("--kind <kind>", t("cli:optBaseKind"))
    .option("--code <code>", t("cli:optCode"))
    .option("--max-postpone-days <n>", t("cli:optMaxPostponeDays"))
    .action(async (name: string, o: { parent?: string; kind?: string; code?: string; maxPostponeDays?: string }) => {
      const { organizations } = await ctx.services();
      const maxPostponeDays = o.maxPostponeDays === undefined ? undefined : intOption("--max-postpone-days", o.maxPostponeDays);
      const created = await organizations.add({ level: "base", name, code: o.code, parentCode: o.parent, unitKind: o.kind, maxPostponeDays });
      ctx.out(t("cli:orgCreated", { name: created.name, code: created.code }));
    });

  org.command("add-sub-branch").argument("<name>", t("cli:argName")).description(t("cli:addSubBranchDescription"))
    .requiredOption("--parent <code>", t("cli:optParent"))
    .option("--code <code>", t("cli:optCode"))
    .action(async (name: string, o: { parent: string; code?: string }) => {
      const { organizations } = await ctx.services();
      const created = await organizations.add({ level: "sub_branch", name, code: o.code, parentCode: o.parent });
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

  org.command("rename").argument("<org-code>", t("cli:argOrgCode")).argument("<name>", t("cli:argName")).description(t("cli:renameDescription"))
    .action(async (code: string, name: string) => {
      const { organizations } = await ctx.services();
      const renamed = await organizations.rename(code, name);
      ctx.out(t("cli:orgRenamed", { name: renamed.name, code: renamed.code }));
    });

  org.command("set-kind").argument("<org-code>", t("cli:argOrgCode")).argument("<kind>", t("cli:argUnitKind")).description(t("cli:setKindDescription"))
    .action(async (code: string, kind: string) => {
      const { organizations } = await ctx.services();
      const changed = await organizations.setUnitKind(code, kind);
      ctx.out(t("cli:kindSet", { name: changed.name, kind: t(`common:unitKind_${changed.unitKind}`) }));
    });

  registerOrgSettingsCommands(org, ctx);

  org.command("tree").argument("[org-code]", t("cli:argOrgCode")).description(t("cli:treeDescription"))
    .action(async (code?: string) => {
      const { organizations } = await ctx.services();
      const entries = await organizations.tree(code);
      if (entries.length === 0) ctx.out(t("cli:treeEmpty"));
      for (const { org: o, depth } of entries) {
        const kind = o.cellKind ? t(`common:cellKind_${o.cellKind}`) : o.unitKind ? t(`common:unitKind_${o.unitKind}`) : t(`common:level_${o.level}`);
        ctx.out(`${"  ".repeat(Math.max(depth, 0))}${o.name} (${kind})  [${o.code}]`);
      }
    });
}
