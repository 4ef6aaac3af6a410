/**
 * npm run bench:commune — a commune party committee of 3,000 members (ten village cells of 300)
 * against baselines measured in the same run:
 *   commune-notice  the commune reviewer's "Gửi" on a /thongbao to the whole commune, as the core
 *                   handles the button press (the notice, its 3,000 recipients, its broadcast and
 *                   one outbox row per linked member and group), until every row is queued; on a
 *                   client that already sent a notice to one cell, as a running chibo's is;
 *   floor           the same rows inserted with nothing to plan, into a copy of the same database:
 *                   every row the notice writes (the notice, its 3,000 delivery records, its
 *                   broadcast and its outbox rows, each kind in bulk statements; the ratio's
 *                   baseline), the outbox rows alone through the outbox (one statement per 500
 *                   rows; `ratio_outbox_only`), and the outbox rows with Prisma createMany;
 *   commune-report  the notice's delivery report ("Báo cáo") once every message is sent and a
 *                   third of the members pressed "Đã nhận";
 *   commune-import  a 5,000-row Excel member list imported into the commune (Excel reading included).
 * Each notice and floor runs ROUNDS times, alternating, each on a fresh copy of the database; the
 * medians are reported, and the ratio is the median of each round's notice over its outbox floor
 * (so a load that comes and goes on the machine weighs on both sides alike).
 * BENCH_SCALE=0.1 makes a commune of 300 members and a list of 500 rows.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import type { InboundEvent } from "../src/channels/types.ts";
import { createCore } from "../src/core/createCore.ts";
import { createFlowStore } from "../src/core/flowStore.ts";
import { createOutbox, type QueuedMessage } from "../src/delivery/outbox.ts";
import { createTranslator } from "../src/i18n.ts";
import { CLI_ACTOR } from "../src/services/audit.ts";
import { fixedClock } from "../src/services/clock.ts";
import { createFeedbackService } from "../src/services/feedback.ts";
import { createServices } from "../src/services/index.ts";
import { openDatabase } from "../src/storage/database.ts";
import { writeMemberXlsx } from "../test/fixtures/memberFiles.ts";
import { buildCommune, insertMembers, memberName, type BulkMember } from "../test/scale/commune.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CELLS = 10;
const PER_CELL = Math.max(10, Math.round(300 * SCALE));
const IMPORT_ROWS = Math.max(100, Math.round(5000 * SCALE));
const IMPORT_CELLS = 20;
const ROUNDS = 7;
const REVIEWER_CHAT = "1";
/** Thursday 3 Dec 2026, 10:00 in Vietnam. */
const NOW = new Date("2026-12-03T03:00:00Z");
const GOAL = { noticeRatio: 1.5, reportMs: 500, importSeconds: 20 };

const openAt = (file: string) => openDatabase({ url: `file:${file}`, busyTimeoutMs: 10_000 });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The commune on a migrated file: the tree through the services, the members with plain SQL. */
async function buildCommuneFile(file: string): Promise<{ members: number; communeId: number }> {
  const database = await openAt(file);
  const services = createServices({ db: database.prisma, inviteTtlDays: 14 });
  const { commune, cells } = await buildCommune(services, CELLS);
  await database.close();
  // The commune's reviewer is also cell 1's secretary: a notice to the cell warms the client up.
  const reviewer = { cellId: cells[0]!.id, fullName: "Hoàng Văn Xã", telegramChat: REVIEWER_CHAT, roles: [{ role: "reviewer", organizationId: commune.id }, { role: "secretary", organizationId: cells[0]!.id }] };
  const members: BulkMember[] = [reviewer];
  for (const [c, cell] of cells.entries()) {
    for (let k = 0; k < PER_CELL; k++) {
      const n = c * PER_CELL + k + 1;
      // One member in thirty has no chat; one in ten reads English.
      members.push({ cellId: cell.id, fullName: memberName(n), ...(k % 30 === 29 ? {} : { telegramChat: String(100_000 + n) }), ...(k % 10 === 3 ? { language: "en" } : {}) });
    }
  }
  insertMembers(file, members);
  const db = new Sqlite(file);
  const group = db.prepare(`INSERT INTO "GroupChat" ("channel", "externalChatId", "title", "cellId", "linkedAt") VALUES ('telegram', ?, 'Nhóm chi bộ', ?, ?)`);
  for (const cell of cells) group.run(String(-cell.id), cell.id, NOW.toISOString().replace("Z", "+00:00"));
  db.close();
  return { members: members.length - 1, communeId: commune.id };
}

let updates = 0;

