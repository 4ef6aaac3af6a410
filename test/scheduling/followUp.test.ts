import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore } from "../../src/core/createCore.ts";
import { createFlowStore } from "../../src/core/flowStore.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { allJobs } from "../../src/scheduling/index.ts";
import { createScheduler } from "../../src/scheduling/scheduler.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { buttonsOf, labelsOf, startConversationWorld } from "../conversations/harness.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";

const HOUR = 3_600_000;
/** The regular meetings of the 7th, 19:30 in Vietnam. */
const OCT = new Date("2026-10-07T12:30:00Z");
const NOV = new Date("2026-11-07T12:30:00Z");
const DEC = new Date("2026-12-07T12:30:00Z");
const JAN = new Date("2027-01-07T12:30:00Z");

const fold = (name: string) => name.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

/**
 * A commune with two village cells meeting on the 7th at 19:30. Cell Đông has a secretary, a
 * deputy and members with every kind of answer; the commune has an officer (its reviewer). Đông
 * held its October and November meetings. Telegram chat ids are 901….
 */
async function world() {
  const db = database.prisma;
  const services = buildServices(db);
  const clock = fixedClock("2026-11-30T17:00:00Z"); // 1 Dec 2026, 00:00 in Vietnam
  const outbox = createOutbox({ db, clock });
  const translator = createTranslator();
  const feedback = createFeedbackService({ db, outbox, translator });
  await services.organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const commune = await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const dong = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  const tay = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Tây", code: "tay", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  let chat = 900;
  const person = async (fullName: string, cellId: number, options: { role?: { role: string; organizationId: number }; status?: string; admittedOn?: string; fullMembershipOn?: string; exemptFrom?: string } = {}) => {
    const m = await db.member.create({
      data: {
        fullName, searchName: fold(fullName), status: options.status ?? "full", cellId, admittedOn: options.admittedOn ?? null, fullMembershipOn: options.fullMembershipOn ?? null,
        ...(options.exemptFrom ? { exemption: "temporary", exemptionReason: "ốm dài ngày", exemptionFrom: options.exemptFrom, exemptionUntil: "2027-06-30" } : {}),
      },
    });
    if (options.role) await db.role.create({ data: { memberId: m.id, ...options.role } });
    await db.chatIdentity.create({ data: { memberId: m.id, channel: "telegram", externalUserId: String(++chat), chatId: String(chat) } });
    return { ...m, chatId: String(chat) };
  };
  const people = {
    secretary: await person("Đỗ Thị Tám", dong.id, { role: { role: "secretary", organizationId: dong.id } }),
    deputy: await person("Nguyễn Văn Hai", dong.id, { role: { role: "deputy_secretary", organizationId: dong.id } }),
    officer: await person("Hoàng Văn Sáu", tay.id, { role: { role: "reviewer", organizationId: commune.id } }),
    present: await person("Ngô Văn Bảy", dong.id, { admittedOn: "2025-12-15" }),
    excused: await person("Trần Thị Ba", dong.id),
    noReason: await person("Phan Văn Bốn", dong.id),
    silent: await person("Lê Văn Sáu", dong.id),
    exempt: await person("Phạm Văn Mười", dong.id, { exemptFrom: "2026-11-01" }),
    probationer: await person("Vũ Thị Năm", dong.id, { status: "probationary", admittedOn: "2026-01-06" }),
    nearlyFull: await person("Đinh Văn Tư", dong.id, { status: "probationary", admittedOn: "2025-12-20" }),
    newcomer: await person("Mai Thị Hoa", dong.id, { status: "probationary", admittedOn: "2026-11-20" }),
    alreadyFull: await person("Lý Văn Năm", tay.id, { status: "probationary", admittedOn: "2025-12-20", fullMembershipOn: "2026-12-01" }),
    secretaryB: await person("Trần Văn Tư", tay.id, { role: { role: "secretary", organizationId: tay.id } }),
  };
  // October and November were held. Lê Văn Sáu: no answer, then absent without a reason; Phan
  // Văn Bốn: absent without a reason, then with one; Phạm Văn Mười, exempt from November, never answered.
  const answers = async (meetingId: number, list: [{ id: number }, "present" | "absent", string?][]) => {
    for (const [m, answer, reason] of list) await db.attendance.create({ data: { meetingId, memberId: m.id, answer, reason: reason ?? null, source: "button", answeredAt: OCT } });
  };
  const p = people;
  const oct = await db.meeting.create({ data: { cellId: dong.id, scheduledAt: OCT, status: "held", heldAt: OCT } });
  await answers(oct.id, [[p.secretary, "present"], [p.deputy, "present"], [p.present, "present"], [p.excused, "absent", "đi công tác"], [p.noReason, "absent"], [p.probationer, "present"], [p.nearlyFull, "present"]]);
  const nov = await db.meeting.create({ data: { cellId: dong.id, scheduledAt: NOV, status: "held", heldAt: NOV } });
  await answers(nov.id, [[p.secretary, "present"], [p.deputy, "present"], [p.present, "present"], [p.excused, "absent", "đi công tác"], [p.noReason, "absent", "ốm"], [p.silent, "absent", "  "], [p.probationer, "present"], [p.nearlyFull, "present"]]);

  const deps = { db, services, feedback, outbox, translator, defaultLanguage: "vi" as const };
  const scheduler = (name: string) => createScheduler({ db, outbox, jobs: allJobs(deps), clock, logger: pino({ level: "silent" }), instanceId: name });
  // The core as the channels reach it: a button pressed in a private chat.
  const core = createCore({ ...deps, flows: createFlowStore({ db, timeoutMs: 30 * 60_000 }), clock });
  let update = 0;
  const press = async (who: { chatId: string }, payload: string): Promise<string[]> => {
    const updateId = `u${++update}`;
    await core.handle({ type: "message", message: { channel: "telegram", updateId, sender: { id: who.chatId, displayName: "x" }, chat: { id: who.chatId, kind: "private" }, contentKind: "button", buttonPayload: payload } });
    return (await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `reply:telegram:${updateId}:` } }, orderBy: { id: "asc" } })).map((r) => r.text);
  };
  return { db, clock, people, dong, tay, scheduler, services, press };
}

