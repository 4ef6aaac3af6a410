/**
 * npm run bench:schedule — one cycle of meeting reminders for a province-sized tree, against
 * baselines measured in the same run:
 *   schedule-plan  10 provinces × 20 communes × 25 cells = 5,000 cells, 30 members a cell =
 *                  150,000 members: most linked to a Telegram chat, two exempt and two without a
 *                  chat in each cell, a secretary in each, a group chat in half of them, a few
 *                  English readers. Every cell meets on the 7th, so the first reminder (3 days
 *                  before at 08:00) of every cell falls due at once; the scheduler runs the
 *                  reminder job once just after it, planning and queueing one outbox row per
 *                  reachable member, group and secretary note.
 *   floors         the same number of outbox rows queued with nothing to plan: through the
 *                  outbox in one call (500 rows a statement), and with Prisma createMany (500
 *                  rows a call), each into a copy of the same database;
 *   scheduler      the scheduler alone: the same number of slots claimed and finished by a job
 *                  with nothing to do (the part of the cycle that is not the reminder job's).
 * Each side runs in a process of its own, so its peak RSS is that of the work alone, with the
 * runtime flags `npm start` gives chibo (read from package.json); the cycle is also run with
 * Node's defaults, for comparison.
 * BENCH_SCALE=0.1 builds one province instead of ten.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { pino } from "pino";
import { createOutbox, type QueuedMessage } from "../src/delivery/outbox.ts";
import { createTranslator } from "../src/i18n.ts";
import { meetingRemindersJob } from "../src/scheduling/jobs/meetingReminders.ts";
import { createScheduler, type Job } from "../src/scheduling/scheduler.ts";
import { fixedClock } from "../src/services/clock.ts";
import { createFeedbackService } from "../src/services/feedback.ts";
import { createServices } from "../src/services/index.ts";
import { openDatabase } from "../src/storage/database.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PROVINCES = Math.max(1, Math.round(10 * SCALE));
const COMMUNES = 20;
const CELLS = 25;
const MEMBERS = 30;
/** Friday 4 Dec 2026 08:01 in Vietnam: just after the 3-day reminder of Monday 7 Dec's meetings. */
const NOW = new Date("2026-12-04T01:01:00Z");
const MEETING_TIMES = ["19:30", "14:00", "08:00", "07:30", "15:00"];
const GOAL = { seconds: 10, rssMb: 300 };

const openAt = (file: string) => openDatabase({ url: `file:${file}`, busyTimeoutMs: 10_000 });
/** A DateTime as the Prisma SQLite adapter stores it (ISO 8601 with an explicit offset). */
const stored = (at: Date) => at.toISOString().replace("Z", "+00:00");

