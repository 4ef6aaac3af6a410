import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config.ts";
import { formatIsoDate } from "../../domain/localTime.ts";
import { audit } from "../../services/audit.ts";
import { backupDatabase, nightlyBackupName, rotateNightlyBackups } from "../../storage/backup.ts";
import { sqlitePathFromUrl } from "../../storage/sqliteFile.ts";
import type { Job } from "../scheduler.ts";
import { dailyTimes } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

/** Where and when the nightly copy goes (BACKUP_DIR, BACKUP_KEEP, BACKUP_TIME). */
export interface NightlyBackupSettings {
  /** The database file chibo uses. */
  databasePath: string;
  folder: string;
  /** How many nightly copies stay; older ones are deleted. */
  keep: number;
  /** Local time of day, "HH:MM". */
  at: string;
}

/** The nightly backup as configured; none without BACKUP_DIR. A relative folder is from where chibo starts. */
export function nightlyBackupSettings(config: Config): NightlyBackupSettings | undefined {
  if (!config.BACKUP_DIR) return undefined;
  return { databasePath: sqlitePathFromUrl(config.DATABASE_URL), folder: path.resolve(config.BACKUP_DIR), keep: config.BACKUP_KEEP, at: config.BACKUP_TIME };
}

/**
 * Every night a consistent copy of the database goes to the backup folder as chibo-<day>.db, and
 * the oldest beyond the number kept are deleted. One slot a day: with several instances on the
 * database only one copies; a night missed while chibo was down is caught up once at start.
 */
export function nightlyBackupJob(deps: JobDeps): Job {
  const settings = deps.backup;
  return {
    name: "nightly-backup",
    async occurrences(window) {
      if (!settings) return [];
      return dailyTimes(window, settings.at).map(({ day, at }) => ({
        slot: formatIsoDate(day),
        dueAt: at,
        mergeKey: "backup",
        run: async (now) => {
          // Made readable by chibo's user only when chibo creates it; an existing folder is the operator's choice.
          fs.mkdirSync(settings.folder, { recursive: true, mode: 0o700 });
          const name = nightlyBackupName(formatIsoDate(day));
          // A copy of the same night already there is one a failed run left: this run replaces it.
          const bytes = await backupDatabase({ source: settings.databasePath, target: path.join(settings.folder, name), force: true });
          const removed = rotateNightlyBackups(settings.folder, settings.keep, now);
          const detail = JSON.stringify({ file: name, bytes, removed });
          await audit(deps.db, now, { actor: { kind: "system" }, action: "export", subjectType: "Database", detail });
          return [];
        },
      }));
    },
  };
}
