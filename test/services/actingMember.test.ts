import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActingMember } from "../../src/domain/authorization.ts";
import { DomainError, NotAllowedError, NotFoundError } from "../../src/domain/errors.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import { MAX_NOTICE_LENGTH } from "../../src/services/notices.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildSmallTree } from "../helpers/services.ts";

// The use cases the chat and the console share check who acts themselves: a secretary of the
// village cell on the school cell, a member on their own cell, a commune reviewer on both.
const NOW = new Date("2026-12-03T03:00:00Z"); // Thursday 3 Dec 2026, 10:00 in Vietnam; the village meets Monday the 7th.
const clock = fixedClock(NOW);

let database: TestDatabase;
let services: Services;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
let people: Record<"secretary" | "member" | "schoolSecretary" | "reviewer" | "committee", ActingMember>;

async function person(fullName: string, cellId: number, roles: { role: string; organizationId: number }[] = [], chat?: string): Promise<ActingMember> {
  const member = await database.prisma.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId } });
  for (const role of [{ role: "member", organizationId: cellId }, ...roles]) await database.prisma.role.create({ data: { memberId: member.id, ...role } });
  if (chat) await database.prisma.chatIdentity.create({ data: { memberId: member.id, channel: "telegram", externalUserId: chat, chatId: chat, linkedAt: NOW } });
  return { memberId: member.id, roles: await services.members.rolesOf(member.id) };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

beforeEach(async () => {
  database = await freshDatabase();
  services = createServices({ db: database.prisma, inviteTtlDays: 14, clock });
  tree = await buildSmallTree(services);
  const { village, school, commune } = tree;
  people = {
    secretary: await person("Đỗ Thị Tám", village.id, [{ role: "secretary", organizationId: village.id }], "701"),
    member: await person("Ngô Văn Bảy", village.id, [], "700"),
    committee: await person("Phạm Văn Mười", village.id, [{ role: "committee_member", organizationId: village.id }]),
    schoolSecretary: await person("Trần Văn Tư", school.id, [{ role: "secretary", organizationId: school.id }], "710"),
    reviewer: await person("Hoàng Văn Sáu", school.id, [{ role: "reviewer", organizationId: commune.id }], "720"),
  };
});
afterEach(async () => {
  await database.cleanup();
});

