import fs from "node:fs";
import type { Command } from "commander";
import type { TFunction } from "i18next";
import { exportLines } from "../core/features/myDataText.ts";
import { DomainError } from "../domain/errors.ts";
import { formatDisplayDateTime } from "../domain/localTime.ts";
import { cleanText } from "../domain/text.ts";
import { memberListTemplate } from "../importing/template.ts";
import { CLI_ACTOR } from "../services/audit.ts";
import { erasedName, type ErasureReport } from "../services/memberErase.ts";
import type { LeavingMember } from "../services/memberImport.ts";
import type { CliContext } from "./context.ts";
import { intOption } from "./options.ts";

export function registerMemberCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const members = program.command("members").description(t("cli:membersDescription"));

  members.command("import").argument("<file>", t("cli:argFile")).description(t("cli:importDescription"))
    .requiredOption("--org <code>", t("cli:optOrg"))
    .option("--dry-run", t("cli:optDryRun"))
    .option("--allow-deactivate", t("member:optAllowDeactivate"))
    .action(async (file: string, o: { org: string; dryRun?: boolean; allowDeactivate?: boolean }) => {
      const { memberImport } = await ctx.services();
      const report = await memberImport.importFile({
        filePath: file, orgCode: o.org, dryRun: o.dryRun ?? false, now: ctx.clock.now(), actor: CLI_ACTOR, allowDeactivate: o.allowDeactivate ?? false,
      });
      for (const p of report.problems) {
        ctx.out(t("cli:importProblem", { line: p.line, field: t(`import:field_${p.field}`, { defaultValue: p.field }), message: t(p.code, p.params) }));
      }
      if (report.problems.length > 0) {
        ctx.out(t("cli:importRefused", { count: report.problems.length }));
        ctx.exitCode = 1;
        return;
      }
      const tooMany = t("member:importTooManyLeaving", { count: report.deactivated.length, active: report.activeInCells });
      if (!report.ok) {
        // Every member it would deactivate is named, so the operator sees whether the file is the right one.
        printLeaving(ctx, "member:importDeactivatePreview", report.deactivated);
        ctx.out(`${tooMany} ${t("member:importRefusedDeactivate")}`);
        ctx.exitCode = 1;
        return;
      }
      ctx.out(t(report.dryRun ? "cli:importDryRunOk" : "cli:importDone", { created: report.created, updated: report.updated, unchanged: report.unchanged }));
      printLeaving(ctx, report.dryRun ? "member:importDeactivatePreview" : "member:importDeactivated", report.deactivated);
      if (report.dryRun && report.needsAllowDeactivate && !o.allowDeactivate) ctx.out(`${tooMany} ${t("member:importNeedsAllow")}`);
      if (report.reactivated > 0) ctx.out(t("member:importReactivated", { count: report.reactivated }));
    });

  members.command("list").description(t("cli:listMembersDescription"))
    .requiredOption("--org <code>", t("cli:optOrg"))
    .action(async (o: { org: string }) => {
      const { members: service, organizations } = await ctx.services();
      const list = await service.list(organizations, o.org, ctx.clock.now(), CLI_ACTOR);
      for (const m of list) {
        const roles = m.roles.filter((r) => r.role !== "member").map((r) => t(`common:role_${r.role}`)).join(", ");
        const linked = m.identities.map((i) => i.channel).join(", ") || "-";
        const state = m.erasedAt ? `  [${t("member:listErased")}]` : m.deactivatedAt ? `  [${t("member:listDeactivated")}]` : "";
        // Rows stored before names were cleaned on import may still hold terminal escapes.
        ctx.out(`#${m.id}  ${cleanText(m.fullName)}  ${m.phone ?? "-"}  ${cleanText(m.cell.name)}  ${t(`common:status_${m.status}`)}${roles ? `  ${roles}` : ""}  ${t("cli:linked", { channels: linked })}${state}`);
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

  members.command("erase").argument("<member>", t("cli:argMember")).description(t("member:eraseDescription"))
    .option("--yes", t("member:optYes"))
    .action(async (reference: string, o: { yes?: boolean }) => {
      const { members: service } = await ctx.services();
      const confirmed = o.yes ?? false;
      const { member, report } = await service.erase(reference, { confirmed, now: ctx.clock.now(), actor: CLI_ACTOR });
      const request = member.eraseRequestedAt
        ? t("member:eraseRequestedAt", { at: formatDisplayDateTime(member.eraseRequestedAt) })
        : t("member:eraseNotRequested");
      ctx.out(t("member:eraseWho", { id: member.id, name: cleanText(member.fullName), cell: cleanText(member.cellName), request }));
      printErasure(ctx, confirmed ? "member:eraseDoneHeader" : "member:erasePreviewHeader", report);
      if (!confirmed) {
        ctx.out(t("member:eraseNeedsYes"));
        ctx.exitCode = 1;
      }
    });

  members.command("export").argument("<member>", t("cli:argMember")).description(t("member:exportDescription"))
    .requiredOption("--out <file>", t("member:optOut"))
    .action(async (reference: string, o: { out: string }) => {
      const { members: service, memberData } = await ctx.services();
      const member = await service.find(reference);
      const data = await memberData.exportFor(member.id, ctx.clock.now(), CLI_ACTOR);
      const text = `${exportLines(ctx.t, data, true).join("\n")}\n`;
      try {
        // Readable by chibo's user only, and never over a file someone already has.
        fs.writeFileSync(o.out, text, { mode: 0o600, flag: "wx" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === "EEXIST"
          ? new DomainError("member:exportFileExists", { file: o.out })
          : new DomainError("member:exportFileUnwritable", { file: o.out, reason: code ?? String(error) });
      }
      ctx.out(t("member:exportWritten", { name: cleanText(member.fullName), id: member.id, file: o.out }));
    });

  members.command("template").argument("<file>", t("cli:argTemplateFile")).description(t("cli:templateDescription"))
    .option("--org <code>", t("cli:optTemplateOrg"))
    .option("--force", t("cli:optTemplateForce"))
    .action(async (file: string, o: { org?: string; force?: boolean }) => {
      // The cells of the organization, when given, so "Chi bộ" offers their exact names.
      const organizations = o.org ? (await ctx.services()).organizations : undefined;
      const organization = o.org ? await organizations?.findByCode(o.org) : undefined;
      const cells = o.org ? await organizations?.cellsUnder(o.org) : undefined;
      // The headers and positions are the importer's words: Vietnamese whatever the reader's language.
      const headerT = ((key: string) => t(key, { lng: "vi" })) as TFunction;
      const bytes = await memberListTemplate({ t, headerT, cells, organizationName: organization?.name });
      try {
        fs.writeFileSync(file, bytes, { flag: o.force ? "w" : "wx" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === "EEXIST"
          ? new DomainError("cli:templateFileExists", { file })
          : new DomainError("member:exportFileUnwritable", { file, reason: code ?? String(error) });
      }
      ctx.out(t("cli:templateWritten", { file }));
      if (organization && cells) ctx.out(t("cli:templateCells", { count: cells.length, name: organization.name }));
      ctx.out(t("cli:templateNext", { file, org: o.org ?? t("cli:templateOrgPlaceholder") }));
    });

  program.command("invite").argument("<member>", t("cli:argMember")).description(t("cli:inviteDescription"))
    .option("--ttl-days <n>", t("cli:optTtlDays"))
    .action(async (reference: string, o: { ttlDays?: string }) => {
      const { members: service, invites } = await ctx.services();
      const member = await service.findActive(reference);
      const ttl = o.ttlDays === undefined ? undefined : intOption("--ttl-days", o.ttlDays);
      const invite = await invites.issue(member.id, ctx.clock.now(), CLI_ACTOR, ttl);
      ctx.out(t("cli:inviteIssued", { name: member.fullName, code: invite.code, expires: invite.expiresAt.toISOString().slice(0, 10) }));
    });
}

function printLeaving(ctx: CliContext, heading: string, leaving: LeavingMember[]): void {
  if (leaving.length === 0) return;
  ctx.out(ctx.t(heading, { count: leaving.length }));
  for (const m of leaving) ctx.out(ctx.t("member:importLeavingLine", { id: m.id, name: cleanText(m.fullName), cell: cleanText(m.cellName) }));
}

/** What an erasure removes and keeps, and why each kept thing stays. */
function printErasure(ctx: CliContext, heading: string, report: ErasureReport): void {
  const { t } = ctx;
  const { removed, kept } = report;
  const name = erasedName(report.memberId);
  ctx.out(t(heading));
  for (const [key, count] of Object.entries(removed)) ctx.out(t(`member:eraseRemoved${key[0]!.toUpperCase()}${key.slice(1)}`, { count }));
  ctx.out(t("member:eraseRemovedRecord", { name }));
  ctx.out(t("member:eraseKeptHeader"));
  ctx.out(t("member:eraseKeptAttendance", { count: kept.attendanceAnswers }));
  ctx.out(t("member:eraseKeptFeedback", { count: kept.feedbackItems }));
  ctx.out(t("member:eraseKeptNotices", { count: kept.noticeDeliveries }));
  ctx.out(t("member:eraseKeptRow", { name }));
  ctx.out(t("member:eraseKeptAudit", { count: kept.auditRows }));
  ctx.out(t("member:eraseKeptOutside"));
}
