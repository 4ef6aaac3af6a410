import type { Command } from "commander";
import { CLI_ACTOR } from "../services/audit.ts";
import { DEMO_COMMUNE, DEMO_LARGE_COMMUNE, DEMO_PROVINCE } from "../services/demoData.ts";
import type { CliContext } from "./context.ts";

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  program.command("demo").description(t("cli:demoDescription"))
    .option("--json", t("cli:optDemoJson"))
    .option("--large", t("cli:optDemoLarge"))
    .action(async (o: { json?: boolean; large?: boolean }) => {
      const { demo } = await ctx.services();
      if (o.large) {
        const large = await demo.loadLarge(ctx.clock.now(), CLI_ACTOR);
        if (o.json) {
          ctx.out(JSON.stringify({ ...large, commune: { code: large.commune.code, name: large.commune.name } }, null, 2));
          return;
        }
        ctx.out(t(large.created ? "cli:demoLargeCreated" : "cli:demoLargeExists", { province: DEMO_PROVINCE.name, commune: DEMO_LARGE_COMMUNE.name }));
        ctx.out(t("cli:demoLargeCounts", large));
        ctx.out(t("cli:demoLargeNext", { code: DEMO_LARGE_COMMUNE.code, province: DEMO_PROVINCE.code }));
        return;
      }
      const { created, members } = await demo.load(ctx.clock.now(), CLI_ACTOR);
      if (o.json) {
        ctx.out(JSON.stringify(members, null, 2));
        return;
      }
      ctx.out(t(created ? "cli:demoCreated" : "cli:demoExists", { province: DEMO_PROVINCE.name, commune: DEMO_COMMUNE.name, count: members.length }));
      for (const m of members.filter((x) => x.roles.some((r) => r !== "member"))) {
        const roles = m.roles.filter((r) => r !== "member").map((r) => t(`common:role_${r}`)).join(", ");
        ctx.out(`  ${m.fullName} — ${roles}, ${m.cell}: ${m.inviteCode}`);
      }
      ctx.out(t("cli:demoNext", { code: DEMO_COMMUNE.code }));
    });
}
