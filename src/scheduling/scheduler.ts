import crypto from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";

/** One thing a job should do once: its slot names it for good (a meeting and an offset, a week). */
export interface Occurrence {
  slot: string;
  dueAt: Date;
  /**
   * Occurrences of one job sharing a merge key that are all due at once (after downtime) run as
   * one: only the latest runs; the others are claimed as merged so they never run later.
   */
  mergeKey?: string;
  /** Does the work (queues messages with unique keys); returns how many were queued. */
  run(now: Date): Promise<number>;
}

export interface Job {
  name: string;
  /** The occurrences due in (from, to]. Called with overlapping windows too: claims dedupe. */
  occurrences(window: { from: Date; to: Date }): Promise<Occurrence[]>;
}

export interface SchedulerOptions {
  db: Db;
  jobs: Job[];
  clock: Clock;
  logger: Logger;
  /** How far back slots missed while chibo was down are still caught up (default 24 h). */
  catchUpMs?: number;
  instanceId?: string;
}

export interface RunReport {
  ran: { job: string; slot: string; queued: number }[];
  merged: number;
  failed: { job: string; slot: string; error: string }[];
}

/**
 * Runs every job's due occurrences exactly once across any number of instances: a slot is claimed
 * by inserting its (job, slot) row before it runs, and an insert that collides means another
 * instance (or an earlier run) has it. A failed run gives its claim back, so the next pass retries
 * it; its messages carry unique keys, so nothing already queued goes twice.
 */
export function createScheduler(options: SchedulerOptions) {
  const { db, clock, logger } = options;
  const catchUpMs = options.catchUpMs ?? 24 * 3_600_000;
  const instanceId = options.instanceId ?? `scheduler-${crypto.randomUUID().slice(0, 8)}`;
  let lastTo: Date | undefined;

  async function claim(job: string, occurrence: Occurrence, now: Date, finished: boolean): Promise<boolean> {
    try {
      await db.scheduleRun.create({
        data: { job, slot: occurrence.slot, dueAt: occurrence.dueAt, claimedAt: now, claimedBy: instanceId, ...(finished ? { finishedAt: now, error: "merged into a later run" } : {}) },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** One pass: everything due since the last pass (on the first, within the catch-up window). */
  async function runDue(now: Date = clock.now()): Promise<RunReport> {
    const earliest = new Date(now.getTime() - catchUpMs);
    const from = lastTo && lastTo > earliest ? lastTo : earliest;
    const report: RunReport = { ran: [], merged: 0, failed: [] };
    const failedDue = new Map<string, number>();
    for (const job of options.jobs) {
      const due = (await job.occurrences({ from, to: now })).filter((o) => o.dueAt > earliest && o.dueAt <= now);
      due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      const latestOfMerge = new Map<string, Occurrence>();
      for (const o of due) if (o.mergeKey) latestOfMerge.set(o.mergeKey, o);
      for (const occurrence of due) {
        const superseded = occurrence.mergeKey !== undefined && latestOfMerge.get(occurrence.mergeKey) !== occurrence;
        if (superseded) {
          if (await claim(job.name, occurrence, now, true)) report.merged += 1;
          continue;
        }
        if (!(await claim(job.name, occurrence, now, false))) continue;
        try {
          const queued = await occurrence.run(now);
          await db.scheduleRun.update({ where: { job_slot: { job: job.name, slot: occurrence.slot } }, data: { finishedAt: clock.now(), queued } });
          report.ran.push({ job: job.name, slot: occurrence.slot, queued });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          logger.error({ err: error, job: job.name, slot: occurrence.slot }, "scheduled run failed");
          await db.scheduleRun.deleteMany({ where: { job: job.name, slot: occurrence.slot, claimedBy: instanceId } });
          report.failed.push({ job: job.name, slot: occurrence.slot, error: message });
          failedDue.set(`${job.name}\u0000${occurrence.slot}`, occurrence.dueAt.getTime());
        }
      }
    }
    // A failed occurrence must be seen again: the next window starts just before it.
    const firstFailure = Math.min(...report.failed.map((f) => failedDue.get(`${f.job}\u0000${f.slot}`) ?? now.getTime()));
    lastTo = report.failed.length ? new Date(firstFailure - 1) : now;
    return report;
  }

  return { runDue, instanceId };
}

export type Scheduler = ReturnType<typeof createScheduler>;
