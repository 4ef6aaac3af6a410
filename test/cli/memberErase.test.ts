import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Sqlite from "better-sqlite3";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

/**
 * `members erase` on a member with ten years of rows in every table (120 answers, 30 feedback
 * items, 200 notices, 1,500 messages to them, 450 updates from them), beside a member who must
 * not lose anything. Each table is checked after the erasure.
 */
const NOW = "2026-12-03T03:00:00Z";
const ERASED_AT = new Date(NOW);
const MEETINGS = 120;
const FEEDBACK = 30;
const NOTICES = 200;
const MESSAGES = 1500;
const UPDATES = 400;

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
let subject: number;
let other: number;
const run = (args: string[]) => chibo(args, { databaseUrl: database.url, now: NOW });

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  tree = await buildSmallTree(services);
  const db = database.prisma;
  const at = new Date("2026-11-01T00:00:00Z");
  subject = (await db.member.create({ data: {
    fullName: "Phạm Thị Hạnh", searchName: "pham thi hanh", phone: "0912345001", birthDate: "1961-04-02", status: "full", admittedOn: "1990-05-19", fullMembershipOn: "1991-05-19",
    exemption: "temporary", exemptionReason: "Điều trị dài ngày", exemptionFrom: "2026-10-01", exemptionUntil: "2027-03-31", cellId: tree.village.id,
    eraseRequestedAt: new Date("2026-12-01T02:00:00Z"), consentAt: at, consentVersion: "2026-1",
  } })).id;
  other = (await db.member.create({ data: { fullName: "Lê Văn Giữ", searchName: "le van giu", phone: "0912345002", birthDate: "1970-01-01", status: "full", admittedOn: "2000-01-01", fullMembershipOn: "2001-01-01", cellId: tree.village.id } })).id;
  await db.role.createMany({ data: [
    { memberId: subject, organizationId: tree.village.id, role: "member" }, { memberId: subject, organizationId: tree.village.id, role: "secretary" },
    { memberId: subject, organizationId: tree.commune.id, role: "reviewer" }, { memberId: other, organizationId: tree.village.id, role: "member" },
  ] });
  await db.chatIdentity.createMany({ data: [
    { memberId: subject, channel: "telegram", externalUserId: "700", chatId: "700", linkedAt: at },
    { memberId: subject, channel: "zalo_bot", externalUserId: "z700", chatId: "z700", linkedAt: at },
    { memberId: subject, channel: "web", externalUserId: `web-${subject}`, chatId: `web-${subject}`, linkedAt: at },
    { memberId: other, channel: "telegram", externalUserId: "801", chatId: "801", linkedAt: at },
    // An id that begins like the subject's web chat: a text search finds it, nothing else may.
    { memberId: other, channel: "web", externalUserId: `web-${subject}1`, chatId: `web-${subject}1`, linkedAt: at },
  ] });
  await services.invites.issue(subject, at, CLI_ACTOR);
  await services.invites.issue(subject, at, CLI_ACTOR, 14, { keepEarlier: true });
  await services.invites.issue(other, at, CLI_ACTOR);
  await db.chatFlow.create({ data: { key: "telegram:700", channel: "telegram", chatId: "700", memberId: subject, feature: "feedback", step: "text", data: JSON.stringify({ text: "Đường thôn bị lún" }), language: "vi", startedAt: at, expiresAt: ERASED_AT } });
  await db.linkAttempt.createMany({ data: [
    ...Array.from({ length: 5 }, () => ({ channel: "telegram", externalUserId: "700", chatId: "700", at })),
    ...Array.from({ length: 3 }, () => ({ channel: "telegram", externalUserId: "801", chatId: "801", at })),
  ] });

  // Ten years of monthly meetings: the subject answered every one (absent with a reason every other time).
  await db.meeting.createMany({ data: Array.from({ length: MEETINGS }, (_, i) => ({ cellId: tree.village.id, scheduledAt: new Date(Date.UTC(2016 + Math.floor(i / 12), i % 12, 7, 12, 30)), status: "held" })) });
  const meetings = await db.meeting.findMany({ orderBy: { id: "asc" } });
  await db.attendance.createMany({ data: [
    ...meetings.map((m, i) => ({ meetingId: m.id, memberId: subject, answer: i % 2 ? "absent" : "present", reason: i % 2 ? `đi viện lần ${i}` : null, source: "button", answeredAt: m.scheduledAt })),
    ...meetings.slice(0, 10).map((m) => ({ meetingId: m.id, memberId: other, answer: "absent", reason: "đi làm xa", source: "text", answeredAt: m.scheduledAt })),
  ] });

  // Feedback: 20 signed and 10 anonymous by the subject, each submitted and then taken up by a reviewer;
  // one by the other member, which the subject took up as a reviewer.
  for (let i = 0; i < FEEDBACK + 1; i++) {
    const author = i < FEEDBACK ? subject : other;
    const anonymous = i >= 20 && i < FEEDBACK;
    const item = await db.feedback.create({ data: {
      reference: `GY-2026-${String(i + 1).padStart(6, "0")}`, topOrganizationId: tree.province.id, authorId: author, anonymous, cellId: tree.village.id,
      addressee: "peoples_committee", category: "environment", text: `Góp ý số ${i + 1}: rác ở đầu thôn`, status: "under_review", createdAt: at, updatedAt: at,
    } });
    await db.feedbackEvent.createMany({ data: [
      { feedbackId: item.id, fromStatus: null, toStatus: "submitted", actorId: anonymous ? null : author, at },
      { feedbackId: item.id, fromStatus: "submitted", toStatus: "under_review", actorId: author === subject ? other : subject, at },
    ] });
  }

  const notices = await db.notice.createManyAndReturn({ data: Array.from({ length: NOTICES }, (_, i) => ({ organizationId: tree.commune.id, authorId: other, text: `Thông báo ${i + 1}`, createdAt: at, sentAt: at })), select: { id: true } });
  await db.noticeDelivery.createMany({ data: notices.flatMap((n, i) => [
    { noticeId: n.id, memberId: subject, status: "queued", acknowledgedAt: i % 2 ? at : null },
    { noticeId: n.id, memberId: other, status: "queued" },
  ]) });

  const STATUSES = ["sent", "sent", "failed", "unreachable", "queued", "sending"];
  const outbox = (key: string, fields: { channel?: string; chatId: string; memberId?: number | null; isGroup?: boolean; status?: string; attachment?: string }) =>
    ({ dedupeKey: key, channel: fields.channel ?? "telegram", chatId: fields.chatId, isGroup: fields.isGroup ?? false, memberId: fields.memberId ?? null, text: `Tin ${key}`, buttons: '[[{"label":"Có mặt","payload":"att:1:p"}]]', attachment: fields.attachment ?? null, status: fields.status ?? "sent", nextAttemptAt: at, createdAt: at, externalMessageId: "m1" });
  await db.outboxMessage.createMany({ data: [
    ...Array.from({ length: MESSAGES }, (_, i) => outbox(`s${i}`, { chatId: "700", memberId: subject, status: STATUSES[i % STATUSES.length]!, ...(i === 0 ? { attachment: '{"fileName":"a.txt","mimeType":"text/plain","base64":"YQ=="}' } : {}) })),
    // Replies to their chats written before the chat was linked carry no member id.
    ...Array.from({ length: 20 }, (_, i) => outbox(`pre${i}`, { chatId: "700" })),
    outbox("zalo", { channel: "zalo_bot", chatId: "z700" }),
    ...Array.from({ length: 30 }, (_, i) => outbox(`group${i}`, { chatId: "-5", isGroup: true })),
    ...Array.from({ length: 100 }, (_, i) => outbox(`o${i}`, { chatId: "801", memberId: other })),
  ] });

  const telegramUpdate = (i: number, from: number, text: string) => JSON.stringify({ update_id: 10_000 + i, message: { message_id: i, from: { id: from, is_bot: false, first_name: "X" }, chat: { id: from, type: "private" }, date: 1764700000, text } });
  await db.inboundUpdate.createMany({ data: [
    ...Array.from({ length: UPDATES }, (_, i) => ({ channel: "telegram", externalId: `t${i}`, payload: telegramUpdate(i, 700, "vắng, đi viện"), receivedAt: at, status: i < 10 ? "pending" : "done" })),
    ...Array.from({ length: 50 }, (_, i) => ({ channel: "zalo_bot", externalId: `z${i}`, payload: JSON.stringify({ event_name: "message.text.received", message: { message_id: `zm${i}`, from: { id: "z700" }, chat: { id: "z700", chat_type: "PRIVATE" }, text: "có mặt" } }), receivedAt: at, status: "done" })),
    { channel: "web", externalId: `web-${subject}:a`, payload: JSON.stringify({ id: `web-${subject}:a`, chatId: `web-${subject}`, displayName: "web", text: "/lich" }), receivedAt: at, status: "done" },
    // The other member's: one mentions "700" as a house number and a message id, one is their web chat.
    ...Array.from({ length: 100 }, (_, i) => ({ channel: "telegram", externalId: `o${i}`, payload: telegramUpdate(700 + i, 801, i === 0 ? "nhà số 700" : "có mặt"), receivedAt: at, status: "done" })),
    { channel: "web", externalId: `web-${subject}1:b`, payload: JSON.stringify({ id: `web-${subject}1:b`, chatId: `web-${subject}1`, displayName: "web", text: "/lich" }), receivedAt: at, status: "done" },
  ] });
});
afterEach(() => database.cleanup());

