import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pushedTo } from "../../src/services/audit.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let meetingId: number;
let communeId: number;
let ids: { absent: number; present: number; secretary: number };

const NOW = new Date("2026-12-03T03:00:00Z");
const REASON = "ốm nằm viện";
const SECRETARY = () => ({ kind: "member", memberId: ids.secretary });

beforeEach(async () => {
  database = await freshDatabase();
  const db = database.prisma;
  services = buildServices(db);
  const { village, commune } = await buildSmallTree(services);
  communeId = commune.id;
  const member = async (fullName: string) => (await db.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId: village.id } })).id;
  ids = { absent: await member("Ngô Văn Bảy"), present: await member("Phạm Văn Mười"), secretary: await member("Đỗ Thị Tám") };
  await member("Lê Văn Chín");
  meetingId = (await db.meeting.create({ data: { cellId: village.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } })).id;
  await services.attendance.record({ meetingId, memberId: ids.absent, answer: "absent", reason: REASON, source: "button", now: NOW });
  await services.attendance.record({ meetingId, memberId: ids.present, answer: "present", source: "button", now: NOW });
});
afterEach(() => database.cleanup());

/** Makes every write to the audit log fail, as a full disk or a lost table would. */
const breakAuditLog = () => database.prisma.$executeRawUnsafe(`CREATE TRIGGER no_audit BEFORE INSERT ON "AuditLog" BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END`);

describe("a roster read", () => {
  it("is one row for the reader, with the meeting and counts, never a name or a reason", async () => {
    const roster = await services.attendance.roster(meetingId, SECRETARY(), NOW);
    expect(roster.absent[0]!.reason).toBe(REASON);
    const log = await database.prisma.auditLog.findMany();
    expect(log).toMatchObject([{ actorKind: "member", actorId: ids.secretary, action: "read", subjectType: "Roster", subjectId: String(meetingId), detail: "present 1, absent 1 (1 with a reason), not answered 2, exempt 0", at: NOW }]);
    for (const secret of [REASON, "Ngô Văn Bảy", "Phạm Văn Mười"]) expect(JSON.stringify(log)).not.toContain(secret);
  });

  it("pushed by a job, is one row per member it went to (a member with two chats once), none when it goes to nobody", async () => {
    await services.attendance.roster(meetingId, pushedTo([ids.secretary, ids.present, ids.secretary]), NOW);
    await services.attendance.roster(meetingId, pushedTo([]), NOW);
    const log = await database.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(log.map((r) => [r.actorKind, r.actorId, r.subjectType, r.subjectId])).toEqual([
      ["system", ids.secretary, "Roster", String(meetingId)],
      ["system", ids.present, "Roster", String(meetingId)],
    ]);
  });

  it("fails, showing nothing, when the log cannot be written", async () => {
    await breakAuditLog();
    await expect(services.attendance.roster(meetingId, SECRETARY(), NOW)).rejects.toThrow();
  });
});

describe("a feedback digest read", () => {
  it("is logged for its reader with the organization and counts, and fails when the log cannot be written", async () => {
    const db = database.prisma;
    const feedback = createFeedbackService({ db, outbox: createOutbox({ db, clock: fixedClock(NOW) }), translator: createTranslator() });
    const week = { from: new Date("2026-11-29T17:00:00Z"), to: new Date("2026-12-06T17:00:00Z") };
    await feedback.digest({ orgId: communeId, ...week, now: NOW }, SECRETARY());
    expect(await db.auditLog.findMany({ where: { subjectType: "FeedbackDigest" } })).toMatchObject([
      { actorKind: "member", actorId: ids.secretary, action: "read", subjectId: String(communeId), detail: "2026-11-30..2026-12-06: 0 items, 0 overdue" },
    ]);
    await breakAuditLog();
    await expect(feedback.digest({ orgId: communeId, ...week, now: NOW }, SECRETARY())).rejects.toThrow();
  });
});