type World = Awaited<ReturnType<typeof world>>;

async function rows(db: TestDatabase["prisma"], prefix: string) {
  return db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { id: "asc" } });
}

/** December's answers, given on the 5th through the attendance service. */
async function answerDecember(w: World) {
  const meeting = await w.db.meeting.upsert({ where: { cellId_scheduledAt: { cellId: w.dong.id, scheduledAt: DEC } }, create: { cellId: w.dong.id, scheduledAt: DEC }, update: {} });
  const p = w.people;
  for (const [m, answer, reason] of [[p.secretary, "present"], [p.deputy, "present"], [p.present, "present"], [p.excused, "absent", "đi công tác"], [p.noReason, "absent"], [p.probationer, "present"], [p.nearlyFull, "present"]] as const) {
    await w.services.attendance.record({ meetingId: meeting.id, memberId: m.id, answer, reason, source: "button", now: w.clock.now() });
  }
  return meeting;
}

const SUMMARY = [
  "Điểm danh buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 — Chi bộ thôn Đông",
  "Có mặt (5): Đinh Văn Tư, Đỗ Thị Tám, Ngô Văn Bảy, Nguyễn Văn Hai, Vũ Thị Năm",
  "Vắng (2):",
  "  • Phan Văn Bốn — chưa nêu lý do",
  "  • Trần Thị Ba — đi công tác",
  "Chưa trả lời (2): Lê Văn Sáu, Mai Thị Hoa",
  "Miễn sinh hoạt (1): Phạm Văn Mười",
  "",
  "Chi bộ đã sinh hoạt kỳ này chưa? Đồng chí chọn «Đã họp» để ghi nhận, hoặc «Chưa họp được».",
].join("\n");

