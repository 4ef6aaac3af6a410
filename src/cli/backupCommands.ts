import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { audit, CLI_ACTOR } from "../services/audit.ts";
import { backupDatabase, restoreDatabase } from "../storage/backup.ts";
import { sqlitePathFromUrl } from "../storage/sqliteFile.ts";
import type { CliContext } from "./context.ts";

/** The database the commands copy from and restore to, as configured. */
export interface BackupTarget {
  databaseUrl: string;
  busyTimeoutMs: number;
}

export function registerBackupCommands(program: Command, ctx: CliContext, database: BackupTarget): void {
  const { t } = ctx;

  program.command("backup").argument("<file>", t("cli:argBackupFile")).description(t("cli:backupDescription"))
    .option("--force", t("cli:optBackupForce"))
    .action(async (file: string, o: { force?: boolean }) => {
      const source = sqlitePathFromUrl(database.databaseUrl);
      const target = path.resolve(file);
      // A copy of every member's data: logged before it is made, as every read of personal data is.
      if (fs.existsSync(source)) {
        const { db } = await ctx.services();
        const detail = JSON.stringify({ file: path.basename(target) });
        await audit(db, ctx.clock.now(), { actor: CLI_ACTOR, action: "export", subjectType: "Database", detail });
      }
      const bytes = await backupDatabase({ source, target, force: o.force ?? false, busyTimeoutMs: database.busyTimeoutMs });
      ctx.out(t("cli:backupDone", { file: target, size: megabytes(bytes) }));
      ctx.out(t("cli:backupKeepSafe"));
    });

  program.command("restore").argument("<file>", t("cli:argRestoreFile")).description(t("cli:restoreDescription"))
    .action((file: string) => {
      const target = sqlitePathFromUrl(database.databaseUrl);
      const report = restoreDatabase({ backup: path.resolve(file), target, now: ctx.clock.now() });
      ctx.out(t("cli:restoreDone", { file: target, backup: path.resolve(file) }));
      if (report.keptAs) ctx.out(t("cli:restoreKept", { file: report.keptAs }));
      if (report.pendingMigrations > 0) ctx.out(t("cli:restorePending", { count: report.pendingMigrations }));
      ctx.out(t("cli:restoreNext"));
    });
}

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}
