import cron from "node-cron";
import type { Logger } from "pino";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";
import { absencesJob } from "./jobs/absences.ts";
import { afterMeetingJob } from "./jobs/afterMeeting.ts";
import { meetingNotHeldJob } from "./jobs/meetingNotHeld.ts";
import { meetingRemindersJob } from "./jobs/meetingReminders.ts";
import { nightlyBackupJob } from "./jobs/nightlyBackup.ts";
import { probationJob } from "./jobs/probation.ts";
import { retentionJob } from "./jobs/retention.ts";
import type { JobDeps } from "./jobs/jobDeps.ts";
import { weeklyDigestJob } from "./jobs/weeklyDigest.ts";
import { createScheduler, type Job } from "./scheduler.ts";

/** Every time-based job chibo runs. */
export function allJobs(deps: JobDeps): Job[] {
  return [meetingRemindersJob(deps), weeklyDigestJob(deps), afterMeetingJob(deps), meetingNotHeldJob(deps), absencesJob(deps), probationJob(deps), retentionJob(deps), nightlyBackupJob(deps)];
}

/**
 * node-cron ticks once a minute in Vietnam time and each tick runs what came due since the last
 * one; the first pass, at start, catches up what was missed while chibo was down (within the window).
 */
export function startScheduling(deps: JobDeps & { clock: Clock; logger: Logger; catchUpMs: number; db: Db }) {
  const scheduler = createScheduler({ db: deps.db, outbox: deps.outbox, jobs: allJobs(deps), clock: deps.clock, logger: deps.logger, catchUpMs: deps.catchUpMs });
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = scheduler.runDue().catch((error: unknown) => deps.logger.error({ err: error }, "scheduler pass failed"));
    return running;
  };
  const task = cron.schedule("* * * * *", pass, { timezone: "Asia/Ho_Chi_Minh", noOverlap: true, name: "chibo-scheduler" });
  void pass();
  return {
    scheduler,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
