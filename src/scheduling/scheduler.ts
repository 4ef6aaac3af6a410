import crypto from "node:crypto";
import type { Logger } from "pino";
import type { Outbox, QueuedMessage } from "../delivery/outbox.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Clock } from "../services/clock.ts";
import { secrets } from "../redaction.ts";
import type { Db } from "../storage/database.ts";

/** One thing a job should do once: its slot names it for good (a meeting and an offset, a week). */
export interface Occurrence {
  slot: string;
  dueAt: Date;
  /**
   * Occurrences of one job sharing a merge key that are all due at once (after downtime) run as
   * one: only the latest runs; the others are claimed as merged so they never run later.
   */
  mergeKey?: string;
  /**
   * Plans the work: the messages to send, each with a unique key. The scheduler queues them (a
   * chunk of runs' messages together) before it records the slot finished.
   */
  run(now: Date): Promise<QueuedMessage[]>;
}

export interface Job {
  name: string;
  /** The occurrences due in (from, to]. Called with overlapping windows too: claims dedupe. */
  occurrences(window: { from: Date; to: Date }): Promise<Occurrence[]>;
}

export interface SchedulerOptions {
  db: Db;
  outbox: Pick<Outbox, "enqueue">;
  jobs: Job[];
  clock: Clock;
  logger: Logger;
  /** How far back slots missed while chibo was down are still caught up (default 24 h). */
  catchUpMs?: number;
  /**
   * A claim not finished after this long belongs to an instance that stopped mid-pass: a later
   * pass takes it over and runs the slot (its messages have unique keys, so none goes twice).
   */
  claimLeaseMs?: number;
  instanceId?: string;
}

export interface RunReport {
  /** Each run and the messages it planned (the outbox skips any already queued). */
  ran: { job: string; slot: string; queued: number }[];
  merged: number;
  failed: { job: string; slot: string; error: string }[];
}

/** Slots claimed (and finished) per statement: a province's reminders are thousands of slots. */
const CHUNK = 100;
const MERGED = "merged into a later run";

/**
 * Runs every job's due occurrences exactly once across any number of instances: a slot is claimed
 * by inserting its (job, slot) row before it runs, and a row that is already there means another
 * instance (or an earlier run) has it. Claims go a chunk of slots per statement; the chunk's runs
 * plan their messages, which are queued together, and then recorded finished together. A failed
 * run gives its claim back, so the next pass retries it; a claim left unfinished by an instance
 * that stopped is taken over once its lease is over (its messages' keys keep any from going twice).
 */
