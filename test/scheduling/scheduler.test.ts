import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox, type Outbox } from "../../src/delivery/outbox.ts";
import { createScheduler, type Job, type Occurrence } from "../../src/scheduling/scheduler.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const MINUTE = 60_000;
const NOW = new Date("2026-12-04T01:01:00Z");
let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

/** A job whose occurrences are given, recording every run (slot and instance). */
function recordingJob(name: string, make: () => Omit<Occurrence, "run">[], runs: string[], fail = new Set<string>()): (instance: string) => Job {
  return (instance) => ({
    name,
    async occurrences() {
      return make().map((o) => ({
        ...o,
        async run() {
          if (fail.has(o.slot)) throw new Error(`${o.slot} broke`);
          runs.push(`${instance}:${o.slot}`);
          // As many messages as the slot's name has letters, one chat each.
          return Array.from({ length: o.slot.length }, (_, i) => ({ dedupeKey: `${name}:${o.slot}:${i}`, channel: "telegram", chatId: String(i), message: { text: `${o.slot} ${i}` } }));
        },
      }));
    },
  });
}

function scheduler(job: (instance: string) => Job, instance: string, clock = fixedClock(NOW), outbox: Pick<Outbox, "enqueue"> = createOutbox({ db: database.prisma, clock })) {
  return createScheduler({ db: database.prisma, outbox, jobs: [job(instance)], clock, logger: pino({ level: "silent" }), instanceId: instance });
}

