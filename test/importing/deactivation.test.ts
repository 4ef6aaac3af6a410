import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { chatsOfMembers, chatsWhere, membersUnder, officersOf, reachOfCells } from "../../src/services/recipients.ts";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

/**
 * A member list imported again without someone: the file is the truth for the cells it lists, so
 * that member leaves (no role, no chat, no usable invite, no message), and comes back when listed again.
 */
let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
let dir: string;
const NOW = new Date("2026-11-01T03:00:00Z");
const LATER = new Date("2026-11-20T03:00:00Z");

const person = (n: number, cell: string, position = "") => ({
  "Họ và tên": `Nguyễn Văn ${["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Minh"][n]}`,
  "Ngày sinh": `0${n + 1}/03/1970`,
  "Số điện thoại": `091200000${n}`,
  "Chi bộ": cell,
  "Chức vụ": position,
  "Ngày vào Đảng": "03/02/1995",
  "Ngày chính thức": "03/02/1996",
});
// Six members of thôn Đông (0 its secretary, 5 the one who leaves), three of the school.
const DONG = [person(0, "Chi bộ thôn Đông", "Bí thư"), person(1, "Chi bộ thôn Đông", "Phó bí thư"), person(2, "Chi bộ thôn Đông"), person(3, "Chi bộ thôn Đông"), person(4, "Chi bộ thôn Đông"), person(5, "Chi bộ thôn Đông")];
const SCHOOL = [person(6, "Chi bộ Trường THCS Hà Kỳ", "Bí thư"), person(7, "Chi bộ Trường THCS Hà Kỳ"), person(8, "Chi bộ Trường THCS Hà Kỳ")];

let files = 0;
function importRows(rows: Record<string, string>[], options: { dryRun?: boolean; allowDeactivate?: boolean; now?: Date } = {}) {
  const filePath = writeMemberCsv(dir, rows, { fileName: `danh-sach-${++files}.csv` });
  return services.memberImport.importFile({ filePath, orgCode: "ha-ky", dryRun: options.dryRun ?? false, now: options.now ?? LATER, actor: CLI_ACTOR, allowDeactivate: options.allowDeactivate ?? false });
}

const memberByPhone = (phone: string) => database.prisma.member.findUniqueOrThrow({ where: { phone }, include: { roles: true, identities: true, inviteCodes: true } });

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  tree = await buildSmallTree(services);
  dir = tempDir();
  files = 0;
  expect(await importRows([...DONG, ...SCHOOL], { now: NOW })).toMatchObject({ ok: true, created: 9 });
  // Everyone linked Telegram; the one who leaves also has an invite code and a half-written feedback.
  const members = await database.prisma.member.findMany({ orderBy: { id: "asc" } });
  await database.prisma.chatIdentity.createMany({ data: members.map((m) => ({ memberId: m.id, channel: "telegram", externalUserId: String(500 + m.id), chatId: String(500 + m.id) })) });
  const leaver = await memberByPhone("0912000005");
  await services.invites.issue(leaver.id, NOW, CLI_ACTOR);
  await database.prisma.chatFlow.create({ data: { key: `telegram:${500 + leaver.id}`, channel: "telegram", chatId: String(500 + leaver.id), memberId: leaver.id, feature: "feedback", step: "text", data: "{}", language: "vi", startedAt: NOW, expiresAt: LATER } });
});
afterEach(() => database.cleanup());

