import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { allJobs } from "../../src/scheduling/index.ts";
import { createScheduler } from "../../src/scheduling/scheduler.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { buildServices } from "../helpers/services.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const HOUR = 3_600_000;
let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

/** A province with a village cell (the 7th, 19:30) and a school cell (first Thursday, 16:30). */
async function province() {
  const db = database.prisma;
  const services = buildServices(db);
  const clock = fixedClock("2026-11-30T17:00:00Z"); // 1 Dec 2026, 00:00 in Vietnam
  const outbox = createOutbox({ db, clock });
  const translator = createTranslator();
  const feedback = createFeedbackService({ db, outbox, translator });
  await services.organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const commune = await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const village = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  const school = await services.organizations.add({ level: "cell", name: "Chi bộ Trường THCS", code: "thcs", parentCode: "ha-ky", cellKind: "school", rule: { weekday: 4, nth: 1, time: "16:30" } });
  let chat = 900;
  const person = async (fullName: string, cellId: number, options: { linked?: boolean; exempt?: boolean; role?: { role: string; organizationId: number } } = {}) => {
    const m = await db.member.create({
      data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId, ...(options.exempt ? { exemption: "temporary", exemptionReason: "ốm dài ngày", exemptionFrom: "2026-11-01" } : {}) },
    });
    if (options.role) await db.role.create({ data: { memberId: m.id, ...options.role } });
    if (options.linked !== false) await db.chatIdentity.create({ data: { memberId: m.id, channel: "telegram", externalUserId: String(++chat), chatId: String(chat) } });
    return m;
  };
  const people = {
    secretary: await person("Đỗ Thị Tám", village.id, { role: { role: "secretary", organizationId: village.id } }),
    answered: await person("Ngô Văn Bảy", village.id),
    silent: await person("Lê Văn Sáu", village.id),
    unlinked: await person("Cụ Lê Văn Chín", village.id, { linked: false }),
    exempt: await person("Cụ Phạm Văn Mười", village.id, { exempt: true }),
    teacher: await person("Vũ Thị Năm", school.id),
    reviewer: await person("Hoàng Văn Sáu", school.id, { role: { role: "reviewer", organizationId: commune.id } }),
  };
  const deps = { db, services, feedback, outbox, translator, defaultLanguage: "vi" as const };
  const scheduler = (name: string) => createScheduler({ db, outbox, jobs: allJobs(deps), clock, logger: pino({ level: "silent" }), instanceId: name });
  return { db, clock, people, village, school, scheduler, services };
}

async function rows(db: TestDatabase["prisma"], prefix: string) {
  return db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { id: "asc" } });
}

