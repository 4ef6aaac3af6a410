import type { Command } from "commander";
import { CLI_ACTOR } from "../services/audit.ts";
import { DEMO_COMMUNE, DEMO_DISTRICT } from "../services/demoData.ts";
import type { CliContext } from "./context.ts";

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  program.command("demo").description(t("cli:demoDescription"))
    .option("--json", t("cli:optDemoJson"))
    .action(async (o: { json?: boolean }) => {
      const { demo } = await ctx.services();
      const { created, members } = await demo.load(ctx.clock.now(), CLI_ACTOR);
      if (o.json) {
        ctx.out(JSON.stringify(members, null, 2));
        return;
      }
      ctx.out(t(created ? "cli:demoCreated" : "cli:demoExists", { district: DEMO_DISTRICT.name, commune: DEMO_COMMUNE.name, count: members.length }));
      for (const m of members.filter((x) => x.roles.some((r) => r !== "member"))) {
        const roles = m.roles.filter((r) => r !== "member").map((r) => t(`common:role_${r}`)).join(", ");
        ctx.out(`  ${m.fullName} — ${roles}, ${m.cell}: ${m.inviteCode}`);
      }
      ctx.out(t("cli:demoNext", { code: DEMO_DISTRICT.code }));
    });
}