/** chibo's core over a database, as the runtime wires it (no channel: events are handed to it directly). */
function coreOver(db: Awaited<ReturnType<typeof openAt>>["prisma"]) {
  const clock = fixedClock(NOW);
  const translator = createTranslator({ defaultLanguage: "vi" });
  const outbox = createOutbox({ db, clock });
  const core = createCore({
    db, services: createServices({ db, inviteTtlDays: 14 }), feedback: createFeedbackService({ db, outbox, translator }),
    outbox, flows: createFlowStore({ db, timeoutMs: 30 * 60_000 }), clock, translator, defaultLanguage: "vi",
  });
  // Update ids unique across the run: the replies' outbox keys are made of them.
  const event = (content: { text: string } | { payload: string }): InboundEvent => ({
    type: "message",
    message: {
      channel: "telegram", updateId: `bench-${++updates}`, sender: { id: REVIEWER_CHAT, displayName: "Xã" }, chat: { id: REVIEWER_CHAT, kind: "private" },
      ...("text" in content ? { contentKind: "text" as const, text: content.text } : { contentKind: "button" as const, buttonPayload: content.payload }),
    },
  });
  return { core, event, outbox };
}

/**
 * One notice, on a warm client as a running chibo has it: a notice to one cell first (every query
 * is compiled once per client), then the commune's preview outside the clock and its "Gửi" timed
 * until its rows are queued.
 */
async function noticeRound(file: string) {
  const database = await openAt(file);
  const db = database.prisma;
  const { core, event } = coreOver(db);
  const cell = await db.organization.findFirstOrThrow({ where: { level: "cell" }, orderBy: { id: "asc" } });
  await core.handle(event({ text: "/thongbao Chào các đồng chí." }));
  await core.handle(event({ payload: `tb:scope:${cell.id}` }));
  await core.handle(event({ payload: "tb:send" }));
  await core.handle(event({ text: "/thongbao Họp tổng kết công tác năm 2026 vào 19:30 ngày 20/12 tại hội trường UBND xã." }));
  const commune = await db.organization.findFirstOrThrow({ where: { level: "base" } });
  await core.handle(event({ payload: `tb:scope:${commune.id}` }));
  const started = performance.now();
  await core.handle(event({ payload: "tb:send" }));
  const seconds = (performance.now() - started) / 1000;
  const notice = await db.notice.findFirstOrThrow({ orderBy: { id: "desc" } });
  if (notice.organizationId !== commune.id) throw new Error("the commune's notice was not sent");
  const rows = await db.outboxMessage.findMany({ where: { broadcastId: notice.broadcastId }, orderBy: { id: "asc" } });
  const deliveryRows = await db.noticeDelivery.findMany({ where: { noticeId: notice.id }, select: { memberId: true, status: true }, orderBy: { id: "asc" } });
  await database.close();
  return { seconds, rows, deliveries: deliveryRows.length, deliveryRows, noticeId: notice.id, text: notice.text, organizationId: notice.organizationId, authorId: notice.authorId };
}


