import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

// Reads are logged by the core, whatever the platform: one channel is enough here.
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld("telegram");
});
afterEach(() => w.stop());

const REASON = "đi viện thăm mẹ";
const ITEM_TEXT = "Đèn đường thôn Đông hỏng ba tháng nay, đề nghị xã sửa.";

const readsOf = (subjectType: string) => w.db.auditLog.findMany({ where: { action: "read", subjectType }, orderBy: { id: "asc" } });
const asMember = (p: Person) => ({ actorKind: "member", actorId: p.memberId });
const sentTo = (p: Person) => ({ actorKind: "system", actorId: p.memberId });

/** Nothing personal in the log: no name, no reason, no feedback text. */
async function expectNothingPersonalLogged() {
  const log = JSON.stringify(await w.db.auditLog.findMany());
  const members = await w.db.member.findMany({ select: { fullName: true } });
  for (const secret of [REASON, ITEM_TEXT, ...members.map((m) => m.fullName)]) expect(log).not.toContain(secret);
}

describe("reading a roll call", () => {
  it("logs each roster the secretary opens, once, with the meeting and counts only", async () => {
    await w.say(w.people.member, `vắng, ${REASON}`);
    await w.say(w.people.committeeMember, "có mặt");
    expect(await readsOf("Roster")).toEqual([]);
    const [roll] = await w.say(w.people.secretary, "/diemdanh");
    expect(roll!.text).toContain(REASON);
    const meetingId = buttonsOf(roll)[0]![0]!.split(":")[1];
    expect(await readsOf("Roster")).toMatchObject([
      { ...asMember(w.people.secretary), subjectId: meetingId, detail: "present 1, absent 1 (1 with a reason), not answered 2, exempt 0" },
    ]);
    // The list of members to record for is a read of the roster too.
    await w.press(w.people.secretary, buttonsOf(roll)[0]![0]!);
    expect(await readsOf("Roster")).toHaveLength(2);
    // Another cell's secretary is refused before anything is read.
    await w.press(w.people.secretaryB, `dd:${meetingId}:list`);
    expect((await readsOf("Roster")).map((r) => r.actorId)).toEqual([w.people.secretary.memberId, w.people.secretary.memberId]);
    await expectNothingPersonalLogged();
  });

  it("logs the summary sent after the meeting as read by each leader it went to", async () => {
    await w.say(w.people.member, `vắng, ${REASON}`);
    w.clock.set("2026-12-07T15:31:00Z"); // 3 hours after the meeting began
    await w.runScheduler();
    w.clock.set("2026-12-07T23:30:00Z"); // the summaries wait for the end of the quiet hours: Tuesday 06:30
    const meeting = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.orgs.cellA.id } });
    const meetingB = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.orgs.cellB.id } });
    // Each cell's secretary gets their own cell's; the committee member is not a leader and gets nothing.
    expect(await readsOf("Roster")).toMatchObject([
      { ...sentTo(w.people.secretary), subjectId: String(meeting.id), detail: "present 0, absent 1 (1 with a reason), not answered 3, exempt 0" },
      { ...sentTo(w.people.secretaryB), subjectId: String(meetingB.id), detail: "present 0, absent 0 (0 with a reason), not answered 3, exempt 0" },
    ]);
    await expect.poll(async () => (await w.sentTo(w.people.secretary)).some((m) => m.text.includes(REASON))).toBe(true);
    await expectNothingPersonalLogged();
  });
});