/** Builds the province with plain SQL in one transaction, on the migrated file. */
async function buildProvince(file: string) {
  await (await openAt(file)).close();
  const db = new Sqlite(file);
  const at = stored(new Date());
  const insert = (table: string, columns: string[]) => {
    const statement = db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
    return (...values: unknown[]) => statement.run(...values);
  };
  const org = insert("Organization", ["id", "level", "cellKind", "name", "searchName", "code", "parentId", "path", "createdAt", "updatedAt"]);
  const rule = insert("MeetingRule", ["cellId", "kind", "dayOfMonth", "time", "place", "createdAt", "updatedAt"]);
  const member = insert("Member", ["id", "fullName", "searchName", "status", "exemption", "exemptionReason", "exemptionFrom", "exemptionUntil", "language", "cellId", "createdAt", "updatedAt"]);
  const identity = insert("ChatIdentity", ["memberId", "channel", "externalUserId", "chatId", "linkedAt"]);
  const role = insert("Role", ["memberId", "organizationId", "role", "createdAt"]);
  const group = insert("GroupChat", ["channel", "externalChatId", "title", "cellId", "linkedAt"]);
  let id = 0;
  let memberId = 0;
  let cells = 0;
  db.transaction(() => {
    for (let d = 0; d < PROVINCES; d++) {
      const province = ++id;
      org(province, "province", null, `Tỉnh ủy số ${d + 1}`, `tinh uy so ${d + 1}`, `h${d}`, null, `/${province}/`, at, at);
      for (let c = 0; c < COMMUNES; c++) {
        const commune = ++id;
        org(commune, "base", null, `Đảng ủy xã số ${c + 1}`, `dang uy xa so ${c + 1}`, `h${d}-x${c}`, province, `/${province}/${commune}/`, at, at);
        for (let k = 0; k < CELLS; k++) {
          const cell = ++id;
          cells += 1;
          org(cell, "cell", "village", `Chi bộ thôn ${k + 1} xã ${c + 1}`, `chi bo thon ${k + 1} xa ${c + 1}`, `h${d}-x${c}-t${k}`, commune, `/${province}/${commune}/${cell}/`, at, at);
          rule(cell, "dayOfMonth", 7, MEETING_TIMES[k % MEETING_TIMES.length], k % 2 ? "Nhà văn hóa thôn" : null, at, at);
          for (let m = 0; m < MEMBERS; m++) {
            const mid = ++memberId;
            const name = `Nguyễn Văn ${mid}`;
            // Member 1 is exempt, member 2 temporarily exempt over the meeting; members 3 and 4
            // have no chat (elders without a phone); member 5 of every tenth cell reads English.
            const exemption = m === 1 ? ["exempt", "tuổi cao", "2020-01-01", null] : m === 2 ? ["temporary", "ốm dài ngày", "2026-11-01", "2027-02-01"] : ["none", null, null, null];
            member(mid, name, name.toLowerCase(), m === 9 ? "probationary" : "full", ...exemption, m === 5 && k % 10 === 0 ? "en" : "vi", cell, at, at);
            if (m !== 3 && m !== 4) identity(mid, "telegram", String(1_000_000 + mid), String(1_000_000 + mid), at);
            if (m === 0) role(mid, cell, "secretary", at);
          }
          if (k % 2 === 0) group("telegram", String(-1_000_000 - cell), "Nhóm chi bộ", cell, at);
        }
      }
    }
  })();
  db.close();
  return { cells, members: memberId };
}

/** Child: one scheduler pass of the reminder job at NOW. */
async function cycle(file: string) {
  const database = await openAt(file);
  const db = database.prisma;
  const clock = fixedClock(NOW);
  const services = createServices({ db, inviteTtlDays: 14 });
  const outbox = createOutbox({ db, clock });
  const translator = createTranslator();
  const feedback = createFeedbackService({ db, outbox, translator });
  const deps = { db, services, feedback, outbox, translator, defaultLanguage: "vi" as const };
  await db.organization.count(); // the connection is open before the clock starts
  const idleMb = process.memoryUsage().rss / 1024 / 1024;
  const scheduler = createScheduler({ db, outbox, jobs: [meetingRemindersJob(deps)], clock, logger: pino({ level: "silent" }), instanceId: "bench" });
  const started = performance.now();
  const report = await scheduler.runDue(NOW);
  const seconds = (performance.now() - started) / 1000;
  const queued = report.ran.reduce((sum, r) => sum + r.queued, 0);
  const rows = await db.outboxMessage.count();
  await database.close();
  return { seconds, ran: report.ran.length, failed: report.failed.length, queued, rows, idleMb, peakMb: process.resourceUsage().maxRSS / 1024 };
}