describe("after the meeting", () => {
  it("summary and held question, not-held report, absence flag and probation notice: each once, with two schedulers and a restart", async () => {
    const w = await world();
    const p = w.people;
    let a = w.scheduler("a");
    const b = w.scheduler("b");
    const end = new Date("2026-12-15T17:00:00Z"); // 16 Dec, 00:00
    let tick = 0;
    const replies: Record<string, string[]> = {};
    while (w.clock.now() < end) {
      w.clock.advance(HOUR);
      tick += 1;
      if (tick === 5 * 24) a = w.scheduler("a-restarted");
      await (tick % 2 ? a : b).runDue(w.clock.now());
      await (tick % 3 ? b : a).runDue(w.clock.now());
      const now = w.clock.now().toISOString();
      if (now === "2026-12-05T03:00:00.000Z") await answerDecember(w);
      // 8 Dec 09:00: thôn Tây's secretary confirms its meeting; 10 Dec 09:00, after the report, Đông's secretary confirms too.
      if (now === "2026-12-08T02:00:00.000Z") {
        const tay = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.tay.id, scheduledAt: DEC } });
        replies.tay = await w.press(p.secretaryB, `held:${tay.id}:y`);
      }
      if (now === "2026-12-10T02:00:00.000Z") {
        const dong = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.dong.id, scheduledAt: DEC } });
        replies.dong = await w.press(p.secretary, `held:${dong.id}:y`);
      }
    }
    const dec = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.dong.id, scheduledAt: DEC } });
    const tayDec = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.tay.id, scheduledAt: DEC } });

    // 7 Dec 22:30 (3 hours after the start; queued by the hourly pass of 23:00): Đông's secretary and
    // deputy get the roster and the buttons, Tây's secretary its own.
    const summaries = await rows(w.db, "after-meeting:");
    expect(summaries.map((r) => [r.dedupeKey.split(":")[1], r.chatId])).toEqual([[String(dec.id), p.secretary.chatId], [String(dec.id), p.deputy.chatId], [String(tayDec.id), p.secretaryB.chatId]]);
    expect(summaries.every((r) => r.createdAt.toISOString() === "2026-12-07T16:00:00.000Z")).toBe(true);
    expect(summaries[0]!.text).toBe(SUMMARY);
    expect(JSON.parse(summaries[0]!.buttons!)).toEqual([
      [{ label: "Đã họp", payload: `held:${dec.id}:y` }, { label: "Chưa họp được", payload: `held:${dec.id}:n` }],
      [{ label: "Ghi / sửa điểm danh", payload: `dd:${dec.id}:list` }],
    ]);

    // Tây was confirmed on the 8th: nothing reported. Đông was not by the end of the 9th: the
    // commune's officer hears it at 07:00 on the 10th, once.
    expect(replies.tay).toEqual(["Đã ghi nhận: Chi bộ thôn Tây đã tổ chức buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đảng viên vắng không nêu lý do hoặc không trả lời được tính là vắng không có lý do; đồng chí ghi lại ai thực có mặt, ai vắng đến 14/12/2026 19:30 (nút «Ghi / sửa điểm danh» hoặc /diemdanh)."]);
    const notHeld = await rows(w.db, "not-held:");
    expect(notHeld.map((r) => [r.chatId, r.createdAt.toISOString()])).toEqual([[p.officer.chatId, "2026-12-10T00:00:00.000Z"]]);
    expect(notHeld[0]!.text).toBe([
      "⚠️ Chi bộ thôn Đông chưa báo đã tổ chức buổi sinh hoạt thường kỳ Thứ Hai, 07/12/2026 19:30; thời hạn lùi lịch đã hết (hết ngày 09/12/2026).",
      "Đề nghị đồng chí liên hệ bí thư, phó bí thư chi bộ: Đỗ Thị Tám, Nguyễn Văn Hai.",
    ].join("\n"));
    expect(replies.dong![0]).toMatch(/^Đã ghi nhận: Chi bộ thôn Đông đã tổ chức buổi sinh hoạt Thứ Hai, 07\/12\/2026 19:30\./);
    expect(dec).toMatchObject({ status: "held", heldAt: DEC });

    // Once December counts (held, confirmed on the 10th; its roll call final a week after the start,
    // 14 Dec 19:30), Lê Văn Sáu has 3 unexcused absences: flagged on the 15th at 07:00 to the
    // secretary, the deputy and the commune, once. Phan Văn Bốn (2, one
    // excused), Phạm Văn Mười (exempt from November) and Mai Thị Hoa (admitted 20 Nov) are not.
    const flags = await rows(w.db, "absence:");
    expect(flags.map((r) => r.chatId)).toEqual([p.secretary.chatId, p.deputy.chatId, p.officer.chatId]);
    expect(flags.every((r) => r.dedupeKey.startsWith(`absence:${p.silent.id}:${dec.id}:`) && r.createdAt.toISOString() === "2026-12-15T00:00:00.000Z")).toBe(true);
    expect(flags[0]!.text).toBe([
      "⚠️ Đồng chí Lê Văn Sáu (Chi bộ thôn Đông) vắng sinh hoạt không có lý do 3 lần trong 12 tháng qua (mức cần lưu ý: 3 lần):",
      "  • 07/10/2026 — không trả lời",
      "  • 07/11/2026 — vắng, không nêu lý do",
      "  • 07/12/2026 — không trả lời",
      "Đề nghị chi bộ kiểm tra lại và gặp đồng chí Lê Văn Sáu tìm hiểu lý do. Theo Điều lệ Đảng, đảng viên bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính đáng thì được xem xét xóa tên.",
    ].join("\n"));

    // Probation: Đinh Văn Tư's 12 months end on 20 Dec, already within 30 days at the daily run of
    // 30 Nov 07:00, caught up at the first start (1 Dec 01:00); Vũ Thị Năm's end on 6 Jan 2027, 30 days
    // after 7 Dec. The secretary only (not the deputy), once each.
    const probation = await rows(w.db, "probation:");
    expect(probation.map((r) => [r.dedupeKey.split(":")[1], r.chatId, r.createdAt.toISOString()])).toEqual([
      [String(p.nearlyFull.id), p.secretary.chatId, "2026-11-30T18:00:00.000Z"],
      [String(p.probationer.id), p.secretary.chatId, "2026-12-07T00:00:00.000Z"],
    ]);
    expect(probation[0]!.text).toBe("🎓 Đồng chí Đinh Văn Tư (Chi bộ thôn Đông) là đảng viên dự bị, vào Đảng ngày 20/12/2025, sẽ đủ 12 tháng dự bị vào ngày 20/12/2026 (còn 20 ngày). Đề nghị chi bộ chuẩn bị hồ sơ xét chuyển đảng chính thức cho đồng chí.");
    expect(probation[1]!.text).toContain("Vũ Thị Năm (Chi bộ thôn Đông) là đảng viên dự bị, vào Đảng ngày 06/01/2026, sẽ đủ 12 tháng dự bị vào ngày 06/01/2027 (còn 30 ngày)");

    // Every slot ran once, whichever instance took it.
    const runs = await w.db.scheduleRun.findMany({ where: { job: { in: ["after-meeting", "meeting-not-held", "absence-flag", "probation-notice"] } }, orderBy: [{ dueAt: "asc" }, { claimedAt: "asc" }] });
    expect(runs.map((r) => [r.job, r.queued])).toEqual([
      ["probation-notice", 1],
      ["probation-notice", 1],
      ["after-meeting", 2],
      ["after-meeting", 1],
      ["meeting-not-held", 1],
      ["meeting-not-held", 0],
      ["absence-flag", 3],
    ]);
    expect(new Set(runs.map((r) => r.claimedBy)).size).toBeGreaterThan(1);
  });

  it("flags again only when a new unexcused absence is counted, not every day", async () => {
    const w = await world();
    const p = w.people;
    const dec = await w.db.meeting.create({ data: { cellId: w.dong.id, scheduledAt: DEC, status: "held", heldAt: DEC } });
    const run = async (at: string) => {
      w.clock.set(at);
      await w.scheduler(`at-${at}`).runDue(w.clock.now());
    };
    // Not while December's roll call can still be corrected (until 14 Dec 19:30).
    await run("2026-12-08T00:30:00Z"); // 8 Dec 07:30
    await run("2026-12-14T00:30:00Z");
    expect(await rows(w.db, "absence:")).toEqual([]);
    await run("2026-12-15T00:30:00Z"); // 15 Dec 07:30
    await run("2026-12-16T00:30:00Z");
    await run("2026-12-17T00:30:00Z");
    expect((await rows(w.db, `absence:${p.silent.id}:`)).map((r) => r.dedupeKey.split(":")[2])).toEqual([String(dec.id), String(dec.id), String(dec.id)]);
    // January held; Lê Văn Sáu absent again: a fourth absence, flagged once more.
    const jan = await w.db.meeting.create({ data: { cellId: w.dong.id, scheduledAt: JAN, status: "held", heldAt: JAN } });
    await w.db.attendance.create({ data: { meetingId: jan.id, memberId: p.silent.id, answer: "absent", source: "text", answeredAt: DEC } });
    await run("2027-01-15T00:30:00Z");
    await run("2027-01-16T00:30:00Z");
    const flags = await rows(w.db, `absence:${p.silent.id}:`);
    expect(flags.map((r) => r.dedupeKey.split(":")[2])).toEqual([...Array(3).fill(String(dec.id)), ...Array(3).fill(String(jan.id))]);
    expect(flags.at(-1)!.text).toMatch(/^⚠️ Đồng chí Lê Văn Sáu \(Chi bộ thôn Đông\) vắng sinh hoạt không có lý do 4 lần trong 12 tháng qua/);
    // Phan Văn Bốn: October (no reason) and December (no answer) made 2, not flagged; January's no answer makes 3.
    expect((await rows(w.db, `absence:${p.noReason.id}:`)).map((r) => [r.dedupeKey.split(":")[2], r.createdAt.toISOString()])).toEqual(Array(3).fill([String(jan.id), "2027-01-15T00:30:00.000Z"]));
  });
});

