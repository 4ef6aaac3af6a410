import { formatIsoDate } from "../../domain/localTime.ts";
import { DEFAULT_RETENTION_DAYS, purgeExpired } from "../../services/retention.ts";
import type { Job } from "../scheduler.ts";
import { dailyTimes } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

/** At night, when nothing else runs. */
const PURGE_AT = "03:15";

/**
 * Every night, what is past its retention period is cleared or deleted (services/retention.ts).
 * One slot a day: two schedulers never purge twice, a purge missed while down is caught up once.
 */
export function retentionJob(deps: JobDeps): Job {
  return {
    name: "retention-purge",
    async occurrences(window) {
      return dailyTimes(window, PURGE_AT).map(({ day, at }) => ({
        slot: formatIsoDate(day),
        dueAt: at,
        mergeKey: "retention",
        run: async (now) => {
          await purgeExpired(deps.db, now, deps.retention ?? DEFAULT_RETENTION_DAYS, deps.feedback.photos);
          // A member list checked in the console but never confirmed holds personal data: gone after its 30 minutes.
          await deps.services.memberImportUploads.sweep(now);
          return [];
        },
      }));
    },
  };
}