describe("follow-up messages about one member", () => {
  it("an absence flag and a probation notice are logged as read by exactly the members they went to", async () => {
    const member = w.people.member;
    await w.db.member.update({ where: { id: member.memberId }, data: { status: "probationary", admittedOn: "2026-01-01" } });
    // Three meetings held without an answer from anyone: three unexcused absences each.
    for (const month of [9, 10, 11]) await w.db.meeting.create({ data: { cellId: w.orgs.cellA.id, scheduledAt: new Date(Date.UTC(2026, month - 1, 7, 12, 30)), status: "held" } });
    await w.runScheduler(); // 07:00 today has passed: the daily follow-ups are due
    const sentAbout = async (prefix: string) => (await w.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } } })).map((m) => m.memberId).sort();
    const loggedAbout = async (detail: string) =>
      (await w.db.auditLog.findMany({ where: { action: "read", subjectType: "Member", subjectId: String(member.memberId), detail, actorKind: "system" } })).map((r) => r.actorId).sort();
    const flagged = await sentAbout(`absence:${member.memberId}:`);
    expect(flagged.length).toBeGreaterThan(0);
    expect(await loggedAbout("absence flag: 3 unexcused")).toEqual(flagged);
    const told = await sentAbout(`probation:${member.memberId}:`);
    expect(told).toEqual([w.people.secretary.memberId]);
    expect(await loggedAbout("probation notice")).toEqual(told);
    await expectNothingPersonalLogged();
  });
});

describe("reading a notice's delivery report", () => {
  it("logs each report opened, by the one who opened it; a refused one reads nothing", async () => {
    await w.say(w.people.secretary, "/thongbao Họp chi bộ tối thứ Bảy");
    const [queued] = await w.press(w.people.secretary, "tb:send");
    const notice = await w.db.notice.findFirstOrThrow();
    const report = buttonsOf(queued)[0]![0]!;
    await w.press(w.people.secretary, report);
    await w.press(w.people.secretaryB, report);
    expect(await readsOf("NoticeReport")).toMatchObject([{ ...asMember(w.people.secretary), subjectId: String(notice.id), detail: "3 recipients, 0 acknowledged" }]);
    await expectNothingPersonalLogged();
  });
});

describe("reading feedback digests", () => {
  it("logs the digest in the chat and the .xlsx export, each once, and the item opened from it", async () => {
    const { id } = await w.app.chibo.feedback.submit({ authorId: w.people.member.memberId, anonymous: false, addressee: "peoples_committee", category: "other", text: ITEM_TEXT, now: w.clock.now() });
    const [digest] = await w.say(w.people.reviewerX, "/tonghop", 2);
    expect(await readsOf("FeedbackDigest")).toMatchObject([{ ...asMember(w.people.reviewerX), subjectId: String(w.orgs.communeX.id), detail: "2026-11-30..2026-12-06: 1 items, 0 overdue" }]);
    expect(await w.db.auditLog.findMany({ where: { action: "export" } })).toMatchObject([{ ...asMember(w.people.reviewerX), subjectType: "Feedback", detail: "digest ha-ky: 1" }]);
    await w.press(w.people.reviewerX, buttonsOf(digest)[0]![0]!);
    expect(await readsOf("Feedback")).toMatchObject([{ ...asMember(w.people.reviewerX), subjectId: String(id) }]);
    await expectNothingPersonalLogged();
  });

  it("logs the weekly digest as read by each reviewer it went to", async () => {
    await w.app.chibo.feedback.submit({ authorId: w.people.member.memberId, anonymous: true, addressee: "peoples_committee", category: "other", text: ITEM_TEXT, now: w.clock.now() });
    w.clock.set("2026-12-07T00:31:00Z"); // Monday 07:31
    await w.runScheduler();
    const reads = await readsOf("FeedbackDigest");
    expect(reads.map((r) => [r.actorKind, r.actorId, r.subjectId, r.detail]).sort()).toEqual([
      ["system", w.people.reviewerProvince.memberId, String(w.orgs.province.id), "2026-11-30..2026-12-06: 1 items, 0 overdue"],
      ["system", w.people.reviewerX.memberId, String(w.orgs.communeX.id), "2026-11-30..2026-12-06: 1 items, 0 overdue"],
      ["system", w.people.reviewerY.memberId, String(w.orgs.communeY.id), "2026-11-30..2026-12-06: 0 items, 0 overdue"],
    ].sort());
    await expectNothingPersonalLogged();
  });
});