describe("notices", () => {
  it("go to the cells a secretary leads and the subtrees a committee reviews, nowhere else", async () => {
    const { village, school, commune } = tree;
    expect((await services.notices.scopes(people.secretary.roles)).map((o) => o.id)).toEqual([village.id]);
    expect((await services.notices.audience({ orgId: village.id, text: "Họp chi bộ", actor: people.secretary })).members).toBe(2);
    expect(await refusal(services.notices.audience({ orgId: school.id, text: "Họp", actor: people.secretary }))).toBeInstanceOf(NotAllowedError);
    expect(await refusal(services.notices.send({ orgId: commune.id, text: "Họp", actor: people.schoolSecretary, now: NOW }))).toBeInstanceOf(NotAllowedError);
    expect(await database.prisma.notice.count()).toBe(0);

    const sent = await services.notices.send({ orgId: commune.id, text: "Nộp đảng phí", actor: people.reviewer, now: NOW });
    // Everyone under the commune but the author; the committee member has no chat.
    expect(sent).toMatchObject({ people: 3, groups: 0, notLinked: 1 });
    const queued = await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `notice:${sent.notice.id}:` } } });
    expect(queued.map((m) => m.chatId).sort()).toEqual(["700", "701", "710"]);
    expect(queued[0]!.createdAt).toEqual(NOW);
  });

  it("are sent once when the same person sends the same text to the same organization again within minutes, and audited", async () => {
    const first = await services.notices.send({ orgId: tree.village.id, text: "Họp chi bộ tối thứ Bảy", actor: people.secretary, now: NOW });
    const again = await services.notices.send({ orgId: tree.village.id, text: "Họp chi bộ tối thứ Bảy", actor: people.secretary, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ repeated: true, notice: { id: first.notice.id } });
    expect(await database.prisma.notice.count()).toBe(1);
    const later = await services.notices.send({ orgId: tree.village.id, text: "Họp chi bộ tối thứ Bảy", actor: people.secretary, now: new Date(NOW.getTime() + 11 * 60_000) });
    expect(later.repeated).toBe(false);
    expect(await database.prisma.notice.count()).toBe(2);
    expect(await database.prisma.auditLog.count({ where: { subjectType: "Notice", action: "create", actorId: people.secretary.memberId } })).toBe(2);
  });

  it("refuse an empty or too long text before anything is written", async () => {
    const { village } = tree;
    expect((await refusal(services.notices.send({ orgId: village.id, text: "  ", actor: people.secretary, now: NOW }))).code).toBe("notice:needText");
    const tooLong = await refusal(services.notices.send({ orgId: village.id, text: "a".repeat(MAX_NOTICE_LENGTH + 1), actor: people.secretary, now: NOW }));
    expect(tooLong).toMatchObject({ code: "notice:tooLong", params: { length: MAX_NOTICE_LENGTH + 1, max: MAX_NOTICE_LENGTH } });
    expect(await database.prisma.notice.count()).toBe(0);
  });

  it("are acknowledged once by a recipient, and reported to the author and the organization's leaders only, each read logged", async () => {
    const sent = await services.notices.send({ orgId: tree.village.id, text: "Họp chi bộ", actor: people.secretary, now: NOW });
    const noticeId = sent.notice.id;
    expect(await services.notices.acknowledge({ noticeId, memberId: people.member.memberId, now: NOW })).toBe("acknowledged");
    expect(await services.notices.acknowledge({ noticeId, memberId: people.member.memberId, now: NOW })).toBe("alreadyAcknowledged");
    expect(await services.notices.acknowledge({ noticeId, memberId: people.schoolSecretary.memberId, now: NOW })).toBe("notReceived");

    const report = await services.notices.report({ noticeId, actor: people.secretary, now: NOW });
    expect(report).toMatchObject({ recipients: 2, acknowledged: [{ memberId: people.member.memberId, fullName: "Ngô Văn Bảy" }], notLinked: [{ fullName: "Phạm Văn Mười" }] });
    expect(await refusal(services.notices.report({ noticeId, actor: people.schoolSecretary, now: NOW }))).toBeInstanceOf(NotAllowedError);
    expect(await refusal(services.notices.report({ noticeId: noticeId + 1, actor: people.secretary, now: NOW }))).toBeInstanceOf(NotFoundError);
    await services.notices.report({ noticeId, actor: people.reviewer, now: NOW });
    const reads = await database.prisma.auditLog.findMany({ where: { subjectType: "NoticeReport" }, orderBy: { id: "asc" } });
    expect(reads.map((r) => r.actorId)).toEqual([people.secretary.memberId, people.reviewer.memberId]);
  });
});

describe("meetings", () => {
  it("are moved by their own cell's leader only, and the cell's members are told", async () => {
    const { village } = tree;
    const open = await services.postponements.open({ cellId: village.id, roles: people.secretary.roles, now: NOW });
    const input = { cellId: village.id, regularStart: open.regularStart, newStart: open.choices[0]!, reason: "Trùng lịch xã", now: NOW };
    expect(await refusal(services.postponements.postpone({ ...input, actor: people.schoolSecretary }))).toBeInstanceOf(NotAllowedError);
    expect(await refusal(services.postponements.postpone({ ...input, actor: people.member }))).toBeInstanceOf(NotAllowedError);
    expect(await database.prisma.meeting.count({ where: { postponedTo: { not: null } } })).toBe(0);

    const moved = await services.postponements.postpone({ ...input, actor: people.secretary });
    expect(moved).toMatchObject({ newStart: open.choices[0], reason: "Trùng lịch xã", superiorTold: 1 });
    const told = await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "postponed" } }, orderBy: { id: "asc" } });
    // The commune's reviewer (its officer) and the village's member with a chat; not the author.
    expect(told.map((m) => m.chatId).sort()).toEqual(["700", "720"]);
  });

  it("have their agenda and rule set by their cell's leader, within the lengths", async () => {
    const { village } = tree;
    expect(await refusal(services.meetingSetup.setNextMeeting({ cellId: village.id, roles: people.schoolSecretary.roles, set: { agenda: "Kết nạp" }, now: NOW }))).toBeInstanceOf(NotAllowedError);
    expect((await refusal(services.meetingSetup.setNextMeeting({ cellId: village.id, roles: people.secretary.roles, set: { place: "x".repeat(201) }, now: NOW }))).code).toBe("meetingSetup:tooLong");
    const { startsAt } = await services.meetingSetup.setNextMeeting({ cellId: village.id, roles: people.secretary.roles, set: { agenda: "Kết nạp đảng viên" }, now: NOW });
    expect(await database.prisma.meeting.findFirstOrThrow({ where: { cellId: village.id } })).toMatchObject({ agenda: "Kết nạp đảng viên", scheduledAt: startsAt });

    const set = await services.meetingSetup.setRule({ cellId: village.id, roles: people.secretary.roles, rule: { dayOfMonth: 10, time: "19:00" }, now: NOW });
    // The usual place is kept when only the day and time change.
    expect(set).toMatchObject({ place: "Nhà văn hóa thôn", next: { startsAt: new Date("2026-12-10T12:00:00Z") } });
  });

  it("are marked held by a leader of their cell once they started, and only once", async () => {
    const meeting = await database.prisma.meeting.create({ data: { cellId: tree.village.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } });
    const answer = (roles: ActingMember["roles"], now: Date) => services.meetingHeld.answer({ meetingId: meeting.id, held: true, roles, now });
    expect(await refusal(answer(people.committee.roles, new Date("2026-12-07T14:00:00Z")))).toBeInstanceOf(NotAllowedError);
    expect((await answer(people.secretary.roles, NOW)).outcome).toEqual({ kind: "notStarted" });
    expect((await answer(people.secretary.roles, new Date("2026-12-07T14:00:00Z"))).outcome).toEqual({ kind: "held", correctableUntil: new Date("2026-12-14T12:30:00Z") });
    expect((await answer(people.secretary.roles, new Date("2026-12-07T15:00:00Z"))).outcome).toEqual({ kind: "alreadyHeld" });
  });
});

