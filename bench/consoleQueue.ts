/**
 * npm run bench:console-queue — the committee console's feedback queue over HTTP, on a running
 * chibo (as `npm start` builds it), for the reviewer of a commune with 20,000 feedback items
 * spread over a year, its four cells and every status, a fifth anonymous. A mix of pages is asked
 * for: the plain list, each filter, filters together, deep pages, each sort, and posted searches
 * (words of the text, a reference). Baselines measured in the same run: the same mix for the
 * reviewer of a second commune of 200 items, and /health. Each mix is sent once to warm up, then
 * ROUNDS times, the communes alternating; the p50 and p95 of every request are reported.
 * BENCH_SCALE=0.1 makes a commune of 2,000 items.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { SESSION_COOKIE } from "../src/console/cookies.ts";
import { parseConfig } from "../src/config.ts";
import { CATEGORIES, FEEDBACK_STATUSES } from "../src/domain/feedback.ts";
import { startChibo, type Chibo } from "../src/runtime.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ITEMS = Math.max(500, Math.round(20_000 * SCALE));
const BASELINE_ITEMS = 200;
const ROUNDS = 15;
const DAY_MS = 86_400_000;
const GOAL_P95_MS = 150;
const PHRASES = [
  "Đường liên thôn bị sạt lở sau mưa", "Đèn đường ngõ xóm hỏng đã lâu", "Rác thải đổ ra kênh mương", "Trường thiếu bàn ghế cho học sinh",
  "Trạm y tế thiếu thuốc thông thường", "Tranh chấp đất đai giữa hai hộ", "Cần nạo vét kênh tưới tiêu", "Tiếng ồn từ xưởng gỗ ban đêm",
  "Đề nghị hỗ trợ hộ nghèo sửa nhà", "Cán bộ thôn chậm giải quyết hồ sơ", "Nước sinh hoạt bị đục", "Xe tải chở quá tải làm hỏng đường",
];

const percentile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

/** Items of a subtree's cells, written in bulk: a year back from now, every status, a fifth anonymous. */
async function insertItems(chibo: Chibo, topOrganizationId: number, cells: { id: number; authors: number[] }[], count: number, prefix: string, assignee: number) {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => {
    const cell = cells[i % cells.length]!;
    const status = FEEDBACK_STATUSES[(i * 7) % FEEDBACK_STATUSES.length]!;
    const createdAt = new Date(now - Math.floor((i / count) * 365 * DAY_MS) - (i % 97) * 60_000);
    return {
      reference: `${prefix}-${String(i + 1).padStart(6, "0")}`, topOrganizationId, authorId: cell.authors[i % cell.authors.length]!, anonymous: i % 5 === 0,
      assigneeId: i % 3 === 0 ? assignee : null, cellId: cell.id, addressee: i % 9 === 0 ? "agency" : "peoples_committee", agencyName: i % 9 === 0 ? "Phòng Tài nguyên" : null,
      category: CATEGORIES[i % CATEGORIES.length]!, text: `${PHRASES[i % PHRASES.length]}, khu vực số ${i % 40}. Đề nghị cấp ủy xem xét.`, status,
      answer: status === "answered" || status === "closed" ? "Xã đã giao bộ phận chuyên môn giải quyết." : null,
      dueAt: new Date(createdAt.getTime() + 14 * DAY_MS), createdAt, updatedAt: createdAt,
    };
  });
  for (let i = 0; i < rows.length; i += 2000) await chibo.db.feedback.createMany({ data: rows.slice(i, i + 2000) });
}

async function sessionOf(chibo: Chibo, memberId: number) {
  const { token } = await chibo.services.consoleSessions.issueLink(memberId, "cli", new Date(), { kind: "cli" });
  const signedIn = (await chibo.services.consoleSessions.redeem(token, new Date()))!;
  return { cookie: `${SESSION_COOKIE}=${signedIn.token}`, csrf: signedIn.csrfToken };
}

type Request = { path: string; search?: Record<string, string> };

/** The mix: a reviewer's day in the queue. */
function mixFor(cellId: number, firstReference: string): Request[] {
  const month = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 7);
  return [
    { path: "" }, { path: "?status=open" }, { path: "?status=open&sort=due" }, { path: "?overdue=1" }, { path: "?anonymous=1" },
    { path: "?category=land&sort=oldest" }, { path: `?cell=${cellId}` }, { path: "?addressee=agency" }, { path: `?from=${month}-01&to=${month}-28` },
    { path: "?assigned=me" }, { path: "?assigned=none&status=submitted" }, { path: "?page=200" }, { path: "?status=answered&page=20&sort=oldest" },
    { path: "/search", search: { q: "sạt lở" } }, { path: "/search", search: { q: firstReference } }, { path: "/search", search: { q: "đường", status: "open", sort: "due" } },
  ];
}