describe("the held buttons", () => {
  it("only a leader of the meeting's cell may answer; 'not held' points to /doilich while the window is open", async () => {
    const w = await world();
    const p = w.people;
    await answerDecember(w);
    w.clock.set("2026-12-07T15:31:00Z"); // 7 Dec 22:31
    await w.scheduler("a").runDue(w.clock.now());
    const dec = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.dong.id, scheduledAt: DEC } });
    // Thôn Tây's secretary and a plain member of Đông replay Đông's button: refused, nothing changes.
    expect(await w.press(p.secretaryB, `held:${dec.id}:y`)).toEqual(["Đồng chí không có quyền dùng lệnh này."]);
    expect(await w.press(p.present, `held:${dec.id}:y`)).toEqual(["Đồng chí không có quyền dùng lệnh này."]);
    expect(await w.press(p.officer, `held:${dec.id}:n`)).toEqual(["Đồng chí không có quyền dùng lệnh này."]);
    expect((await w.db.meeting.findUniqueOrThrow({ where: { id: dec.id } })).status).toBe("planned");
    expect(await w.press(p.deputy, `held:${dec.id}:n`)).toEqual(["Nếu chưa họp được, đồng chí gửi /doilich để lùi buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 (chậm nhất đến ngày 09/12/2026) và nêu lý do; cấp ủy cấp trên sẽ được báo."]);
    w.clock.set("2026-12-10T01:00:00Z"); // 10 Dec 08:00: the window has closed
    expect(await w.press(p.deputy, `held:${dec.id}:n`)).toEqual(["Buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 đã quá thời hạn được lùi (hết ngày 09/12/2026). Đồng chí báo cáo cấp ủy cấp trên lý do chi bộ chưa sinh hoạt."]);
    expect(await w.press(p.deputy, `held:${dec.id}:y`)).toEqual(["Đã ghi nhận: Chi bộ thôn Đông đã tổ chức buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đảng viên vắng không nêu lý do hoặc không trả lời được tính là vắng không có lý do; đồng chí ghi lại ai thực có mặt, ai vắng đến 14/12/2026 19:30 (nút «Ghi / sửa điểm danh» hoặc /diemdanh)."]);
    expect(await w.press(p.secretary, `held:${dec.id}:y`)).toEqual(["Buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 của Chi bộ thôn Đông đã được ghi nhận là đã họp."]);
    expect(await w.db.meeting.findUniqueOrThrow({ where: { id: dec.id } })).toMatchObject({ status: "held", heldAt: DEC });
  });

  it("held marked after the roll call is final says so, without offering a correction", async () => {
    const w = await world();
    const dec = await w.db.meeting.create({ data: { cellId: w.dong.id, scheduledAt: DEC } });
    w.clock.set("2026-12-15T02:00:00Z");
    expect(await w.press(w.people.secretary, `held:${dec.id}:y`)).toEqual(["Đã ghi nhận: Chi bộ thôn Đông đã tổ chức buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đảng viên vắng không nêu lý do hoặc không trả lời được tính là vắng không có lý do."]);
    expect((await rows(w.db, "reply:")).at(-1)!.buttons).toBeNull();
  });

  it("a postponed meeting is asked about after its new start, and cannot be marked held before it", async () => {
    const w = await world();
    const p = w.people;
    w.clock.set("2026-12-06T03:00:00Z");
    await w.services.meetings.postpone({ cellCode: "dong", newStart: new Date("2026-12-08T12:30:00Z"), reason: "trùng lịch bầu cử", now: w.clock.now() });
    const dec = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.dong.id, scheduledAt: DEC } });
    expect(await w.press(p.secretary, `held:${dec.id}:y`)).toEqual(["Buổi sinh hoạt Thứ Ba, 08/12/2026 19:30 chưa đến giờ bắt đầu, chưa ghi nhận được."]);
    const a = w.scheduler("a");
    for (const at of ["2026-12-07T15:30:00Z", "2026-12-08T15:30:00Z"]) {
      w.clock.set(at);
      await a.runDue(w.clock.now());
    }
    const summaries = await rows(w.db, `after-meeting:${dec.id}:`);
    expect(summaries.map((r) => r.chatId)).toEqual([p.secretary.chatId, p.deputy.chatId]);
    expect(summaries[0]!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Ba, 08\/12\/2026 19:30 — Chi bộ thôn Đông\n/);
    // Not held by the end of the 9th: the report names the move and its reason.
    w.clock.set("2026-12-10T00:00:00Z");
    await a.runDue(w.clock.now());
    expect((await rows(w.db, `not-held:${w.dong.id}:`)).map((r) => r.text)).toEqual([[
      "⚠️ Chi bộ thôn Đông chưa báo đã tổ chức buổi sinh hoạt thường kỳ Thứ Hai, 07/12/2026 19:30; thời hạn lùi lịch đã hết (hết ngày 09/12/2026).",
      "Buổi này đã được lùi sang Thứ Ba, 08/12/2026 19:30, lý do: trùng lịch bầu cử.",
      "Đề nghị đồng chí liên hệ bí thư, phó bí thư chi bộ: Đỗ Thị Tám, Nguyễn Văn Hai.",
    ].join("\n")]);
  });

  it("are pressed in Telegram: another cell's secretary is refused, the cell's secretary marks it held", async () => {
    const w = await startConversationWorld("telegram");
    try {
      const { db } = w.app.chibo;
      w.clock.set("2026-12-07T15:31:00Z"); // Monday 7 Dec 22:31, 3 hours after the meeting began
      const report = await w.runScheduler();
      expect(report.ran.filter((r) => r.job === "after-meeting").length).toBe(3); // cells A, B and C
      w.clock.set("2026-12-07T23:30:00Z"); // the summaries wait for the end of the quiet hours: Tuesday 06:30
      await expect.poll(async () => (await w.sentTo(w.people.secretary.id)).length).toBe(1);
      const summary = (await w.sentTo(w.people.secretary.id))[0]!;
      expect(summary.text).toBe([
        "Điểm danh buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 — Chi bộ thôn Đông",
        "Có mặt (0): —",
        "Vắng (0):",
        "Chưa trả lời (4): Đỗ Thị Tám, Lê Văn Chín, Ngô Văn Bảy, Phạm Văn Mười",
        "",
        "Chi bộ đã sinh hoạt kỳ này chưa? Đồng chí chọn «Đã họp» để ghi nhận, hoặc «Chưa họp được».",
      ].join("\n"));
      expect(labelsOf(summary)).toEqual([["Đã họp", "Chưa họp được"], ["Ghi / sửa điểm danh"]]);
      const [held, notHeld] = buttonsOf(summary)[0]!;
      // Thôn Tây's summary went to its own secretary, with its own meeting's buttons.
      await expect.poll(async () => (await w.sentTo(w.people.secretaryB.id)).length).toBe(1);
      expect((await w.sentTo(w.people.secretaryB.id))[0]!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Hai, 07\/12\/2026 19:30 — Chi bộ thôn Tây\n/);
      expect(buttonsOf((await w.sentTo(w.people.secretaryB.id))[0])[0]![0]).not.toBe(held);
      expect(w.texts(await w.press(w.people.secretaryB, held!))).toEqual(["Đồng chí không có quyền dùng lệnh này."]);
      expect(w.texts(await w.press(w.people.committeeMember, held!))).toEqual(["Đồng chí không có quyền dùng lệnh này."]);
      expect(w.texts(await w.press(w.people.secretary, notHeld!))).toEqual(["Nếu chưa họp được, đồng chí gửi /doilich để lùi buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 (chậm nhất đến ngày 09/12/2026) và nêu lý do; cấp ủy cấp trên sẽ được báo."]);
      const [done] = await w.press(w.people.secretary, held!);
      expect(done!.text).toBe("Đã ghi nhận: Chi bộ thôn Đông đã tổ chức buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đảng viên vắng không nêu lý do hoặc không trả lời được tính là vắng không có lý do; đồng chí ghi lại ai thực có mặt, ai vắng đến 14/12/2026 19:30 (nút «Ghi / sửa điểm danh» hoặc /diemdanh).");
      const meeting = await db.meeting.findFirstOrThrow({ where: { cellId: w.orgs.cellA.id, scheduledAt: DEC } });
      expect(meeting).toMatchObject({ status: "held", heldAt: DEC });

      // The secretary records who really came: nobody had answered; Ngô Văn Bảy and the elder
      // without a phone came, the others did not. Members themselves can no longer answer.
      const [list] = await w.press(w.people.secretary, buttonsOf(summary)[1]![0]!);
      expect(list!.text).toBe("Ghi hoặc sửa điểm danh của đồng chí nào?");
      // Not the secretary herself: after the start another officer records her.
      expect(labelsOf(list)).toEqual([["Lê Văn Chín (chưa rõ)"], ["Ngô Văn Bảy (chưa rõ)"], ["Phạm Văn Mười (chưa rõ)"]]);
      const [own] = await w.press(w.people.secretary, `dd:${meeting.id}:${w.people.secretary.memberId}:p`);
      expect(own!.text).toBe("Sau khi buổi sinh hoạt bắt đầu, điểm danh của chính đồng chí do một đồng chí khác trong chi ủy ghi.");
      const [ask] = await w.press(w.people.secretary, buttonsOf(list)[1]![0]!);
      expect(ask!.text).toBe("Đồng chí Ngô Văn Bảy có mặt hay vắng trong buổi sinh hoạt?");
      const [recorded, roster] = await w.press(w.people.secretary, buttonsOf(ask)[0]![0]!, 2);
      expect(recorded!.text).toBe("Đã ghi: đồng chí Ngô Văn Bảy có mặt.");
      expect(roster!.text).toBe([
        "Điểm danh buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 — Chi bộ thôn Đông",
        "Có mặt (1): Ngô Văn Bảy",
        "Vắng (0):",
        "Chưa trả lời (3): Đỗ Thị Tám, Lê Văn Chín, Phạm Văn Mười",
        "",
        "Buổi sinh hoạt đã bắt đầu. Ghi hoặc sửa ai có mặt, ai vắng đến 14/12/2026 19:30; sau đó điểm danh được chốt để tính vắng không lý do.",
      ].join("\n"));
      expect(labelsOf(roster)).toEqual([["Ghi / sửa điểm danh"]]);
      const row = await db.attendance.findFirstOrThrow({ where: { meetingId: meeting.id, memberId: w.people.member.memberId } });
      expect(row).toMatchObject({ answer: "present", source: "secretary", recordedById: w.people.secretary.memberId });
      // Recorded after the start: in the audit log, with what it replaced.
      expect(await db.auditLog.findFirst({ where: { subjectType: "Attendance", subjectId: String(row.id) } })).toMatchObject({ actorId: w.people.secretary.memberId, action: "create", detail: "none -> present (after the meeting started)" });
      // A correction: marked present by mistake, then absent; the list shows what is recorded.
      const [again] = await w.press(w.people.secretary, `dd:${meeting.id}:list`);
      expect(labelsOf(again).at(-1)).toEqual(["Ngô Văn Bảy (có mặt)"]);
      const [absent] = await w.press(w.people.secretary, `dd:${meeting.id}:${w.people.member.memberId}:a`, 2);
      expect(absent!.text).toBe("Đã ghi: đồng chí Ngô Văn Bảy vắng.");
      // /diemdanh, within the week, opens this meeting rather than January's.
      const [rollCall] = await w.say(w.people.secretary, "/diemdanh");
      expect(rollCall!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Hai, 07\/12\/2026 19:30 — Chi bộ thôn Đông\nCó mặt \(0\): —\nVắng \(1\):\n  • Ngô Văn Bảy — chưa nêu lý do\n/);
      // The member's own button no longer changes anything.
      const [refused] = await w.press(w.people.member, `att:${meeting.id}:p`);
      expect(refused!.text).toBe("Buổi sinh hoạt đã bắt đầu, không đổi câu trả lời được nữa.");

      // A week after the start the roll call is final: January's meeting is next, December's is closed.
      w.clock.set("2026-12-14T12:31:00Z");
      const [next] = await w.say(w.people.secretary, "/diemdanh");
      expect(next!.text).toMatch(/^Điểm danh buổi sinh hoạt Thứ Năm, 07\/01\/2027 19:30 — Chi bộ thôn Đông\n/);
      const [closed] = await w.press(w.people.secretary, `dd:${meeting.id}:${w.people.member.memberId}:p`);
      expect(closed!.text).toBe("Đã quá 7 ngày sau buổi sinh hoạt nên điểm danh đã chốt, không sửa được nữa.");
      expect(await db.attendance.findFirst({ where: { meetingId: meeting.id, memberId: w.people.member.memberId } })).toMatchObject({ answer: "absent" });
    } finally {
      await w.stop();
    }
  });
});
