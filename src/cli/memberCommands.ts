import type { Command } from "commander";
import { cleanText } from "../domain/text.ts";
import { CLI_ACTOR } from "../services/audit.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";

export function registerMemberCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const members = program.command("members").description(t("cli:membersDescription"));

  members.command("import").argument("<file>", t("cli:argFile")).description(t("cli:importDescription"))
    .requiredOption("--org <code>", t("cli:optOrg"))
    .option("--dry-run", t("cli:optDryRun"))
    .action(async (file: string, o: { org: string; dryRun?: boolean }) => {
      const { memberImport } = await ctx.services();
      const report = await memberImport.importFile({ filePath: file, orgCode: o.org, dryRun: o.dryRun ?? false, now: ctx.clock.now(), actor: CLI_ACTOR });
      for (const p of report.problems) {
        ctx.out(t("cli:importProblem", { line: p.line, field: t(`import:field_${p.field}`, { defaultValue: p.field }), message: t(p.code, p.params) }));
      }
      if (!report.ok) {
        ctx.out(t("cli:importRefused", { count: report.problems.length }));
        ctx.exitCode = 1;
        return;
      }
      ctx.out(t(report.dryRun ? "cli:importDryRunOk" : "cli:importDone", { created: report.created, updated: report.updated, unchanged: report.unchanged }));
    });

  members.command("list").description(t("cli:listMembersDescription"))
    .requiredOption("--org <code>", t("cli:optOrg"))
    .action(async (o: { org: string }) => {
      const { members: service, organizations } = await ctx.services();
      const list = await service.list(organizations, o.org, ctx.clock.now(), CLI_ACTOR);
      for (const m of list) {
        const roles = m.roles.filter((r) => r.role !== "member").map((r) => t(`common:role_${r.role}`)).join(", ");
        const linked = m.identities.map((i) => i.channel).join(", ") || "-";
        // Rows stored before names were cleaned on import may still hold terminal escapes.
        ctx.out(`#${m.id}  ${cleanText(m.fullName)}  ${m.phone ?? "-"}  ${cleanText(m.cell.name)}  ${t(`common:status_${m.status}`)}${roles ? `  ${roles}` : ""}  ${t("cli:linked", { channels: linked })}`);
      }
      ctx.out(t("cli:memberCount", { count: list.length }));
    });

  members.command("exempt").argument("<member>", t("cli:argMember")).description(t("cli:exemptDescription"))
    .option("--kind <exempt|temporary>", t("cli:optExemptionKind"), "temporary")
    .option("--reason <text>", t("cli:optExemptionReason"))
    .option("--from <YYYY-MM-DD>", t("cli:optExemptionFrom"))
    .option("--until <YYYY-MM-DD>", t("cli:optExemptionUntil"))
    .option("--clear", t("cli:optExemptionClear"))
    .action(async (reference: string, o: { kind: string; reason?: string; from?: string; until?: string; clear?: boolean }) => {
      const { members: service } = await ctx.services();
      const member = await service.setExemption(reference, o.clear ? "clear" : o, ctx.clock.now(), CLI_ACTOR);
      ctx.out(member.exemption === "none"
        ? t("cli:exemptionCleared", { name: member.fullName })
        : t("cli:exemptionSet", { name: member.fullName, kind: t(`common:exemption_${member.exemption}`), from: member.exemptionFrom, until: member.exemptionUntil ?? "—", reason: member.exemptionReason }));
    });

  program.command("invite").argument("<member>", t("cli:argMember")).description(t("cli:inviteDescription"))
    .option("--ttl-days <n>", t("cli:optTtlDays"))
    .action(async (reference: string, o: { ttlDays?: string }) => {
      const { members: service, invites } = await ctx.services();
      const member = await service.find(reference);
      const ttl = o.ttlDays === undefined ? undefined : intOption("--ttl-days", o.ttlDays);
      const invite = await invites.issue(member.id, ctx.clock.now(), CLI_ACTOR, ttl);
      ctx.out(t("cli:inviteIssued", { name: member.fullName, code: invite.code, expires: invite.expiresAt.toISOString().slice(0, 10) }));
    });
}