/** Every row of every table the erasure may touch, to show that nothing changed. */
async function everything() {
  const db = database.prisma;
  return JSON.stringify(await Promise.all([
    db.member.findMany({ orderBy: { id: "asc" } }), db.role.findMany({ orderBy: { id: "asc" } }), db.chatIdentity.findMany({ orderBy: { id: "asc" } }),
    db.inviteCode.findMany({ orderBy: { id: "asc" } }), db.chatFlow.findMany(), db.linkAttempt.findMany({ orderBy: { id: "asc" } }),
    db.attendance.findMany({ orderBy: { id: "asc" } }), db.feedback.findMany({ orderBy: { id: "asc" } }), db.feedbackEvent.findMany({ orderBy: { id: "asc" } }),
    db.noticeDelivery.findMany({ orderBy: { id: "asc" } }), db.outboxMessage.findMany({ orderBy: { id: "asc" } }), db.inboundUpdate.findMany({ orderBy: { id: "asc" } }),
    db.auditLog.findMany({ orderBy: { id: "asc" } }),
  ]));
}

/** Rows of the other member and of nobody in particular, which the erasure must leave as they are. */
async function notTheSubjects() {
  const db = database.prisma;
  return JSON.stringify(await Promise.all([
    db.member.findUnique({ where: { id: other } }), db.role.findMany({ where: { memberId: other } }), db.chatIdentity.findMany({ where: { memberId: other } }),
    db.inviteCode.findMany({ where: { memberId: other } }), db.linkAttempt.findMany({ where: { externalUserId: "801" } }),
    db.attendance.findMany({ where: { memberId: other } }), db.feedback.findMany({ where: { authorId: other } }), db.noticeDelivery.findMany({ where: { memberId: other } }),
    db.outboxMessage.findMany({ where: { OR: [{ memberId: other }, { isGroup: true }] }, orderBy: { id: "asc" } }),
    db.inboundUpdate.findMany({ where: { OR: [{ externalId: { startsWith: "o" } }, { externalId: `web-${subject}1:b` }] }, orderBy: { id: "asc" } }),
  ]));
}