/** Child: the scheduler alone — the same slots claimed and finished by a job that has nothing to do. */
async function claimsOnly(file: string) {
  const database = await openAt(file);
  const db = database.prisma;
  const cells = await db.organization.findMany({ where: { level: "cell" }, select: { id: true }, orderBy: { id: "asc" } });
  const idleMb = process.memoryUsage().rss / 1024 / 1024;
  const dueAt = new Date(NOW.getTime() - 60_000);
  const job: Job = { name: "meeting-reminder", occurrences: async () => cells.map((cell) => ({ slot: `${cell.id}:2026-12-07:d3@0800`, dueAt, run: async () => [] })) };
  const outbox = createOutbox({ db, clock: fixedClock(NOW) });
  const scheduler = createScheduler({ db, outbox, jobs: [job], clock: fixedClock(NOW), logger: pino({ level: "silent" }), instanceId: "bench" });
  const started = performance.now();
  const report = await scheduler.runDue(NOW);
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return { seconds, ran: report.ran.length, idleMb, peakMb: process.resourceUsage().maxRSS / 1024 };
}

/** Child: `count` rows like the reminders, queued with nothing to plan, by `way`. */
async function floor(way: "outbox" | "createMany", file: string, count: number, template: { text: string; buttons: string }) {
  const database = await openAt(file);
  const db = database.prisma;
  await db.organization.count();
  const idleMb = process.memoryUsage().rss / 1024 / 1024;
  const row = (i: number) => ({ dedupeKey: `reminder:${1 + Math.floor(i / 27)}:${NOW.getTime()}:d3@0800:telegram:${2_000_000 + i}`, chatId: String(2_000_000 + i), memberId: i + 1 });
  const started = performance.now();
  if (way === "outbox") {
    const buttons = JSON.parse(template.buttons) as QueuedMessage["message"]["buttons"];
    const messages: QueuedMessage[] = Array.from({ length: count }, (_, i) => ({ ...row(i), channel: "telegram", message: { text: template.text, buttons } }));
    await createOutbox({ db, clock: fixedClock(NOW) }).enqueue(messages);
  } else {
    for (let i = 0; i < count; i += 500) {
      const data = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ ...row(i + j), channel: "telegram", isGroup: false, text: template.text, buttons: template.buttons, nextAttemptAt: NOW, createdAt: NOW }));
      await db.outboxMessage.createMany({ data });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = await db.outboxMessage.count();
  await database.close();
  return { seconds, rows, idleMb, peakMb: process.resourceUsage().maxRSS / 1024 };
}

/** The Node flags of `npm start` ("exec node --import tsx --flag … src/main.ts"): the runtime chibo really has. tsx is loaded apart. */
function startFlags(): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const words = scripts.start!.split(/\s+/);
  return words.filter((word, i) => word.startsWith("--") && word !== "--import" && words[i - 1] !== "--import");
}

function child<T>(...args: string[]): Promise<T> {
  return childWith(startFlags(), ...args);
}