describe("re-importing a list without a member", () => {
  it("names them in the dry run, then takes their role, chats, flow and invite away; the school's list is not touched", async () => {
    const leaver = await memberByPhone("0912000005");
    const dry = await importRows(DONG.slice(0, 5), { dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, unchanged: 5, activeInCells: 6, needsAllowDeactivate: false });
    expect(dry.deactivated).toEqual([{ id: leaver.id, fullName: "Nguyễn Văn Hải", cellName: "Chi bộ thôn Đông" }]);
    expect(await memberByPhone("0912000005")).toMatchObject({ deactivatedAt: null, identities: [expect.anything()] });

    const report = await importRows(DONG.slice(0, 5));
    expect(report).toMatchObject({ ok: true, unchanged: 5, deactivated: [{ id: leaver.id }] });
    const left = await memberByPhone("0912000005");
    expect(left.deactivatedAt).toEqual(LATER);
    expect(left.roles).toEqual([]);
    expect(left.identities).toEqual([]);
    expect(left.inviteCodes.every((c) => c.expiresAt.getTime() <= LATER.getTime())).toBe(true);
    expect(await database.prisma.chatFlow.count()).toBe(0);
    // The history stays: the row, its name and phone.
    expect(left).toMatchObject({ fullName: "Nguyễn Văn Hải", phone: "0912000005", cellId: tree.village.id });

    // The school's members are in cells the file does not list: still active and linked.
    const school = await database.prisma.member.findMany({ where: { cellId: tree.school.id }, include: { identities: true, roles: true } });
    expect(school.map((m) => [m.deactivatedAt, m.identities.length, m.roles.length > 0])).toEqual([[null, 1, true], [null, 1, true], [null, 1, true]]);
    expect(await database.prisma.member.count({ where: { deactivatedAt: null } })).toBe(8);

    const log = await database.prisma.auditLog.findMany({ where: { at: LATER }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.action, l.subjectType, l.subjectId])).toEqual([["update", "Member", String(leaver.id)], ["import", "Member", null]]);
    expect(log[0]!.detail).toBe("deactivated: not in danh-sach-3.csv");
    expect(log[1]!.detail).toContain("1 deactivated");
    expect(log.some((l) => l.detail?.includes("Hải"))).toBe(false);
  });

  it("makes them nobody's recipient nor expected attendee, even with a chat or role left over", async () => {
    await importRows(DONG.slice(0, 5));
    const db = database.prisma;
    const leaver = await memberByPhone("0912000005");
    // A chat and an officer's role written by hand afterwards: the filters hold on their own.
    await db.chatIdentity.create({ data: { memberId: leaver.id, channel: "telegram", externalUserId: "999", chatId: "999" } });
    await db.role.create({ data: { memberId: leaver.id, organizationId: tree.commune.id, role: "reviewer" } });
    const inCell = (chats: { memberId: number }[]) => chats.map((c) => c.memberId).includes(leaver.id);
    expect(inCell(await chatsOfMembers(db, [leaver.id]))).toBe(false);
    expect(inCell(await chatsOfMembers(db, { cellId: tree.village.id }))).toBe(false);
    expect(inCell(await chatsWhere(db, membersUnder(tree.commune.path, 0)))).toBe(false);
    expect(await chatsWhere(db, membersUnder(tree.commune.path, 0))).toHaveLength(8);
    const reach = await reachOfCells(db, [tree.village.id]);
    expect(reach.members.map((m) => m.id)).not.toContain(leaver.id);
    expect(reach.members).toHaveLength(5);
    expect(inCell(reach.chats)).toBe(false);
    expect(await officersOf(db, tree.commune.id)).toEqual([]);

    const ahead = await services.attendance.nextMeeting(tree.village, LATER);
    const roster = await services.attendance.roster(ahead!.meeting.id, CLI_ACTOR, LATER);
    expect(roster.pending.map((m) => m.id)).not.toContain(leaver.id);
    expect(roster.pending).toHaveLength(5);
    await expect(services.attendance.record({ meetingId: ahead!.meeting.id, memberId: leaver.id, answer: "present", source: "secretary", now: LATER }))
      .rejects.toMatchObject({ code: "meeting:notInCell" });
  });

  it("keeps a member who left in the roster of a meeting they answered", async () => {
    const ahead = await services.attendance.nextMeeting(tree.village, NOW);
    const leaver = await memberByPhone("0912000005");
    await services.attendance.record({ meetingId: ahead!.meeting.id, memberId: leaver.id, answer: "absent", reason: "đi làm xa", source: "button", now: NOW });
    await importRows(DONG.slice(0, 5));
    const roster = await services.attendance.roster(ahead!.meeting.id, CLI_ACTOR, LATER);
    expect(roster.absent.map((a) => [a.member.id, a.reason])).toEqual([[leaver.id, "đi làm xa"]]);
    expect(roster.pending).toHaveLength(5);
  });

  it("takes a member listed again back, with their position, and without a chat until a new invite", async () => {
    await importRows(DONG.slice(0, 5));
    const back = [...DONG.slice(0, 5), { ...DONG[5]!, "Chức vụ": "Chi ủy viên" }];
    const dry = await importRows(back, { dryRun: true });
    expect(dry).toMatchObject({ ok: true, reactivated: 1, updated: 1, deactivated: [] });
    const report = await importRows(back);
    expect(report).toMatchObject({ ok: true, reactivated: 1, updated: 1, unchanged: 5 });
    const member = await memberByPhone("0912000005");
    expect(member.deactivatedAt).toBeNull();
    expect(member.roles.map((r) => r.role).sort()).toEqual(["committee_member", "member"]);
    expect(member.identities).toEqual([]);
    const invite = await services.invites.issue(member.id, LATER, CLI_ACTOR);
    await services.invites.redeem(invite.code, { channel: "telegram", externalUserId: "777", chatId: "777" }, LATER);
    expect(await chatsOfMembers(database.prisma, [member.id])).toMatchObject([{ memberId: member.id, chatId: "777" }]);
  });

  it("refuses a file that would deactivate more than half of its cells' members, unless allowed", async () => {
    const db = database.prisma;
    const runs = await db.importRun.count();
    const refused = await importRows(DONG.slice(0, 2));
    expect(refused).toMatchObject({ ok: false, needsAllowDeactivate: true, activeInCells: 6 });
    expect(refused.deactivated.map((m) => m.fullName)).toEqual(["Nguyễn Văn Cường", "Nguyễn Văn Dũng", "Nguyễn Văn Giang", "Nguyễn Văn Hải"]);
    expect(await db.member.count({ where: { deactivatedAt: { not: null } } })).toBe(0);
    expect(await db.chatIdentity.count()).toBe(9);
    expect(await db.importRun.count()).toBe(runs);
    // Exactly half is not more than half.
    expect(await importRows(DONG.slice(0, 3), { dryRun: true })).toMatchObject({ ok: true, needsAllowDeactivate: false });

    const allowed = await importRows(DONG.slice(0, 2), { allowDeactivate: true });
    expect(allowed).toMatchObject({ ok: true, unchanged: 2 });
    expect(await db.member.count({ where: { deactivatedAt: { not: null } } })).toBe(4);
    expect(await db.chatIdentity.count()).toBe(5);
  });
});
