/**
 * npm run bench:console-overview — the committee console's overview of a whole province of
 * 150,000 members (100 communes of 80 cells: 8,000 cells), with twelve months of meetings and
 * answers (about 1.6 million), a year of feedback and the notices of the last months (about 1.2
 * million recipients), against a baseline measured in the same run: the same report for one
 * commune of the province. Each is timed five times after a first run; the medians are reported,
 * and the first apart: it warms the client and sums the answers of the year's closed meetings,
 * which the report keeps for the life of the process (src/services/overviewTallies.ts). The CPU
 * time and the load average are printed beside the wall time, for a machine shared with other work.
 * BENCH_SCALE=0.1 makes a province of 15,000 members.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createOverviewReport } from "../src/services/overviewReport.ts";
import { openDatabase } from "../src/storage/database.ts";
import { buildOverviewProvince } from "./lib/overviewProvince.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SHAPE = { communes: Math.max(2, Math.round(100 * SCALE)), cellsPerCommune: 80, members: Math.round(150_000 * SCALE), feedbackItems: Math.round(40_000 * SCALE) };
const ROUNDS = 5;
/** Sunday 20 Dec 2026, 10:00 in Vietnam: this month's meetings (the 7th) are past. */
const NOW = new Date("2026-12-20T03:00:00Z");
const GOAL_MS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// The province is written by a child process (this file with --build), so the millions of rows it
// makes leave no garbage in the heap of the process that times the report.
if (process.argv[2] === "--build") {
  const file = process.argv[3]!;
  await (await openDatabase({ url: `file:${file}`, busyTimeoutMs: 10_000 })).close();
  const built = buildOverviewProvince(file, SHAPE, NOW);
  fs.writeFileSync(`${file}.json`, JSON.stringify(built));
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-overview-"));
try {
  const file = path.join(dir, "province.db");
  const built = performance.now();
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--build", file], { stdio: "inherit" });
  const province = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as ReturnType<typeof buildOverviewProvince>;
  const commune = province.communes[0]!;
  console.log(`province: ${province.communes.length} communes, ${province.cells} cells, ${province.members} members, ${province.attendanceRows} answers, ` +
    `${SHAPE.feedbackItems} feedback items, ${province.deliveries} notice recipients; built in ${((performance.now() - built) / 1000).toFixed(1)} s`);

  const database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 10_000 });
  const overview = createOverviewReport({ db: database.prisma });
  const time = async (scopePath: string) => {
    const first = performance.now();
    let report = await overview.report({ path: scopePath, now: NOW });
    const firstMs = performance.now() - first;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const used = process.cpuUsage();
      const started = performance.now();
      report = await overview.report({ path: scopePath, now: NOW });
      times.push(performance.now() - started);
      const spent = process.cpuUsage(used);
      cpu.push((spent.user + spent.system) / 1000);
    }
    return { ms: median(times), times, cpuMs: median(cpu), firstMs, report };
  };
  const whole = await time(province.province.path);
  const one = await time(commune.path);
  await database.close();

  const describe = (r: typeof whole.report) =>
    `${r.cellCount} cells, ${r.reach.members} members; meetings held ${r.meetings.counts.held}, not held ${r.meetings.counts.not_held}, unmarked ${r.meetings.counts.unmarked}, ` +
    `postponed ${r.meetings.postponed}; attendance ${r.attendance.total.rate} %, answers before the start ${r.answers.total.rate} %; ` +
    `feedback ${r.feedback.total} in 12 weeks, ${r.feedback.overdue} overdue; notices ${r.notices.notices} to ${r.notices.recipients}, ${r.notices.rate} % acknowledged; ` +
    `no chat ${r.reach.noChat}`;
  // The process's CPU time beside the wall time: on a machine shared with other work the wall
  // time grows with the load (printed too), the CPU time much less.
  const line = (r: typeof whole) =>
    `${r.ms.toFixed(0)} ms, ${r.cpuMs.toFixed(0)} ms of CPU (runs: ${r.times.map((t) => t.toFixed(0)).join(", ")}; the first: ${r.firstMs.toFixed(0)} ms) — ${describe(r.report)}`;
  console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.availableParallelism()} CPUs`);
  console.log(`  province: ${line(whole)}`);
  console.log(`  commune:  ${line(one)}`);
  if (whole.report.reach.members !== province.members || one.report.reach.members !== commune.members) throw new Error("the report did not count every member");
  console.log(`goal: province ms <= ${GOAL_MS}`);
  console.log(`RESULT console-overview-baseline members=${commune.members} ms=${one.ms.toFixed(0)} cpu_ms=${one.cpuMs.toFixed(0)} first_ms=${one.firstMs.toFixed(0)}`);
  console.log(`RESULT console-overview members=${province.members} ms=${whole.ms.toFixed(0)} cpu_ms=${whole.cpuMs.toFixed(0)} first_ms=${whole.firstMs.toFixed(0)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