describe("a month of schedules", () => {
  // A month of slots on a busy machine: a generous bound, not a speed goal (bench/schedule.ts measures speed).
  it("sends each reminder, nudge and digest exactly once, with two schedulers and a restart", { timeout: 120_000 }, async () => {
    const w = await province();
    let a = w.scheduler("a");
    const b = w.scheduler("b");
    const end = new Date("2026-12-31T17:00:00Z");
    let tick = 0;
    while (w.clock.now() < end) {
      w.clock.advance(HOUR);
      tick += 1;
      // Two instances share the database; halfway, instance a restarts (and catches up).
      if (tick === 15 * 24) a = w.scheduler("a-restarted");
      await (tick % 2 ? a : b).runDue(w.clock.now());
      await (tick % 3 ? b : a).runDue(w.clock.now());
      // Before the village's nudge (6 Dec 08:00), one member answers.
      if (w.clock.now().toISOString() === "2026-12-05T03:00:00.000Z") {
        const meeting = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.village.id } });
        await w.services.attendance.record({ meetingId: meeting.id, memberId: w.people.answered.id, answer: "present", source: "button", now: w.clock.now() });
      }
    }
    const village = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.village.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } });
    const toChat = async (memberId: number) => (await w.db.chatIdentity.findFirst({ where: { memberId } }))?.chatId;
    const reminders = await rows(w.db, `reminder:${village.id}:`);
    const byChat = (chatId: string | undefined) => reminders.filter((r) => r.chatId === chatId && !r.dedupeKey.includes(":unlinked:")).map((r) => r.dedupeKey.split(":")[3]);
    // Every linked, non-exempt member: the 3-day and the 2-hour reminder, once each…
    expect(byChat(await toChat(w.people.answered.id))).toEqual(["d3@0800", "h2"]);
    // …and those who had not answered by then, the nudge the day before.
    for (const m of [w.people.silent, w.people.secretary]) expect(byChat(await toChat(m.id))).toEqual(["d3@0800", "nudge-d1@0800", "h2"]);
    expect(byChat(await toChat(w.people.exempt.id))).toEqual([]);
    // The unlinked member is not messaged; the secretary hears about them once.
    const unlinked = reminders.filter((r) => r.dedupeKey.includes(":unlinked:"));
    expect(unlinked).toHaveLength(1);
    expect(unlinked[0]!.text).toContain("Cụ Lê Văn Chín");
    expect(unlinked[0]!.text).not.toContain("Phạm Văn Mười");
    const silentChat = await toChat(w.people.silent.id);
    expect(reminders.find((r) => r.dedupeKey.endsWith(`h2:telegram:${silentChat}`))!.text).toMatch(/^📅 Nhắc lịch: Chi bộ thôn Đông sinh hoạt thường kỳ Thứ Hai, 07\/12\/2026 19:30\./);
    // The school's first Thursday (3 Dec 16:30): its two reminders reached the teacher once each.
    const school = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.school.id, scheduledAt: new Date("2026-12-03T09:30:00Z") } });
    expect((await rows(w.db, `reminder:${school.id}:`)).filter((r) => r.chatId === "905" || r.chatId === "906").length).toBeGreaterThan(0);
    // Digests of the week before, once a week: Monday 30 Nov 07:30 was missed before the first
    // start (00:00 on 1 Dec) and caught up, then every Monday of December (7, 14, 21, 28).
    const digests = await rows(w.db, "digest:");
    expect(digests.map((d) => d.dedupeKey.split(":")[1])).toEqual(["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"]);
    expect(new Set(digests.map((d) => d.chatId))).toEqual(new Set([await toChat(w.people.reviewer.id)]));
    // Every slot ran once, whichever instance took it.
    const runs = await w.db.scheduleRun.findMany();
    expect(new Set(runs.map((r) => `${r.job}:${r.slot}`)).size).toBe(runs.length);
    expect(new Set(runs.map((r) => r.claimedBy)).size).toBeGreaterThan(1);
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
  });

  it("catches up missed slots on start within the window, once, and skips a reminder for a meeting already under way", async () => {
    const w = await province();
    // Down from 4 Dec 00:00 until 7 Dec 20:00 local: the 3-day reminder (4 Dec 08:00) is older
    // than 24 h and the 2-hour one (7 Dec 17:30) is for a meeting that has begun.
    w.clock.set("2026-12-03T17:00:00Z");
    await w.scheduler("before").runDue(w.clock.now());
    w.clock.set("2026-12-07T13:00:00Z");
    const report = await w.scheduler("after-restart").runDue(w.clock.now());
    const village = await w.db.meeting.findFirst({ where: { cellId: w.village.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } });
    const sent = village ? await rows(w.db, `reminder:${village.id}:`) : [];
    expect(sent).toEqual([]);
    // Only the 2-hour slot is inside the window; it ran and queued nothing, as the meeting had begun.
    expect(report.ran.filter((r) => r.slot.startsWith(`${w.village.id}:`)).map((r) => [r.slot.split(":").at(-1), r.queued])).toEqual([["h2", 0]]);
    // A second instance starting now finds nothing left to do.
    const again = await w.scheduler("another").runDue(w.clock.now());
    expect(again.ran).toEqual([]);
  });

  it("follows the province's own settings: other offsets, no nudge, digest on Friday", async () => {
    const w = await province();
    await w.services.organizations.setScheduleSettings("hai-phong", { reminders: [{ daysBefore: 2, at: "07:00" }], nudge: null, digest: { weekday: 5, at: "16:00" } });
    const a = w.scheduler("a");
    w.clock.set("2026-12-03T17:00:00Z"); // 4 Dec 00:00
    for (let hour = 0; hour < 4 * 24; hour += 1) {
      w.clock.advance(HOUR);
      await a.runDue(w.clock.now());
    }
    const village = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.village.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } });
    const kinds = new Set((await rows(w.db, `reminder:${village.id}:`)).map((r) => r.dedupeKey.split(":")[3]));
    expect(kinds).toEqual(new Set(["d2@0700"]));
    const digests = await rows(w.db, "digest:");
    expect(digests).toHaveLength(1);
    expect(digests[0]!.createdAt.toISOString()).toBe("2026-12-04T09:00:00.000Z"); // Friday 16:00 local
  });
});
