import type { Command } from "commander";
import { DomainError } from "../domain/errors.ts";
import { fromLocal, isRealDate } from "../domain/localTime.ts";
import type { CliContext } from "./context.ts";
import { formatMeetingTime } from "../formatTime.ts";
import { parseLocalDateTime } from "./format.ts";
import { intOption } from "./options.ts";

export function registerMeetingCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const meetings = program.command("meetings").description(t("cli:meetingsDescription"));

  meetings.command("upcoming").argument("<org-code>", t("cli:argOrgCode")).description(t("cli:upcomingDescription"))
    .option("--count <n>", t("cli:optCount"), "1")
    .option("--json", t("cli:optJson"))
    .action(async (code: string, o: { count: string; json?: boolean }) => {
      const { meetings: service } = await ctx.services();
      const { meetings: list, withoutRule } = await service.upcoming(code, { from: ctx.clock.now(), count: intOption("--count", o.count) });
      if (o.json) {
        ctx.out(JSON.stringify({
          meetings: list.map((m) => ({ cell: m.cell.name, cellCode: m.cell.code, scheduledAt: m.scheduledAt.toISOString(), startsAt: m.startsAt.toISOString(), place: m.place, postponeReason: m.postponeReason })),
          cellsWithoutRule: withoutRule.map((c) => c.code),
        }, null, 2));
        return;
      }
      if (list.length === 0 && withoutRule.length === 0) ctx.out(t("cli:noCells"));
      for (const m of list) {
        ctx.out(`${formatMeetingTime(t, m.startsAt)}  ${m.cell.name}${m.place ? ` — ${m.place}` : ""}`);
        if (m.postponeReason) ctx.out(`    ${t("cli:postponedFrom", { from: formatMeetingTime(t, m.scheduledAt), reason: m.postponeReason })}`);
      }
      for (const c of withoutRule) ctx.out(t("cli:cellWithoutRule", { name: c.name, code: c.code }));
    });

  meetings.command("postpone").argument("<cell-code>", t("cli:argCellCode")).description(t("cli:postponeDescription"))
    .requiredOption("--to <datetime>", t("cli:optTo"))
    .requiredOption("--reason <text>", t("cli:optReason"))
    .option("--date <YYYY-MM-DD>", t("cli:optRegularDate"))
    .action(async (code: string, o: { to: string; reason: string; date?: string }) => {
      const local = parseLocalDateTime(o.to);
      if (!local || !isRealDate(local) || local.hour > 23 || local.minute > 59) throw new DomainError("cli:invalidDateTime", { value: o.to });
      const { meetings: service } = await ctx.services();
      const result = await service.postpone({ cellCode: code, regularDate: o.date, newStart: fromLocal(local), reason: o.reason, now: ctx.clock.now() });
      ctx.out(t("cli:postponed", {
        name: result.cell.name,
        from: formatMeetingTime(t, result.meeting.scheduledAt),
        to: formatMeetingTime(t, result.meeting.postponedTo ?? result.meeting.scheduledAt),
        reason: result.meeting.postponeReason,
      }));
      if (result.superior) ctx.out(t("cli:superiorToInform", { name: result.superior.name }));
    });
}