describe("roll calls", () => {
  it("are kept by the cell's secretary and committee members, for members of that cell", async () => {
    const { ahead } = await services.rollCalls.current({ cellId: tree.village.id, roles: people.committee.roles, now: NOW });
    const meetingId = ahead!.meeting.id;
    expect(await refusal(services.rollCalls.current({ cellId: tree.village.id, roles: people.member.roles, now: NOW }))).toBeInstanceOf(NotAllowedError);
    expect(await refusal(services.rollCalls.roster({ meetingId, actor: people.schoolSecretary, now: NOW }))).toBeInstanceOf(NotAllowedError);
    const record = { meetingId, answer: "present" as const, now: NOW };
    expect(await refusal(services.rollCalls.record({ ...record, memberId: people.member.memberId, actor: people.reviewer }))).toBeInstanceOf(NotAllowedError);
    expect((await refusal(services.rollCalls.subject({ meetingId, memberId: people.schoolSecretary.memberId, roles: people.secretary.roles }))).code).toBe("meeting:notInCell");

    await services.rollCalls.record({ ...record, memberId: people.member.memberId, actor: people.committee });
    const { roster, phase, withChat, withoutPhone } = await services.rollCalls.proxyChoices({ meetingId, actor: people.secretary, now: NOW });
    expect(phase).toBe("before");
    expect(roster.present.map((p) => p.member.id)).toEqual([people.member.memberId]);
    expect(withChat.has(people.secretary.memberId) && !withChat.has(people.committee.memberId)).toBe(true);
    expect(withoutPhone.has(people.committee.memberId)).toBe(true);
  });
});

describe("group chats", () => {
  it("are linked to a cell its secretary leads, and kept from another cell's secretary", async () => {
    const chat = { channel: "telegram", externalChatId: "-100" };
    const { village, school } = tree;
    expect(await refusal(services.groupChats.link({ chat, cellId: school.id, actor: people.secretary, now: NOW }))).toBeInstanceOf(NotAllowedError);
    await services.groupChats.link({ chat: { ...chat, title: "Chi bộ thôn Đông" }, cellId: village.id, actor: people.secretary, now: NOW });
    expect(await services.groupChats.cellOf(chat)).toBe(village.id);
    const taken = await refusal(services.groupChats.link({ chat, cellId: school.id, actor: people.schoolSecretary, now: NOW }));
    expect(taken).toMatchObject({ code: "groupLink:otherCell", params: { cell: village.name } });
    expect(await refusal(services.groupChats.unlink({ chat, roles: people.schoolSecretary.roles }))).toBeInstanceOf(NotAllowedError);
    expect(await services.groupChats.unlink({ chat, roles: people.secretary.roles })).toMatchObject({ cell: { id: village.id } });
    expect((await refusal(services.groupChats.unlink({ chat, roles: people.secretary.roles }))).code).toBe("groupLink:notLinked");
  });
});
