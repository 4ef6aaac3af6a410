import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeMyDataPress } from "../../src/core/features/myData.ts";
import { packLines } from "../../src/core/features/myDataText.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";
import { buttonsOf, forEachChannel, itOn, NOW, startConversationWorld, type ConversationWorld, type Person, type SentMessage } from "./harness.ts";

const REASON = "đi viện khám mắt";
const SIGNED = "Đèn đường thôn Đông hỏng ba tháng nay.";
const ANONYMOUS = "Trưởng thôn thu tiền sai quy định.";
const NOTICE = "Tối thứ Bảy họp bàn việc làm đường liên thôn.";

forEachChannel("a member's own data", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld(channel);
  });
  afterEach(() => w.stop());

  /** The member of cell A answered the next meeting (absent, with a reason), wrote twice, and got a notice. */
  async function seed(): Promise<void> {
    const { member, secretary } = w.people;
    const now = w.clock.now();
    const ahead = await w.services.attendance.nextMeeting(w.orgs.cellA, now);
    await w.services.attendance.record({ meetingId: ahead!.meeting.id, memberId: member.memberId, answer: "absent", reason: REASON, source: "button", now });
    await w.app.chibo.feedback.submit({ authorId: member.memberId, now, anonymous: false, addressee: "peoples_committee", category: "environment", text: SIGNED });
    await w.app.chibo.feedback.submit({ authorId: member.memberId, now, anonymous: true, addressee: "party_committee", category: "cadres", text: ANONYMOUS });
    const notice = await w.db.notice.create({ data: { organizationId: w.orgs.cellA.id, authorId: secretary.memberId, text: NOTICE, createdAt: now, sentAt: now } });
    await w.db.noticeDelivery.create({ data: { noticeId: notice.id, memberId: member.memberId, acknowledgedAt: now } });
    await w.db.member.update({ where: { id: member.memberId }, data: { consentAt: new Date("2026-12-01T01:00:00Z"), consentVersion: "2026-12" } });
  }

  /** Everything /dulieu sends: the summary, then a file (Telegram) or the numbered parts (Zalo), then the choice to erase. */
  async function askForData(person: Person): Promise<{ summary: SentMessage; copy: string; file?: SentMessage; last: SentMessage; all: SentMessage[] }> {
    const before = (await w.sentTo(person)).length;
    const isSummary = (m: SentMessage) => /^(Dữ liệu chibo đang giữ|What chibo holds)/.test(m.text);
    const parts = channel === "telegram" ? 0 : Number(/(\d+) tin nhắn/.exec((await w.say(person, "/dulieu")).find(isSummary)!.text)![1]);
    if (channel === "telegram") await w.say(person, "/dulieu", 2);
    const total = parts + 2;
    await expect.poll(async () => (await w.sentTo(person)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + total);
    const all = (await w.sentTo(person)).slice(before);
    expect(all).toHaveLength(total);
    const summary = all.find(isSummary)!;
    if (channel === "telegram") {
      const file = all.find((m) => m.file)!;
      return { summary, copy: file.file!.bytes.toString("utf8"), file, last: file, all };
    }
    // Sent in parts "(i/N)", put back in order (the platform may receive them in any order).
    const isPart = (m: SentMessage) => /^\(\d+\/\d+\)\n/.test(m.text);
    const numbered = all.filter(isPart).sort((a, b) => Number(/^\((\d+)/.exec(a.text)![1]) - Number(/^\((\d+)/.exec(b.text)![1]));
    expect(numbered).toHaveLength(parts);
    const last = all.find((m) => !isSummary(m) && !isPart(m))!;
    return { summary, copy: numbered.map((m) => m.text.replace(/^\(\d+\/\d+\)\n/, "")).join("\n"), last, all };
  }

  it("/dulieu gives a summary and the whole copy (a .txt file where the app takes files, else messages), audited and forgotten once sent", async () => {
    await seed();
    const { member } = w.people;
    const { summary, copy, file, last, all } = await askForData(member);
    expect(summary.text).toMatch(/^Dữ liệu chibo đang giữ về đồng chí Ngô Văn Bảy: hồ sơ đảng viên; vai trò: 1; ứng dụng đã liên kết: 1; trả lời điểm danh: 1; góp ý đã gửi: 2; thông báo đã nhận: 1\.\n/);
    for (const expected of [
      "Họ và tên: Ngô Văn Bảy", `Mã số trong chibo: #${member.memberId}`, "Chi bộ: Chi bộ thôn Đông", "Thuộc: Đảng ủy xã Hà Kỳ, Thành ủy Hải Phòng",
      "- Đảng viên, Chi bộ thôn Đông", "Đã đồng ý lúc 01/12/2026 08:00 (bản thông báo 2026-12).",
      `Thứ Hai, 07/12/2026 19:30, Chi bộ thôn Đông: vắng — lý do: ${REASON}`,
      `Nội dung: ${SIGNED}`, `Nội dung: ${ANONYMOUS}`, "có ký tên", "ẩn danh",
      `Chi bộ thôn Đông: «${NOTICE}» — đã bấm «Đã nhận» lúc`,
      "7. Thông báo đã nhận (1; đã bấm «Đã nhận»: 1)",
    ]) expect(copy).toContain(expected);
    // The app is named, not the platform's id of the person or chat.
    expect(copy).toMatch(new RegExp(`^- ${{ telegram: "Telegram", zalo_bot: "Zalo \\(bot\\)", zalo_oa: "Zalo \\(Official Account\\)" }[channel]}: liên kết lúc`, "m"));
    expect(copy).not.toContain(member.id);
    if (channel === "telegram") {
      expect(file!.file!.fileName).toBe(`du-lieu-chibo-${member.memberId}-2026-12-03.txt`);
      expect(file!.text).toBe(`Tệp «du-lieu-chibo-${member.memberId}-2026-12-03.txt»: toàn bộ dữ liệu chibo giữ về đồng chí.\n\nMuốn chibo xóa dữ liệu của mình, đồng chí chọn «Yêu cầu xóa dữ liệu».`);
    } else {
      expect(all.every((m) => !m.file)).toBe(true);
      expect(last.text).toBe("Muốn chibo xóa dữ liệu của mình, đồng chí chọn «Yêu cầu xóa dữ liệu».");
    }
    expect(buttonsOf(last)).toEqual([["md:erase"]]);

    const log = await w.db.auditLog.findMany({ where: { action: "export" } });
    expect(log).toMatchObject([{ actorKind: "member", actorId: member.memberId, subjectType: "Member", subjectId: String(member.memberId) }]);
    expect(log[0]!.detail).not.toContain("Bảy");
    // Each message holding the data asked to be forgotten, and was, once sent.
    const rows = await w.db.outboxMessage.findMany({ where: { chatId: member.id, forgetText: true } });
    expect(rows).toHaveLength(channel === "telegram" ? 2 : all.length - 1);
    expect(rows.every((r) => r.status === "sent" && r.text === "")).toBe(true);
  });

  itOn(channel, ["telegram", "zalo_oa"])("gives twenty years of answers whole in the file, and in at most twenty messages where there is no file", async () => {
    const { member } = w.people;
    const MEETINGS = 240;
    const reason = (i: number) => `lần ${i}: ${"điều trị ở bệnh viện tỉnh, ".repeat(12)}`;
    await w.db.meeting.createMany({ data: Array.from({ length: MEETINGS }, (_, i) => ({ cellId: w.orgs.cellA.id, scheduledAt: new Date(Date.UTC(2006 + Math.floor(i / 12), i % 12, 7, 12, 30)) })) });
    const meetings = await w.db.meeting.findMany({ orderBy: { id: "asc" } });
    await w.db.attendance.createMany({ data: meetings.map((m, i) => ({ meetingId: m.id, memberId: member.memberId, answer: "absent", reason: reason(i), source: "text", answeredAt: m.scheduledAt })) });
    const { summary, copy, all } = await askForData(member);
    expect(summary.text).toContain(`trả lời điểm danh: ${MEETINGS}`);
    if (channel === "telegram") {
      for (const i of [0, 119, MEETINGS - 1]) expect(copy).toContain(reason(i));
      expect(copy.split("\n").filter((line) => /^- .+, Chi bộ thôn Đông: vắng — lý do: lần \d+:/.test(line)).length).toBe(MEETINGS);
      return;
    }
    expect(summary.text).toContain("Bản đầy đủ ở 20 tin nhắn ngay sau đây.");
    expect(all.every((m) => m.text.length <= 1600)).toBe(true);
    expect(copy).toContain(reason(0));
    expect(copy).toMatch(/… Phần còn lại dài quá để gửi thành tin nhắn \(\d+ dòng nữa\)\. Đồng chí gửi \/dulieu trong Telegram/);
  });

  it("asks before recording a request to erase, tells the cell's secretary with the command, and does not ask twice", async () => {
    const { member, secretary } = w.people;
    await askForData(member);
    const [ask] = await w.press(member, "md:erase");
    expect(ask!.text).toMatch(/^Đồng chí muốn chibo xóa dữ liệu của mình\?\n\nYêu cầu sẽ được gửi tới bí thư chi bộ/);
    expect(ask!.text).toContain("Hồ sơ đảng viên do tổ chức đảng quản lý không nằm trong chibo");
    expect(buttonsOf(ask)).toEqual([["md:erase:yes", "md:erase:no"]]);
    expect((await w.db.member.findUniqueOrThrow({ where: { id: member.memberId } })).eraseRequestedAt).toBeNull();

    const told = w.exchange(secretary, async () => {}, 1);
    const [done] = await w.press(member, "md:erase:yes");
    expect(done!.text).toMatch(/^Đã ghi nhận yêu cầu xóa dữ liệu của đồng chí lúc 03\/12\/2026 10:\d\d\. chibo đã báo 1 đồng chí cán bộ;/);
    const [toSecretary] = await told;
    expect(toSecretary!.text).toMatch(new RegExp(`^Đồng chí Ngô Văn Bảy \\(mã số #${member.memberId}, Chi bộ thôn Đông\\) yêu cầu xóa dữ liệu cá nhân chibo đang giữ`));
    expect(toSecretary!.text).toContain(`npm run chibo -- members erase #${member.memberId} --yes`);
    const requested = (await w.db.member.findUniqueOrThrow({ where: { id: member.memberId } })).eraseRequestedAt;
    expect(requested).not.toBeNull();
    expect(await w.db.auditLog.count({ where: { action: "update", subjectType: "Member", subjectId: String(member.memberId), actorId: member.memberId } })).toBe(1);
    // The message naming the member is not kept once sent.
    expect((await w.db.outboxMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: "erase-request:" } } })).text).toBe("");

    // Asked again: the same request, nobody told twice, and /dulieu says it is waiting.
    const { summary, last, copy } = await askForData(member);
    expect(summary.text).toContain("Ngô Văn Bảy");
    expect(last.text).toMatch(/Đồng chí đã yêu cầu xóa dữ liệu lúc 03\/12\/2026 10:\d\d; yêu cầu đang chờ chi ủy xem xét\./);
    expect(buttonsOf(last)).toEqual([]);
    expect(copy).toMatch(/Yêu cầu xóa dữ liệu: 03\/12\/2026 10:\d\d/);
    if (channel !== "zalo_bot") {
      const [again] = await w.press(member, "md:erase:yes");
      expect(again!.text).toMatch(/^Đồng chí đã yêu cầu xóa dữ liệu lúc/);
    }
    expect(await w.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "erase-request:" } } })).toBe(1);
    expect((await w.db.member.findUniqueOrThrow({ where: { id: member.memberId } })).eraseRequestedAt).toEqual(requested);
  });

  it("records nothing when the member thinks better of it", async () => {
    const { member } = w.people;
    await askForData(member);
    await w.press(member, "md:erase");
    const [kept] = await w.press(member, "md:erase:no");
    expect(kept!.text).toBe("Đã thôi: không có yêu cầu xóa nào được gửi.");
    expect((await w.db.member.findUniqueOrThrow({ where: { id: member.memberId } })).eraseRequestedAt).toBeNull();
    expect(await w.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "erase-request:" } } })).toBe(0);
  });

  it("tells the committee above when the one asking is the cell's only leader", async () => {
    const { secretary, reviewerX } = w.people;
    await askForData(secretary);
    await w.press(secretary, "md:erase");
    const told = w.exchange(reviewerX, async () => {}, 1);
    const [done] = await w.press(secretary, "md:erase:yes");
    expect(done!.text).toContain("chibo đã báo 1 đồng chí cán bộ");
    const [toCommittee] = await told;
    expect(toCommittee!.text).toContain(`Đồng chí Đỗ Thị Tám (mã số #${secretary.memberId}, Chi bộ thôn Đông)`);
  });

  // On the Zalo bot a typed payload is only words (the harness's pressUnshown): nothing to forge there.
  itOn(channel, ["telegram", "zalo_oa"])("answers a forged or unknown button of the feature as a stale one", async () => {
    for (const payload of ["md:erase:maybe", "md:erase:yes:1", "md:", "md:ERASE"]) {
      const answer = await w.pressUnshown(w.people.member, payload);
      if (answer) expect(answer.text).toBe("Nút này không còn dùng được nữa.");
    }
    expect((await w.db.member.findUniqueOrThrow({ where: { id: w.people.member.memberId } })).eraseRequestedAt).toBeNull();
  });
});

