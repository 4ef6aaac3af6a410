import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { retentionJob } from "../../src/scheduling/jobs/retention.ts";
import { createScheduler } from "../../src/scheduling/scheduler.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

const DAY = 86_400_000;
// Friday 4 December 2026, 03:20 in Vietnam: just after the nightly purge time.
const NOW = new Date("2026-12-03T20:20:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

async function seed() {
  const db = database.prisma;
  const services = buildServices(db);
  const { village } = await buildSmallTree(services);
  const member = await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: village.id } });
  const outbox = (status: string, createdAt: Date, key: string) =>
    db.outboxMessage.create({ data: { dedupeKey: key, channel: "telegram", chatId: "7", memberId: member.id, text: `Nội dung ẩn danh ${key}`, buttons: "[]", status, nextAttemptAt: createdAt, createdAt } });
  await outbox("sent", ago(40), "old-sent");
  await outbox("failed", ago(31), "old-failed");
  await outbox("queued", ago(40), "old-queued");
  await outbox("sent", ago(5), "new-sent");
  await db.inboundUpdate.create({ data: { channel: "telegram", externalId: "1", payload: "{}", receivedAt: ago(45), status: "done" } });
  await db.inboundUpdate.create({ data: { channel: "telegram", externalId: "2", payload: "{}", receivedAt: ago(45), status: "pending" } });
  await db.inboundUpdate.create({ data: { channel: "telegram", externalId: "3", payload: "{}", receivedAt: ago(2), status: "done" } });
  const oldMeeting = await db.meeting.create({ data: { cellId: village.id, scheduledAt: ago(420) } });
  const recent = await db.meeting.create({ data: { cellId: village.id, scheduledAt: ago(300) } });
  for (const meeting of [oldMeeting, recent]) {
    await db.attendance.create({ data: { meetingId: meeting.id, memberId: member.id, answer: "absent", reason: "Đi viện", source: "text", answeredAt: meeting.scheduledAt } });
  }
  await db.auditLog.create({ data: { actorKind: "cli", action: "read", subjectType: "Member", at: ago(800) } });
  await db.auditLog.create({ data: { actorKind: "cli", action: "read", subjectType: "Member", at: ago(10) } });
  // Failed invite codes count for minutes: a day-old one is gone, one of the last hour stays.
  const attempt = (chatId: string, at: Date) => db.linkAttempt.create({ data: { channel: "telegram", externalUserId: chatId, chatId, at } });
  await attempt("81", ago(1.5));
  await attempt("82", new Date(NOW.getTime() - 3_600_000));
  // Console sign-in links: a spent one and an expired one go, a live one stays; sessions likewise.
  const link = (tokenHash: string, expiresAt: Date, usedAt: Date | null) => db.consoleSignIn.create({ data: { tokenHash, memberId: member.id, issuedVia: "chat", createdAt: ago(1), expiresAt, usedAt } });
  await link("spent", new Date(NOW.getTime() + 600_000), ago(0.01));
  await link("expired", ago(0.001), null);
  await link("live", new Date(NOW.getTime() + 600_000), null);
  const session = (tokenHash: string, lastSeenAt: Date, expiresAt: Date) => db.consoleSession.create({ data: { tokenHash, csrfToken: "c", memberId: member.id, createdAt: ago(1), lastSeenAt, expiresAt } });
  await session("ended", ago(0.1), ago(0.01));
  await session("idle", ago(2), new Date(NOW.getTime() + 3_600_000));
  await session("open", ago(0.01), new Date(NOW.getTime() + 3_600_000));
  // A member list checked in the console and never confirmed; another setting stays.
  await db.channelState.create({ data: { key: "console:memberImport:9", value: JSON.stringify({ until: ago(1).toISOString() }) } });
  await db.channelState.create({ data: { key: "telegram:offset", value: "7" } });
  return { oldMeeting, recent };
}

describe("the nightly retention purge", () => {
  it("clears what is past its period, once, with two schedulers on the database, and keeps the rest", async () => {
    const db = database.prisma;
    const { oldMeeting, recent } = await seed();
    const clock = fixedClock(NOW);
    const deps = { db, services: buildServices(db), feedback: createFeedbackService({ db, outbox: createOutbox({ db, clock }), translator: createTranslator() }), outbox: createOutbox({ db, clock }), translator: createTranslator(), defaultLanguage: "vi" as const };
    const scheduler = (instance: string) => createScheduler({ db, outbox: deps.outbox, jobs: [retentionJob(deps)], clock, logger: pino({ level: "silent" }), instanceId: instance, catchUpMs: DAY });
    await Promise.all([scheduler("a").runDue(), scheduler("b").runDue()]);

    const outbox = await db.outboxMessage.findMany({ orderBy: { id: "asc" }, select: { dedupeKey: true, text: true, buttons: true } });
    expect(outbox).toEqual([
      { dedupeKey: "old-sent", text: "", buttons: null },
      { dedupeKey: "old-failed", text: "", buttons: null },
      { dedupeKey: "old-queued", text: "Nội dung ẩn danh old-queued", buttons: "[]" },
      { dedupeKey: "new-sent", text: "Nội dung ẩn danh new-sent", buttons: "[]" },
    ]);
    expect((await db.inboundUpdate.findMany({ orderBy: { id: "asc" } })).map((u) => u.externalId)).toEqual(["2", "3"]);
    expect((await db.attendance.findFirstOrThrow({ where: { meetingId: oldMeeting.id } })).reason).toBeNull();
    expect((await db.attendance.findFirstOrThrow({ where: { meetingId: recent.id } })).reason).toBe("Đi viện");
    expect(await db.auditLog.count({ where: { subjectType: "Member" } })).toBe(1);
    expect((await db.linkAttempt.findMany()).map((a) => a.chatId)).toEqual(["82"]);
    expect((await db.consoleSignIn.findMany()).map((l) => l.tokenHash)).toEqual(["live"]);
    expect((await db.consoleSession.findMany()).map((l) => l.tokenHash)).toEqual(["open"]);
    expect((await db.channelState.findMany()).map((r) => r.key)).toEqual(["telegram:offset"]);
    const purges = await db.auditLog.findMany({ where: { subjectType: "Retention" } });
    expect(purges).toHaveLength(1);
    expect(JSON.parse(purges[0]!.detail!)).toMatchObject({ outboxTexts: 2, inboundUpdates: 1, attendanceReasons: 1, auditRows: 1, linkAttempts: 1, consoleSessions: 4 });
    expect(await db.scheduleRun.count({ where: { job: "retention-purge" } })).toBe(1);
  });

  it("keeps periods that are set longer", async () => {
    const db = database.prisma;
    await seed();
    const { purgeExpired } = await import("../../src/services/retention.ts");
    const report = await purgeExpired(db, NOW, { outboxText: 60, inboundUpdate: 60, attendanceReason: 500, auditLog: 1000 });
    // Failed invite codes are not kept longer: they are only counted for minutes.
    expect(report).toEqual({ outboxTexts: 0, inboundUpdates: 0, attendanceReasons: 0, auditRows: 0, linkAttempts: 1, consoleSessions: 4 });
  });
});