describe("members erase", () => {
  it("without --yes says what it would remove and keep, changes nothing, and exits with 1", async () => {
    const before = await everything();
    const preview = await run(["members", "erase", "0912 345 001"]);
    expect(preview.code).toBe(1);
    expect(preview.stdout.split("\n")).toEqual([
      `Đảng viên #${subject}: Phạm Thị Hạnh, Chi bộ thôn Đông; đồng chí yêu cầu xóa lúc 01/12/2026 09:00.`,
      "Sẽ xóa:",
      "  - liên kết ứng dụng chat: 3",
      "  - mã mời: 2",
      "  - việc đang làm dở trong chat: 1",
      "  - vai trò: 3",
      `  - lý do vắng họp: ${MEETINGS / 2}`,
      "  - tên người gửi trên góp ý có ký tên (chuyển thành ẩn danh): 20",
      `  - tin nhắn chibo đã gửi hoặc sắp gửi tới đồng chí (xóa nội dung và nơi nhận; tin chưa gửi sẽ không gửi nữa): ${MESSAGES + 21}`,
      `  - tin nhắn đồng chí gửi chibo còn lưu (xóa nội dung): ${UPDATES + 51}`,
      "  - lần nhập mã liên kết sai: 5",
      `  - trên hồ sơ: họ tên (thành «Đảng viên đã xóa #${subject}»), số điện thoại, ngày sinh, ngày vào Đảng, ngày chính thức, miễn sinh hoạt và lý do`,
      "Giữ lại, và vì sao:",
      `  - ${MEETINGS} câu trả lời có mặt/vắng, không kèm lý do: để số liệu sinh hoạt của chi bộ vẫn đúng`,
      `  - ${FEEDBACK} góp ý, nay ẩn danh và không còn gắn với đồng chí: là hồ sơ tiếp nhận của cơ quan được gửi tới`,
      `  - ${NOTICES} lượt nhận thông báo: để báo cáo gửi thông báo vẫn đúng số lượng`,
      `  - dòng hồ sơ «Đảng viên đã xóa #${subject}» với chi bộ và loại đảng viên: các số liệu và lịch sử trên trỏ tới nó; đánh dấu đã xóa, không nhận tin`,
      "  - 2 dòng nhật ký: ghi ai làm gì theo mã số, không có họ tên; xóa theo thời hạn lưu nhật ký",
      "  - hồ sơ đảng viên do tổ chức đảng quản lý: không nằm trong chibo, chibo không xóa",
      "Chưa xóa gì. Nếu chi ủy đã đồng ý, chạy lại lệnh với --yes.",
    ]);
    expect(await everything()).toBe(before);
  });

  it("with --yes removes every personal row of the member in every table, keeps the counts, and leaves everyone else's alone", async () => {
    const db = database.prisma;
    const othersBefore = await notTheSubjects();
    const auditBefore = await db.auditLog.count();
    const done = await run(["members", "erase", `#${subject}`, "--yes"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Đã xóa:\n  - liên kết ứng dụng chat: 3\n");
    expect(done.stdout).toContain(`  - ${MEETINGS} câu trả lời có mặt/vắng`);

    expect(await db.member.findUniqueOrThrow({ where: { id: subject } })).toMatchObject({
      fullName: `Đảng viên đã xóa #${subject}`, searchName: `dang vien da xoa #${subject}`, phone: null, birthDate: null, admittedOn: null, fullMembershipOn: null,
      exemption: "none", exemptionReason: null, exemptionFrom: null, exemptionUntil: null, erasedAt: ERASED_AT, deactivatedAt: ERASED_AT,
      cellId: tree.village.id, status: "full",
    });
    expect(await db.role.count({ where: { memberId: subject } })).toBe(0);
    expect(await db.chatIdentity.count({ where: { memberId: subject } })).toBe(0);
    expect(await db.inviteCode.count({ where: { memberId: subject } })).toBe(0);
    expect(await db.chatFlow.count()).toBe(0);
    expect(await db.linkAttempt.count({ where: { externalUserId: "700" } })).toBe(0);

    // Answers stay, reasons go.
    const answers = await db.attendance.findMany({ where: { memberId: subject } });
    expect(answers).toHaveLength(MEETINGS);
    expect(answers.filter((a) => a.answer === "absent")).toHaveLength(MEETINGS / 2);
    expect(answers.every((a) => a.reason === null)).toBe(true);

    // Feedback stays, anonymous and unlinked; the submission names nobody; what the subject did as a reviewer stays.
    const items = await db.feedback.findMany({ where: { reference: { not: `GY-2026-${String(FEEDBACK + 1).padStart(6, "0")}` } }, include: { events: { orderBy: { id: "asc" } } } });
    expect(items).toHaveLength(FEEDBACK);
    expect(items.every((f) => f.authorId === null && f.anonymous && f.text.startsWith("Góp ý số"))).toBe(true);
    expect(items.every((f) => f.events[0]!.actorId === null && f.events[1]!.actorId === other)).toBe(true);
    expect(await db.feedbackEvent.count({ where: { actorId: subject } })).toBe(1);

    expect(await db.noticeDelivery.count({ where: { memberId: subject } })).toBe(NOTICES);
    expect(await db.noticeDelivery.count({ where: { memberId: subject, acknowledgedAt: { not: null } } })).toBe(NOTICES / 2);

    // Every message to their chats is emptied and addressed to nobody; what was waiting will never go.
    const theirs = await db.outboxMessage.findMany({ where: { OR: [{ memberId: subject }, { dedupeKey: { startsWith: "pre" } }, { dedupeKey: "zalo" }] } });
    expect(theirs).toHaveLength(MESSAGES + 21);
    expect(theirs.every((m) => m.text === "" && m.chatId === "" && m.buttons === null && m.attachment === null && m.externalMessageId === null)).toBe(true);
    expect(theirs.filter((m) => m.status === "queued" || m.status === "sending")).toEqual([]);
    expect(theirs.filter((m) => m.status === "failed" && m.lastError === "member erased")).toHaveLength(MESSAGES / 3);
    expect(await db.outboxMessage.count({ where: { chatId: { in: ["700", "z700"] } } })).toBe(0);

    // Every update they sent is emptied; the row stays so a redelivery is still known; none is left to handle.
    const updates = await db.inboundUpdate.findMany({ where: { OR: [{ externalId: { startsWith: "t" } }, { externalId: { startsWith: "z" } }, { externalId: `web-${subject}:a` }] } });
    expect(updates).toHaveLength(UPDATES + 51);
    expect(updates.every((u) => u.payload === "{}" && u.status === "done")).toBe(true);
    expect(await db.inboundUpdate.count({ where: { payload: { contains: "đi viện" } } })).toBe(0);

    expect(await notTheSubjects()).toBe(othersBefore);

    const log = await db.auditLog.findMany({ where: { id: { gt: auditBefore } } });
    expect(log).toMatchObject([{ actorKind: "cli", action: "delete", subjectType: "Member", subjectId: String(subject) }]);
    expect(log[0]!.detail).not.toMatch(/Hạnh|0912345001|1961/);

    // It cannot run twice; the list shows the record as erased.
    const again = await run(["members", "erase", `#${subject}`, "--yes"]);
    expect(again).toMatchObject({ code: 1, stderr: `Dữ liệu của đảng viên #${subject} đã được xóa trước đây.` });
    const listed = (await run(["members", "list", "--org", "thon-dong"])).stdout.split("\n");
    expect(listed.find((line) => line.startsWith(`#${subject} `))).toBe(`#${subject}  Đảng viên đã xóa #${subject}  -  Chi bộ thôn Đông  chính thức  chat: -  [đã xóa dữ liệu]`);
  }, 60_000);

  it("gives an erased member's name and phone to a new record when a list names the person again", async () => {
    await run(["members", "erase", `#${subject}`, "--yes"]);
    const row = (name: string, phone: string, birth: string) => ({ "Họ và tên": name, "Ngày sinh": birth, "Số điện thoại": phone, "Chi bộ": "Chi bộ thôn Đông", "Chức vụ": "", "Ngày vào Đảng": "01/01/2000", "Ngày chính thức": "01/01/2001" });
    const file = writeMemberCsv(tempDir(), [row("Phạm Thị Hạnh", "0912345001", "02/04/1961"), row("Lê Văn Giữ", "0912345002", "01/01/1970")]);
    const report = await services.memberImport.importFile({ filePath: file, orgCode: "ha-ky", dryRun: false, now: new Date(NOW), actor: CLI_ACTOR });
    expect(report).toMatchObject({ ok: true, created: 1, unchanged: 1, deactivated: [] });
    const again = await database.prisma.member.findUniqueOrThrow({ where: { phone: "0912345001" } });
    expect(again.id).not.toBe(subject);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: subject } })).fullName).toBe(`Đảng viên đã xóa #${subject}`);
  });

  it("leaves nothing half-erased when a write fails part of the way", async () => {
    // The member row is written last: a failure there must undo every deletion before it.
    const raw = new Sqlite(database.file);
    raw.exec(`CREATE TRIGGER refuse_erase BEFORE UPDATE OF "erasedAt" ON "Member" WHEN NEW."erasedAt" IS NOT NULL BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    raw.close();
    const before = await everything();
    const failed = await run(["members", "erase", `#${subject}`, "--yes"]);
    expect(failed.code).toBe(1);
    // It failed where the trigger stands, after every deletion before it.
    expect(failed.stderr).toMatch(/member\.update\(\).*Dữ liệu không bị thay đổi\./s);
    expect(await everything()).toBe(before);
  });
});
