import type { Command } from "commander";
import { formatDisplayDateTime } from "../domain/localTime.ts";
import { pagesBaseUrl } from "../http/baseUrl.ts";
import { CLI_ACTOR } from "../services/audit.ts";
import { ConsoleMemberInactive } from "../services/consoleSessions.ts";
import type { CliContext } from "./context.ts";

/** `console link` for the first operator (no chat needed) and `console admin` to give the role. */
export function registerConsoleCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const console = program.command("console").description(t("console:cliDescription"));

  console.command("link").argument("<member>", t("cli:argMember")).description(t("console:cliLinkDescription"))
    .action(async (reference: string) => {
      const { members, consoleSessions } = await ctx.services();
      const member = await members.findActive(reference);
      try {
        const { token, expiresAt } = await consoleSessions.issueLink(member.id, "cli", ctx.clock.now(), CLI_ACTOR);
        const base = pagesBaseUrl(ctx.config.PUBLIC_URL, ctx.config.HOST, ctx.config.PORT);
        ctx.out(t("console:cliLink", { name: member.fullName, until: formatDisplayDateTime(expiresAt), url: `${base}/console/signin/${token}` }));
        if (!ctx.config.PUBLIC_URL) ctx.out(t("console:cliLinkLocal"));
      } catch (error) {
        if (!(error instanceof ConsoleMemberInactive)) throw error;
        ctx.out(t("console:cliMemberInactive"));
        ctx.exitCode = 1;
      }
    });

  console.command("admin").argument("<member>", t("cli:argMember")).argument("<org-code>", t("cli:argOrgCode")).description(t("console:cliAdminDescription"))
    .option("--remove", t("console:cliOptRemove"))
    .action(async (reference: string, code: string, o: { remove?: boolean }) => {
      const { members, organizations, roles } = await ctx.services();
      const member = await members.find(reference);
      const org = await organizations.findByCode(code);
      const params = { name: member.fullName, org: org.name, code: org.code };
      if (o.remove) {
        const removed = await roles.revoke(member.id, org.id, "administrator", ctx.clock.now(), CLI_ACTOR);
        ctx.out(t(removed ? "console:cliAdminRemoved" : "console:cliAdminNotHeld", params));
        return;
      }
      const granted = await roles.grant(member.id, org.id, "administrator", ctx.clock.now(), CLI_ACTOR);
      ctx.out(t(granted ? "console:cliAdminGranted" : "console:cliAdminHad", params));
    });
}