function childWith<T>(flags: string[], ...args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...flags, "--import", "tsx", import.meta.filename, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("CHILD "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(6)) as T);
      else reject(new Error(`bench child ${args[0]} exited with ${code}: ${out}`));
    });
  });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "cycle") {
  console.log(`CHILD ${JSON.stringify(await cycle(args[0]!))}`);
} else if (mode === "claims") {
  console.log(`CHILD ${JSON.stringify(await claimsOnly(args[0]!))}`);
} else if (mode === "floor") {
  console.log(`CHILD ${JSON.stringify(await floor(args[0] as "outbox" | "createMany", args[1]!, Number(args[2]), JSON.parse(args[3]!)))}`);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-schedule-"));
  try {
    const file = path.join(dir, "province.db");
    const buildStarted = performance.now();
    const province = await buildProvince(file);
    const copies = ["outbox", "createMany", "claims"].map((way) => {
      const copy = path.join(dir, `${way}.db`);
      fs.copyFileSync(file, copy);
      return copy;
    });
    console.log(`schedule: ${PROVINCES} provinces × ${COMMUNES} communes × ${CELLS} cells = ${province.cells} cells, ${province.members} members; built in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s`);

    const defaultsFile = path.join(dir, "defaults.db");
    fs.copyFileSync(file, defaultsFile);
    const plan = await child<Awaited<ReturnType<typeof cycle>>>("cycle", file);
    if (plan.failed || plan.queued !== plan.rows) throw new Error(`cycle went wrong: ${JSON.stringify(plan)}`);
    console.log(`  cycle:               ${plan.seconds.toFixed(2).padStart(6)} s  ${plan.ran} reminder slots, ${plan.queued} messages queued; RSS idle ${plan.idleMb.toFixed(0)} MB, peak ${plan.peakMb.toFixed(0)} MB (runtime flags of npm start: ${startFlags().join(" ") || "none"})`);
    const plain = await childWith<Awaited<ReturnType<typeof cycle>>>([], "cycle", defaultsFile);
    if (plain.failed || plain.queued !== plan.queued) throw new Error(`cycle with Node's defaults went wrong: ${JSON.stringify(plain)}`);
    console.log(`  cycle, Node defaults:${plain.seconds.toFixed(2).padStart(6)} s  the same; RSS idle ${plain.idleMb.toFixed(0)} MB, peak ${plain.peakMb.toFixed(0)} MB`);

    const reader = new Sqlite(file, { readonly: true });
    const sample = reader.prepare(`SELECT "text", "buttons" FROM "OutboxMessage" WHERE "isGroup" = 0 AND "dedupeKey" NOT LIKE '%:unlinked:%' LIMIT 1`).get() as { text: string; buttons: string };
    reader.close();
    const floors = [];
    for (const [i, way] of (["outbox", "createMany"] as const).entries()) {
      const result = await child<Awaited<ReturnType<typeof floor>>>("floor", way, copies[i]!, String(plan.queued), JSON.stringify(sample));
      if (result.rows !== plan.queued) throw new Error(`floor ${way} queued ${result.rows} rows`);
      console.log(`  floor (${way.padEnd(10)}): ${result.seconds.toFixed(2).padStart(6)} s  the same ${plan.queued} rows with nothing to plan; RSS idle ${result.idleMb.toFixed(0)} MB, peak ${result.peakMb.toFixed(0)} MB`);
      floors.push({ way, ...result });
    }
    const claims = await child<Awaited<ReturnType<typeof claimsOnly>>>("claims", copies[2]!);
    if (claims.ran !== plan.ran) throw new Error(`the scheduler alone ran ${claims.ran} slots`);
    console.log(`  scheduler alone:     ${claims.seconds.toFixed(2).padStart(6)} s  the same ${claims.ran} slots claimed and finished, nothing to do; RSS idle ${claims.idleMb.toFixed(0)} MB, peak ${claims.peakMb.toFixed(0)} MB`);
    const [viaOutbox, viaCreateMany] = floors;
    const job = plan.seconds - claims.seconds;
    console.log(`  the job's own share: ${job.toFixed(2).padStart(6)} s  (cycle minus the scheduler alone), ×${(job / viaOutbox!.seconds).toFixed(2)} the outbox floor`);
    console.log(`goal: seconds <= ${GOAL.seconds} and peak_rss_mb <= ${GOAL.rssMb}`);
    console.log(`RESULT schedule-plan-scheduler slots=${claims.ran} seconds=${claims.seconds.toFixed(2)} peak_rss_mb=${claims.peakMb.toFixed(0)}`);
    console.log(`RESULT schedule-plan-floor rows=${plan.queued} outbox_seconds=${viaOutbox!.seconds.toFixed(2)} outbox_peak_rss_mb=${viaOutbox!.peakMb.toFixed(0)} createmany_seconds=${viaCreateMany!.seconds.toFixed(2)} createmany_peak_rss_mb=${viaCreateMany!.peakMb.toFixed(0)}`);
    console.log(`RESULT schedule-plan-node-defaults seconds=${plain.seconds.toFixed(2)} peak_rss_mb=${plain.peakMb.toFixed(0)}`);
    console.log(`RESULT schedule-plan cells=${province.cells} members=${province.members} seconds=${plan.seconds.toFixed(2)} peak_rss_mb=${plan.peakMb.toFixed(0)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