async function timed(baseUrl: string, session: { cookie: string; csrf: string }, request: Request): Promise<number> {
  const started = performance.now();
  const res = request.search
    ? await fetch(`${baseUrl}/console/feedback/search`, {
      method: "POST", headers: { cookie: session.cookie }, body: new URLSearchParams({ ...request.search, _csrf: session.csrf }),
    })
    : await fetch(`${baseUrl}/console/feedback${request.path}`, { headers: { cookie: session.cookie } });
  const page = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200 || !page.includes("feedback-filters")) throw new Error(`${request.path}: status ${res.status}`);
  return ms;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-queue-"));
let chibo: Chibo | undefined;
try {
  const config = parseConfig({ DATABASE_URL: `file:${path.join(dir, "chibo.db")}`, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false", LOG_LEVEL: "silent" });
  chibo = await startChibo({ config, logger: pino({ level: "silent" }) });
  const baseUrl = `http://127.0.0.1:${chibo.port}`;
  const built = performance.now();
  const { members } = await chibo.services.demo.load(new Date(), { kind: "cli" });
  const { db, organizations } = chibo.services;
  const province = await organizations.findByCode("demo-tinh");
  const reviewer = members.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!;
  const cells = await db.organization.findMany({ where: { level: "cell", code: { startsWith: "demo-" }, path: { startsWith: province.path } }, select: { id: true } });
  const authorsOf = async (cellId: number) => (await db.member.findMany({ where: { cellId }, select: { id: true } })).map((m) => m.id);
  const big = await Promise.all(cells.map(async (c) => ({ id: c.id, authors: await authorsOf(c.id) })));
  await insertItems(chibo, province.id, big, ITEMS, "GY-2026", reviewer.id);

  await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "bench-xa-nho", parentCode: "demo-tinh" });
  const small = await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "bench-thon-bac", parentCode: "bench-xa-nho" });
  const smallCommune = await organizations.findByCode("bench-xa-nho");
  const person = (n: number) => db.member.create({ data: { fullName: `Đảng viên ${n}`, searchName: `dang vien ${n}`, status: "full", cellId: small.id } });
  const [smallAuthor, smallReviewer] = [await person(1), await person(2)];
  await db.role.create({ data: { memberId: smallReviewer.id, organizationId: smallCommune.id, role: "reviewer" } });
  await insertItems(chibo, province.id, [{ id: small.id, authors: [smallAuthor.id] }], BASELINE_ITEMS, "GY-2025", smallReviewer.id);
  console.log(`built: ${ITEMS} items in ${big.length} cells, ${BASELINE_ITEMS} in the baseline commune, in ${((performance.now() - built) / 1000).toFixed(1)} s`);

  const runs = {
    queue: { session: await sessionOf(chibo, reviewer.id), mix: mixFor(big[0]!.id, "GY-2026-000123"), times: [] as number[] },
    baseline: { session: await sessionOf(chibo, smallReviewer.id), mix: mixFor(small.id, "GY-2025-000123"), times: [] as number[] },
  };
  const health: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    // The first round warms the server (each query compiled once) and is not counted.
    const order = round % 2 === 0 ? [runs.queue, runs.baseline] : [runs.baseline, runs.queue];
    for (const run of order) {
      for (const request of run.mix) {
        const ms = await timed(baseUrl, run.session, request);
        if (round > 0) run.times.push(ms);
      }
    }
    const started = performance.now();
    await (await fetch(`${baseUrl}/health`)).text();
    if (round > 0) health.push(performance.now() - started);
  }
  const ms = (value: number) => value.toFixed(1);
  const line = (name: string, times: number[]) =>
    `p95_ms=${ms(percentile(times, 0.95))} p50_ms=${ms(percentile(times, 0.5))} max_ms=${ms(Math.max(...times))} (${name}, ${times.length} requests)`;
  for (const request of runs.queue.mix) {
    const times = runs.queue.times.filter((_, i) => runs.queue.mix[i % runs.queue.mix.length] === request);
    const name = request.search ? `POST search ${JSON.stringify(request.search)}` : `GET ${request.path || "/"}`;
    console.log(`  ${name.padEnd(60)} p50 ${ms(percentile(times, 0.5))} ms`);
  }
  console.log(`goal: queue p95_ms <= ${GOAL_P95_MS}`);
  console.log(`RESULT console-queue-health ${line("/health", health)}`);
  console.log(`RESULT console-queue-baseline items=${BASELINE_ITEMS} ${line("queue mix", runs.baseline.times)}`);
  console.log(`RESULT console-queue items=${ITEMS} ${line("queue mix", runs.queue.times)}`);
} finally {
  await chibo?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