describe("a member's own data in the web chat", () => {
  let app: LocalChibo;
  let demo: DemoMember[];
  beforeAll(async () => {
    app = await startChiboLocal({}, { clock: runningClock(NOW) });
    demo = await loadDemo(app.chibo);
  });
  afterAll(() => app.stop());

  it("comes as a .txt download after the summary", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-tay" && m.roles.length === 1)!;
    const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
      const res = await fetch(`${app.baseUrl}/chat/api${path}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
      return (await res.json()) as Record<string, unknown>;
    };
    const picked = await call("POST", "/pick", { memberId: member.id });
    await call("POST", "/send", { memberId: member.id, text: "/dulieu" });
    type BotMessage = { id: number; text: string; buttons?: { payload: string }[][]; attachment?: { fileName: string; mimeType: string; base64: string } };
    const got: BotMessage[] = [];
    let after = Number(picked.cursor ?? 0);
    while (got.length < 2) {
      const { messages } = (await call("GET", `/messages?memberId=${member.id}&after=${after}&wait=10`)) as { messages: BotMessage[] };
      if (messages.length === 0) throw new Error("no answer within the long poll");
      got.push(...messages);
      after = messages.at(-1)!.id;
    }
    expect(got[0]!.text).toContain(`Dữ liệu chibo đang giữ về đồng chí ${member.fullName}`);
    const file = got[1]!.attachment!;
    expect(file).toMatchObject({ fileName: `du-lieu-chibo-${member.id}-2026-12-03.txt`, mimeType: "text/plain;charset=utf-8" });
    const text = Buffer.from(file.base64, "base64").toString("utf8");
    expect(text).toContain(`Họ và tên: ${member.fullName}`);
    expect(text).toContain("- Khung chat trên web (dùng thử): liên kết lúc");
    expect(got[1]!.buttons?.map((row) => row.map((b) => b.payload))).toEqual([["md:erase"]]);
  });
});

describe("the feature's pieces", () => {
  it("decodes only the three presses it makes", () => {
    expect(["erase", "erase:yes", "erase:no"].map(decodeMyDataPress)).toEqual(["erase", "confirm", "keep"]);
    for (const forged of [undefined, "", "erase:", "erase:yes:", "erase:YES", "constructor", "__proto__", "toString", " erase"]) expect(decodeMyDataPress(forged)).toBeNull();
  });

  it("packs lines into messages within the budget, in order, cutting only a line longer than a message", () => {
    const lines = ["Tiêu đề", "", "1. Hồ sơ", ...Array.from({ length: 60 }, (_, i) => `- dòng ${i} ${"x".repeat(i)}`), "y".repeat(250), "cuối 😀"];
    const parts = packLines(lines, 100);
    expect(parts.every((p) => p.length <= 100)).toBe(true);
    expect(parts.join("\n").replace(/\n/g, "")).toBe(lines.join("").replace(/\n/g, ""));
    expect(parts.filter((p) => p.startsWith("y"))).toHaveLength(3);
    expect(parts.at(-1)).toContain("cuối 😀");
  });
});