export function createScheduler(options: SchedulerOptions) {
  const { db, outbox, clock, logger } = options;
  const catchUpMs = options.catchUpMs ?? 24 * 3_600_000;
  const leaseMs = options.claimLeaseMs ?? 10 * 60_000;
  const instanceId = options.instanceId ?? `scheduler-${crypto.randomUUID().slice(0, 8)}`;
  let lastTo: Date | undefined;

  /** Claims the slots that are free (or whose claim has lapsed); returns the slots now ours. */
  async function claim(job: string, chunk: { occurrence: Occurrence; merged: boolean }[], now: Date): Promise<Set<string>> {
    const values = chunk.map(({ occurrence: o, merged }) =>
      merged
        ? Prisma.sql`(${job}, ${o.slot}, ${o.dueAt}, ${now}, ${instanceId}, ${now}, ${0}, ${MERGED})`
        : Prisma.sql`(${job}, ${o.slot}, ${o.dueAt}, ${now}, ${instanceId}, ${null}, ${0}, ${null})`,
    );
    const inserted = await db.$queryRaw<{ slot: string }[]>`
      INSERT INTO "ScheduleRun" ("job", "slot", "dueAt", "claimedAt", "claimedBy", "finishedAt", "queued", "error")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("job", "slot") DO NOTHING
      RETURNING "slot"`;
    const ours = new Set(inserted.map((r) => r.slot));
    const taken = chunk.filter(({ occurrence, merged }) => !merged && !ours.has(occurrence.slot)).map(({ occurrence }) => occurrence.slot);
    if (taken.length) {
      const lapsed = await db.$queryRaw<{ slot: string }[]>`
        UPDATE "ScheduleRun" SET "claimedAt" = ${now}, "claimedBy" = ${instanceId}
        WHERE "job" = ${job} AND "slot" IN (${Prisma.join(taken)}) AND "finishedAt" IS NULL AND "claimedAt" < ${new Date(now.getTime() - leaseMs)}
        RETURNING "slot"`;
      for (const { slot } of lapsed) {
        logger.warn({ job, slot }, "took over a claim left unfinished");
        ours.add(slot);
      }
    }
    return ours;
  }

  async function finish(job: string, done: { slot: string; queued: number }[]) {
    if (!done.length) return;
    const queued = Prisma.join(done.map((d) => Prisma.sql`WHEN ${d.slot} THEN ${d.queued}`), " ");
    await db.$executeRaw`
      UPDATE "ScheduleRun" SET "finishedAt" = ${clock.now()}, "queued" = CASE "slot" ${queued} ELSE "queued" END
      WHERE "job" = ${job} AND "slot" IN (${Prisma.join(done.map((d) => d.slot))}) AND "claimedBy" = ${instanceId}`;
  }

  /** Gives the claims back after a failure, so a later pass runs the slots again. */
  async function release(job: string, slots: string[], error: unknown, failed: RunReport["failed"]) {
    if (!slots.length) return;
    const message = secrets.errorText(error);
    logger.error({ err: error, job, slots: slots.slice(0, 10), count: slots.length }, "scheduled run failed");
    await db.scheduleRun.deleteMany({ where: { job, slot: { in: slots }, claimedBy: instanceId, finishedAt: null } });
    for (const slot of slots) failed.push({ job, slot, error: message });
  }

  /** One pass: everything due since the last pass (on the first, within the catch-up window). */
  async function runDue(now: Date = clock.now()): Promise<RunReport> {
    const earliest = new Date(now.getTime() - catchUpMs);
    const from = lastTo && lastTo > earliest ? lastTo : earliest;
    const report: RunReport = { ran: [], merged: 0, failed: [] };
    let firstFailure = Infinity;
    for (const job of options.jobs) {
      const seen = new Set<string>();
      const due = (await job.occurrences({ from, to: now }))
        .filter((o) => o.dueAt > earliest && o.dueAt <= now && !seen.has(o.slot) && seen.add(o.slot))
        .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      const latestOfMerge = new Map<string, Occurrence>();
      for (const o of due) if (o.mergeKey) latestOfMerge.set(o.mergeKey, o);
      const planned = due.map((occurrence) => ({ occurrence, merged: occurrence.mergeKey !== undefined && latestOfMerge.get(occurrence.mergeKey) !== occurrence }));
      for (let i = 0; i < planned.length; i += CHUNK) {
        const chunk = planned.slice(i, i + CHUNK);
        const ours = await claim(job.name, chunk, now);
        const done: { slot: string; queued: number; dueAt: Date }[] = [];
        const messages: QueuedMessage[] = [];
        for (const { occurrence, merged } of chunk) {
          if (!ours.has(occurrence.slot)) continue;
          if (merged) {
            report.merged += 1;
            continue;
          }
          try {
            const ofRun = await occurrence.run(now);
            for (const m of ofRun) messages.push(m);
            done.push({ slot: occurrence.slot, queued: ofRun.length, dueAt: occurrence.dueAt });
          } catch (error) {
            await release(job.name, [occurrence.slot], error, report.failed);
            firstFailure = Math.min(firstFailure, occurrence.dueAt.getTime());
          }
        }
        try {
          await outbox.enqueue(messages);
          await finish(job.name, done);
          for (const d of done) report.ran.push({ job: job.name, slot: d.slot, queued: d.queued });
        } catch (error) {
          // Nothing of the chunk is recorded: its runs go again (keys keep what was queued once).
          await release(job.name, done.map((d) => d.slot), error, report.failed);
          firstFailure = Math.min(firstFailure, ...done.map((d) => d.dueAt.getTime()));
        }
        // Let the webhooks, the outbox worker and the garbage collector have their turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // A failed occurrence must be seen again: the next window starts just before it.
    lastTo = Number.isFinite(firstFailure) ? new Date(firstFailure - 1) : now;
    return report;
  }

  return { runDue, instanceId };
}

export type Scheduler = ReturnType<typeof createScheduler>;