/** The same rows with nothing to plan, into a fresh copy: through the outbox, or with createMany. */
async function floorRound(file: string, notice: Awaited<ReturnType<typeof noticeRound>>, way: "all" | "outbox" | "createMany") {
  const rows = notice.rows;
  const database = await openAt(file);
  const db = database.prisma;
  // Warm, as the notice's client is: the same statements once with a few other rows.
  const warm = rows.slice(0, 10).map((r) => ({ ...r, dedupeKey: `warm:${r.dedupeKey}` }));
  await createOutbox({ db, clock: fixedClock(NOW) }).enqueue(warm.map((r) => ({ dedupeKey: r.dedupeKey, channel: r.channel, chatId: r.chatId, message: { text: r.text } })), (await db.broadcast.create({ data: { key: "warm", kind: "notice", createdAt: NOW } })).id);
  await db.outboxMessage.createMany({ data: warm.map((r) => ({ dedupeKey: `${r.dedupeKey}:2`, channel: r.channel, chatId: r.chatId, isGroup: r.isGroup, memberId: r.memberId, text: r.text, buttons: r.buttons, nextAttemptAt: NOW, createdAt: NOW })) });
  const before = await db.outboxMessage.count();
  const started = performance.now();
  if (way === "all") {
    const created = await db.notice.create({ data: { organizationId: notice.organizationId, authorId: notice.authorId, text: notice.text, createdAt: NOW, sentAt: NOW } });
    await db.$executeRaw`INSERT INTO "NoticeDelivery" ("noticeId", "memberId", "status")
      SELECT ${created.id}, r.value ->> 0, r.value ->> 1 FROM json_each(${JSON.stringify(notice.deliveryRows.map((d) => [d.memberId, d.status]))}) AS r`;
    const broadcast = await db.broadcast.create({ data: { key: "floor", kind: "notice", createdAt: NOW } });
    await db.notice.update({ where: { id: created.id }, data: { broadcastId: broadcast.id } });
    await createOutbox({ db, clock: fixedClock(NOW) }).enqueue(rows.map((r) => ({
      dedupeKey: r.dedupeKey, channel: r.channel, chatId: r.chatId, isGroup: r.isGroup, ...(r.memberId === null ? {} : { memberId: r.memberId }),
      message: { text: r.text, ...(r.buttons ? { buttons: JSON.parse(r.buttons) as QueuedMessage["message"]["buttons"] } : {}) },
    })), broadcast.id);
  } else if (way === "outbox") {
    const broadcast = await db.broadcast.create({ data: { key: "floor", kind: "notice", createdAt: NOW } });
    const messages: QueuedMessage[] = rows.map((r) => ({
      dedupeKey: r.dedupeKey, channel: r.channel, chatId: r.chatId, isGroup: r.isGroup, ...(r.memberId === null ? {} : { memberId: r.memberId }),
      message: { text: r.text, ...(r.buttons ? { buttons: JSON.parse(r.buttons) as QueuedMessage["message"]["buttons"] } : {}) },
    }));
    await createOutbox({ db, clock: fixedClock(NOW) }).enqueue(messages, broadcast.id);
  } else {
    for (let i = 0; i < rows.length; i += 500) {
      await db.outboxMessage.createMany({ data: rows.slice(i, i + 500).map((r) => ({ dedupeKey: r.dedupeKey, channel: r.channel, chatId: r.chatId, isGroup: r.isGroup, memberId: r.memberId, text: r.text, buttons: r.buttons, nextAttemptAt: NOW, createdAt: NOW })) });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const count = (await db.outboxMessage.count()) - before;
  await database.close();
  if (count !== rows.length) throw new Error(`floor ${way} queued ${count} rows, not ${rows.length}`);
  return seconds;
}

/** The delivery report of a sent notice a third of the members acknowledged. */
async function reportRound(file: string, noticeId: number) {
  const sqlite = new Sqlite(file);
  sqlite.prepare(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = "createdAt" WHERE "dedupeKey" LIKE 'notice:%'`).run();
  sqlite.prepare(`UPDATE "NoticeDelivery" SET "acknowledgedAt" = ? WHERE "noticeId" = ? AND "status" = 'queued' AND "memberId" % 3 = 0`).run(NOW.toISOString().replace("Z", "+00:00"), noticeId);
  sqlite.close();
  const database = await openAt(file);
  const db = database.prisma;
  const { core, event } = coreOver(db);
  const times: number[] = [];
  let text = "";
  // The first one warms the client (its queries compiled) and is not counted.
  for (let i = 0; i <= ROUNDS; i++) {
    const started = performance.now();
    await core.handle(event({ payload: `tb:report:${noticeId}` }));
    if (i > 0) times.push(performance.now() - started);
    text = (await db.outboxMessage.findFirstOrThrow({ where: { chatId: REVIEWER_CHAT }, orderBy: { id: "desc" } })).text;
  }
  await database.close();
  return { ms: median(times), text };
}

async function importRound(dir: string) {
  const file = path.join(dir, "import.db");
  const database = await openAt(file);
  const services = createServices({ db: database.prisma, inviteTtlDays: 14 });
  await services.organizations.add({ level: "province", name: "Tỉnh ủy Hải Phòng", code: "hai-phong" });
  await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  for (let c = 1; c <= IMPORT_CELLS; c++) {
    await services.organizations.add({ level: "cell", name: `Chi bộ thôn ${c}`, code: `thon-${c}`, parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  }
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => ({
    "STT": String(i + 1), "Họ và tên": memberName(i + 1), "Ngày sinh": `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/19${50 + (i % 50)}`,
    "Số điện thoại": i % 10 === 9 ? "" : `09${String(10_000_000 + i)}`, "Chi bộ": `Chi bộ thôn ${(i % IMPORT_CELLS) + 1}`,
    "Chức vụ": i < IMPORT_CELLS ? "Bí thư" : "", "Ngày vào Đảng": "03/02/2005", "Ngày chính thức": i % 20 === 19 ? "" : "03/02/2006",
  }));
  const xlsx = await writeMemberXlsx(dir, rows, { titleRows: ["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ HÀ KỲ"] });
  const started = performance.now();
  const report = await services.memberImport.importFile({ filePath: xlsx, orgCode: "ha-ky", dryRun: false, now: NOW, actor: CLI_ACTOR });
  const seconds = (performance.now() - started) / 1000;
  const again = performance.now();
  const second = await services.memberImport.importFile({ filePath: xlsx, orgCode: "ha-ky", dryRun: false, now: NOW, actor: CLI_ACTOR });
  const secondSeconds = (performance.now() - again) / 1000;
  await database.close();
  if (!report.ok || report.created !== IMPORT_ROWS || second.unchanged !== IMPORT_ROWS) throw new Error(`import went wrong: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 3) })}`);
  return { seconds, secondSeconds };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-bench-commune-"));
try {
  const base = path.join(dir, "commune.db");
  const built = performance.now();
  await (await openAt(base)).close();
  const { members } = await buildCommuneFile(base);
  console.log(`commune: ${CELLS} cells × ${PER_CELL} members = ${members} members and the commune's reviewer; built in ${((performance.now() - built) / 1000).toFixed(1)} s`);

  const notices: Awaited<ReturnType<typeof noticeRound>>[] = [];
  const floors: Record<"all" | "outbox" | "createMany", number[]> = { all: [], outbox: [], createMany: [] };
  let reported = "";
  for (let round = 0; round < ROUNDS; round++) {
    const copy = path.join(dir, `notice-${round}.db`);
    fs.copyFileSync(base, copy);
    const notice = await noticeRound(copy);
    notices.push(notice);
    for (const way of ["all", "outbox", "createMany"] as const) {
      const floorCopy = path.join(dir, `floor-${way}-${round}.db`);
      fs.copyFileSync(base, floorCopy);
      floors[way].push(await floorRound(floorCopy, notice, way));
    }
    if (round === 0) reported = copy;
  }
  const rows = notices[0]!.rows.length;
  if (notices.some((n) => n.rows.length !== rows || n.deliveries !== members)) throw new Error(`notice went wrong: ${JSON.stringify(notices.map((n) => [n.rows.length, n.deliveries]))}`);
  const noticeSeconds = median(notices.map((n) => n.seconds));
  const outboxFloor = median(floors.outbox);
  const allFloor = median(floors.all);
  const ratio = median(notices.map((n, i) => n.seconds / floors.all[i]!));
  const ratioOutboxOnly = median(notices.map((n, i) => n.seconds / floors.outbox[i]!));
  const createManyFloor = median(floors.createMany);
  console.log(`  notice "Gửi":       ${noticeSeconds.toFixed(3)} s  ${members} recipients recorded, ${rows} outbox rows queued (runs: ${notices.map((n) => n.seconds.toFixed(3)).join(", ")})`);
  console.log(`  floor (all rows):   ${allFloor.toFixed(3)} s  the notice, its ${members} delivery records, its broadcast and its ${rows} outbox rows, bare (runs: ${floors.all.map((s) => s.toFixed(3)).join(", ")})`);
  console.log(`  floor (outbox):     ${outboxFloor.toFixed(3)} s  the same ${rows} outbox rows alone (runs: ${floors.outbox.map((s) => s.toFixed(3)).join(", ")})`);
  console.log(`  floor (createMany): ${createManyFloor.toFixed(3)} s  the same rows, Prisma createMany 500 a call (runs: ${floors.createMany.map((s) => s.toFixed(3)).join(", ")})`);

  const report = await reportRound(reported, notices[0]!.noticeId);
  console.log(`  report:             ${report.ms.toFixed(0)} ms  "${report.text.split("\n").slice(1, 3).join(" / ").slice(0, 140)}…"`);

  const imported = await importRound(dir);
  console.log(`  import:             ${imported.seconds.toFixed(2)} s  ${IMPORT_ROWS} rows from Excel into ${IMPORT_CELLS} cells; the same file again: ${imported.secondSeconds.toFixed(2)} s`);

  console.log(`goal: ratio <= ${GOAL.noticeRatio}, report ms <= ${GOAL.reportMs}, import seconds <= ${GOAL.importSeconds}`);
  console.log(`RESULT commune-notice-floor rows=${rows} deliveries=${members} all_seconds=${allFloor.toFixed(3)} outbox_seconds=${outboxFloor.toFixed(3)} createmany_seconds=${createManyFloor.toFixed(3)}`);
  console.log(`RESULT commune-notice members=${members} seconds=${noticeSeconds.toFixed(3)} ratio=${ratio.toFixed(2)} ratio_outbox_only=${ratioOutboxOnly.toFixed(2)}`);
  console.log(`RESULT commune-report members=${members} ms=${report.ms.toFixed(0)}`);
  console.log(`RESULT commune-import rows=${IMPORT_ROWS} seconds=${imported.seconds.toFixed(2)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