describe("the scheduler", () => {
  it("claims a province's slots in chunks, runs each once and records what each queued", async () => {
    const runs: string[] = [];
    const slots = Array.from({ length: 450 }, (_, i) => ({ slot: `cell-${i}`, dueAt: new Date(NOW.getTime() - MINUTE - i) }));
    const job = recordingJob("remind", () => slots, runs);
    const first = await scheduler(job, "a").runDue(NOW);
    const second = await scheduler(job, "b").runDue(NOW);
    expect(first.ran).toHaveLength(450);
    expect(second.ran).toEqual([]);
    expect(new Set(runs).size).toBe(450);
    expect(runs.every((r) => r.startsWith("a:"))).toBe(true);
    // Oldest due first.
    expect(first.ran[0]!.slot).toBe("cell-449");
    const rows = await database.prisma.scheduleRun.findMany({ orderBy: { slot: "asc" } });
    expect(rows).toHaveLength(450);
    expect(rows.every((r) => r.finishedAt !== null && r.claimedBy === "a" && r.queued === r.slot.length && r.error === null)).toBe(true);
    expect(rows.find((r) => r.slot === "cell-7")!.dueAt).toEqual(new Date(NOW.getTime() - MINUTE - 7));
    // Every planned message is in the outbox, once.
    expect(await database.prisma.outboxMessage.count()).toBe(rows.reduce((sum, r) => sum + r.slot.length, 0));
    expect(await database.prisma.outboxMessage.findUnique({ where: { dedupeKey: "remind:cell-449:6" } })).toMatchObject({ chatId: "6", text: "cell-449 6" });
  });

  it("runs only the latest of slots sharing a merge key, and never the merged ones later", async () => {
    const runs: string[] = [];
    const weeks = [3, 2, 1].map((w) => ({ slot: `week-${w}`, dueAt: new Date(NOW.getTime() - w * 5 * 3_600_000), mergeKey: "digest" }));
    const job = recordingJob("digest", () => weeks, runs);
    const report = await scheduler(job, "a").runDue(NOW);
    expect(report.ran.map((r) => r.slot)).toEqual(["week-1"]);
    expect(report.merged).toBe(2);
    const again = await scheduler(job, "b").runDue(new Date(NOW.getTime() + MINUTE));
    expect(again.ran).toEqual([]);
    expect(again.merged).toBe(0);
    const merged = await database.prisma.scheduleRun.findMany({ where: { error: { not: null } }, orderBy: { slot: "asc" } });
    expect(merged.map((r) => [r.slot, r.error, r.finishedAt !== null])).toEqual([
      ["week-2", "merged into a later run", true],
      ["week-3", "merged into a later run", true],
    ]);
  });

  it("gives a failed slot's claim back and runs it on the next pass, the others not again", async () => {
    const runs: string[] = [];
    const fail = new Set(["b"]);
    const slots = ["a", "b", "c"].map((slot, i) => ({ slot, dueAt: new Date(NOW.getTime() - (3 - i) * MINUTE) }));
    const clock = fixedClock(NOW);
    const s = scheduler(recordingJob("remind", () => slots, runs, fail), "x", clock);
    const first = await s.runDue(NOW);
    expect(first.ran.map((r) => r.slot)).toEqual(["a", "c"]);
    expect(first.failed).toEqual([{ job: "remind", slot: "b", error: "b broke" }]);
    expect(await database.prisma.scheduleRun.count({ where: { slot: "b" } })).toBe(0);
    fail.clear();
    const second = await s.runDue(new Date(NOW.getTime() + MINUTE));
    expect(second.ran.map((r) => r.slot)).toEqual(["b"]);
    expect(runs).toEqual(["x:a", "x:c", "x:b"]);
  });

  it("records nothing of a chunk whose messages could not be queued, and runs it again on the next pass", async () => {
    const runs: string[] = [];
    const slots = ["a", "bb"].map((slot, i) => ({ slot, dueAt: new Date(NOW.getTime() - (2 - i) * MINUTE) }));
    const real = createOutbox({ db: database.prisma, clock: fixedClock(NOW) });
    let broken = true;
    const outbox: Pick<Outbox, "enqueue"> = {
      enqueue: async (messages) => {
        if (broken) throw new Error("database is locked");
        return real.enqueue(messages);
      },
    };
    const s = scheduler(recordingJob("remind", () => slots, runs), "x", fixedClock(NOW), outbox);
    const first = await s.runDue(NOW);
    expect(first.ran).toEqual([]);
    expect(first.failed.map((f) => [f.slot, f.error])).toEqual([["a", "database is locked"], ["bb", "database is locked"]]);
    expect(await database.prisma.scheduleRun.count()).toBe(0);
    broken = false;
    const second = await s.runDue(new Date(NOW.getTime() + MINUTE));
    expect(second.ran.map((r) => [r.slot, r.queued])).toEqual([["a", 1], ["bb", 2]]);
    expect(await database.prisma.outboxMessage.count()).toBe(3);
    expect(await database.prisma.scheduleRun.count({ where: { finishedAt: { not: null } } })).toBe(2);
  });

  it("takes over a claim left unfinished past its lease, and leaves a fresh one to its instance", async () => {
    const db = database.prisma;
    const runs: string[] = [];
    const slots = [{ slot: "stale", dueAt: new Date(NOW.getTime() - 30 * MINUTE) }, { slot: "fresh", dueAt: new Date(NOW.getTime() - 2 * MINUTE) }];
    // An instance claimed both and stopped: one claim 20 minutes ago, the other a minute ago.
    await db.scheduleRun.create({ data: { job: "remind", slot: "stale", dueAt: slots[0]!.dueAt, claimedAt: new Date(NOW.getTime() - 20 * MINUTE), claimedBy: "gone" } });
    await db.scheduleRun.create({ data: { job: "remind", slot: "fresh", dueAt: slots[1]!.dueAt, claimedAt: new Date(NOW.getTime() - MINUTE), claimedBy: "busy" } });
    const report = await scheduler(recordingJob("remind", () => slots, runs), "b").runDue(NOW);
    expect(report.ran.map((r) => r.slot)).toEqual(["stale"]);
    const rows = await db.scheduleRun.findMany({ orderBy: { slot: "asc" } });
    expect(rows.map((r) => [r.slot, r.claimedBy, r.finishedAt !== null])).toEqual([
      ["fresh", "busy", false],
      ["stale", "b", true],
    ]);
    // A finished slot is never taken over, however old.
    const later = await scheduler(recordingJob("remind", () => slots, runs), "c").runDue(new Date(NOW.getTime() + 11 * MINUTE));
    expect(later.ran.map((r) => r.slot)).toEqual(["fresh"]);
    expect(runs).toEqual(["b:stale", "c:fresh"]);
  });
});
