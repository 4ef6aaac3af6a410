import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, forEachChannel, itOn, labelsOf, startConversationWorld, type ConversationWorld } from "./harness.ts";

forEachChannel("attendance", (channel) => {
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld(channel);
});
afterEach(() => w.stop());

const answerOf = (memberId: number) => w.db.attendance.findFirst({ where: { memberId } });
// The OA API has no group chats.
const itWithGroups = itOn(channel, ["telegram", "zalo_bot"]);

describe("attendance in a private chat", () => {
  it("/lich shows the next meeting, the member's answer and the buttons; pressing Có mặt records it", async () => {
    const [schedule] = await w.say(w.people.member, "/lich");
    expect(schedule!.text).toBe([
      "Buổi sinh hoạt tới của Chi bộ thôn Đông: Thứ Hai, 07/12/2026 19:30.",
      "Địa điểm: Nhà văn hóa thôn.",
      "Đồng chí chưa báo có dự hay không.",
    ].join("\n"));
    expect(labelsOf(schedule)).toEqual([["Có mặt", "Vắng"]]);
    const [present] = buttonsOf(schedule)[0]!;
    const [confirm] = await w.press(w.people.member, present!);
    expect(confirm!.text).toBe("Đã ghi: đồng chí có mặt buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đồng chí có thể đổi câu trả lời đến trước giờ họp.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "present", source: "button", reason: null });
    const [again] = await w.say(w.people.member, "/lich");
    expect(again!.text).toContain("Đồng chí đã báo: có mặt.");
  });

  it("Vắng asks for the reason, and the next message becomes the reason", async () => {
    const [schedule] = await w.say(w.people.member, "/lich");
    const absent = buttonsOf(schedule)[0]![1]!;
    const [ask] = await w.press(w.people.member, absent);
    expect(ask!.text).toBe("Đã ghi: đồng chí vắng buổi sinh hoạt Thứ Hai, 07/12/2026 19:30.\nĐồng chí cho biết lý do vắng (gõ một câu ngắn):");
    expect(labelsOf(ask)).toEqual([["Không nêu lý do"]]);
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });
    // A sticker is not a reason: the question comes again, nothing changes.
    const [again] = await w.sendSticker(w.people.member);
    expect(again!.text).toBe("Đồng chí gõ lý do vắng bằng chữ, hoặc chọn «Không nêu lý do».");
    const [noted] = await w.say(w.people.member, "đi viện khám mắt");
    expect(noted!.text).toBe("Đã ghi lý do vắng: đi viện khám mắt. Cảm ơn đồng chí.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "đi viện khám mắt" });
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  /** The member presses Vắng under /lich and is asked for the reason. */
  async function pressAbsent() {
    const [schedule] = await w.say(w.people.member, "/lich");
    const [ask] = await w.press(w.people.member, buttonsOf(schedule)[0]![1]!);
    expect(ask!.text).toMatch(/Đồng chí cho biết lý do vắng/);
  }
  const ASK_AGAIN = "Đồng chí vẫn được ghi vắng. Đồng chí gõ lý do vắng (một câu ngắn), hoặc chọn «Không nêu lý do». Nếu sẽ dự họp, đồng chí gõ «có mặt».";

  it("after Vắng, a bare “ok”, “co”, “không” or “ko” is neither a reason nor a change: chibo asks again", async () => {
    await pressAbsent();
    for (const text of ["ok", "co", "không", "ko", "Dạ vâng ạ", "👍"]) {
      const [again] = await w.say(w.people.member, text);
      expect(again!.text).toBe(ASK_AGAIN);
      expect(labelsOf(again)).toEqual([["Không nêu lý do"]]);
      expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });
    }
    const [noted] = await w.say(w.people.member, "bận việc nhà");
    expect(noted!.text).toBe("Đã ghi lý do vắng: bận việc nhà. Cảm ơn đồng chí.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "bận việc nhà" });
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  it("after Vắng, a clear change of mind is confirmed before the answer changes", async () => {
    await pressAbsent();
    const [confirm] = await w.say(w.people.member, "à tôi đi được");
    expect(confirm!.text).toBe("Đồng chí đổi thành CÓ MẶT?");
    expect(labelsOf(confirm)).toEqual([["Có, đổi thành có mặt", "Không, vẫn vắng"]]);
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });
    const [changed] = await w.press(w.people.member, buttonsOf(confirm)[0]![0]!);
    expect(changed!.text).toBe("Đã ghi: đồng chí có mặt buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đồng chí có thể đổi câu trả lời đến trước giờ họp.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "present", reason: null });
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  it("“Không, vẫn vắng” keeps the absence and asks the reason again; a typed “ko” does the same", async () => {
    await pressAbsent();
    const [confirm] = await w.say(w.people.member, "co mat");
    expect(confirm!.text).toBe("Đồng chí đổi thành CÓ MẶT?");
    const [kept] = await w.press(w.people.member, buttonsOf(confirm)[0]![1]!);
    expect(kept!.text).toBe("Vẫn ghi đồng chí vắng.\nĐồng chí cho biết lý do vắng (gõ một câu ngắn):");
    expect(labelsOf(kept)).toEqual([["Không nêu lý do"]]);
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });

    const [again] = await w.say(w.people.member, "đi được");
    expect(again!.text).toBe("Đồng chí đổi thành CÓ MẶT?");
    // Words that are no answer to the question ask it again; "ko" is a no.
    const [repeated] = await w.say(w.people.member, "hmm");
    expect(repeated!.text).toBe("Đồng chí đổi thành CÓ MẶT?");
    const [keptTyped] = await w.say(w.people.member, "ko");
    expect(keptTyped!.text).toBe("Vẫn ghi đồng chí vắng.\nĐồng chí cho biết lý do vắng (gõ một câu ngắn):");
    const [noted] = await w.say(w.people.member, "ốm");
    expect(noted!.text).toBe("Đã ghi lý do vắng: ốm. Cảm ơn đồng chí.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "ốm" });
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  it("“không có lý do” typed after Vắng is no reason, like the button", async () => {
    await pressAbsent();
    const [noted] = await w.say(w.people.member, "ko co ly do a");
    expect(noted!.text).toBe("Đã ghi đồng chí vắng, không nêu lý do.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });
    expect(await w.db.chatFlow.count()).toBe(0);
  });

  it("reads “ko vắng đâu” as present and “ko đi dc đâu” as absent", async () => {
    const [present] = await w.say(w.people.member, "ko vắng đâu");
    expect(present!.text).toBe("Đã ghi: đồng chí có mặt buổi sinh hoạt Thứ Hai, 07/12/2026 19:30. Đồng chí có thể đổi câu trả lời đến trước giờ họp.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "present", source: "text" });
    const [absent] = await w.say(w.people.member, "ko đi dc đâu");
    expect(absent!.text).toBe("Đã ghi: đồng chí vắng buổi sinh hoạt Thứ Hai, 07/12/2026 19:30.\nĐồng chí cho biết lý do vắng (gõ một câu ngắn):");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: null });
  });

  it("reads free text without diacritics, with the reason, and lets the member change the answer", async () => {
    const [noted] = await w.say(w.people.member, "vang, di dam cuoi o que");
    expect(noted!.text).toBe("Đã ghi: đồng chí vắng buổi sinh hoạt Thứ Hai, 07/12/2026 19:30, lý do: di dam cuoi o que. Đồng chí có thể đổi câu trả lời đến trước giờ họp.");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "di dam cuoi o que", source: "text" });
    const [changed] = await w.say(w.people.member, "Tôi sẽ có mặt");
    expect(changed!.text).toMatch(/^Đã ghi: đồng chí có mặt/);
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "present", reason: null });
  });

  it("text the parser cannot read gets a short question with the buttons again", async () => {
    const [question] = await w.say(w.people.member, "chắc là tùy tình hình");
    expect(question!.text).toBe("chibo chưa rõ ý đồng chí. Đồng chí có dự buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 không? Chọn một mục dưới đây, hoặc trả lời «có» / «vắng, lý do…».");
    expect(labelsOf(question)).toEqual([["Có mặt", "Vắng"]]);
    expect(await answerOf(w.people.member.memberId)).toBeNull();
  });

  it("a 5,000-character message outside any flow gets a clear answer and records nothing", async () => {
    const [answer] = await w.say(w.people.member, "vắng ".repeat(1000));
    expect(answer!.text).toBe("Tin nhắn dài quá (trên 1000 ký tự) nên chibo không đọc. Muốn gửi ý kiến dài, đồng chí dùng /gopy; các lệnh khác xem /huongdan.");
    expect(await answerOf(w.people.member.memberId)).toBeNull();
  });

  it("refuses a change once the meeting has started", async () => {
    const [schedule] = await w.say(w.people.member, "/lich");
    w.clock.set("2026-12-07T12:31:00Z"); // 19:31 on the 7th
    const [refused] = await w.press(w.people.member, buttonsOf(schedule)[0]![0]!);
    expect(refused!.text).toBe("Buổi sinh hoạt đã bắt đầu, không đổi câu trả lời được nữa.");
    expect(await answerOf(w.people.member.memberId)).toBeNull();
  });

  it("a member of another cell cannot answer for cell A's meeting with its button", async () => {
    const [schedule] = await w.say(w.people.member, "/lich");
    // A forged press is refused by the core; on the Zalo bot the payload typed is only words.
    const refused = await w.pressUnshown(w.people.memberB, buttonsOf(schedule)[0]![0]!);
    if (refused) expect(refused.text).toBe("Đồng chí không thuộc chi bộ của buổi sinh hoạt này.");
    expect(await answerOf(w.people.memberB.memberId)).toBeNull();
  });

  itOn(channel, ["zalo_bot"])("a number typed where no choices were shown is words, not another chat's button", async () => {
    await w.say(w.people.member, "/lich");
    const [reply] = await w.say(w.people.memberB, "1");
    expect(reply!.text).toBe("chibo chưa rõ ý đồng chí. Đồng chí có dự buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 không? Chọn một mục dưới đây, hoặc trả lời «có» / «vắng, lý do…».");
    expect(await answerOf(w.people.memberB.memberId)).toBeNull();
  });
});

describe("attendance in the cell's group chat", () => {
  /** The scheduler's 3-day reminder of Monday's meeting, as the linked group gets it (Friday 08:05). */
  async function remindInGroup(g: number) {
    w.clock.set("2026-12-04T01:05:00Z");
    const [reminder] = await w.exchange(w.groupChat(g), async () => void (await w.runScheduler()));
    expect(reminder!.text).toMatch(/^📅 Nhắc lịch: Chi bộ thôn Đông sinh hoạt thường kỳ Thứ Hai, 07\/12\/2026 19:30\./);
    expect(labelsOf(reminder)).toEqual([["Có mặt", "Vắng"]]);
    return reminder!;
  }

  itWithGroups("takes the reminder's buttons from several members, and words that answer chibo, and asks for the reason privately", async () => {
    await w.linkGroup(777, w.orgs.cellA.id, "Chi bộ thôn Đông");
    const reminder = await remindInGroup(777);
    const present = buttonsOf(reminder)[0]![0]!;
    const [groupNote] = await w.pressInGroup(777, w.people.secretary, present);
    expect(groupNote!.text).toBe("Đã ghi: đồng chí Đỗ Thị Tám có mặt.");
    expect(await answerOf(w.people.secretary.memberId)).toMatchObject({ answer: "present" });
    // One member's answer does not end the others' (on the Zalo bot the numbers still stand).
    const [second] = await w.pressInGroup(777, w.people.committeeMember, present);
    expect(second!.text).toBe("Đã ghi: đồng chí Phạm Văn Mười có mặt.");

    if (w.driver.groups!.replies) {
      // Words in the group count only when they answer chibo's message.
      await expect.poll(async () => (await w.sentTo(w.people.member)).length).toBeGreaterThan(0); // the member's own reminder
      const before = (await w.sentTo(w.people.member)).length;
      const [groupAbsent] = await w.sayInGroup(777, w.people.member, "vắng nhé, bận đi viện", { replyToBot: true });
      expect(groupAbsent!.text).toBe("Đã ghi: đồng chí Ngô Văn Bảy vắng.");
      expect(groupAbsent!.text).not.toContain("viện");
      expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "bận đi viện" });
      // The confirmation with the reason never goes to the group.
      expect(await w.sentTo(w.people.member)).toHaveLength(before);
    }

    const [notOurs] = await w.pressInGroup(777, w.people.memberB, present);
    expect(notOurs!.text).toBe("Đồng chí không thuộc chi bộ của buổi sinh hoạt này.");
    expect(await answerOf(w.people.memberB.memberId)).toBeNull();
  });

  itWithGroups("asks a member who pressed Vắng in the group for the reason in the private chat", async () => {
    await w.linkGroup(778, w.orgs.cellA.id);
    const reminder = await remindInGroup(778);
    const absent = buttonsOf(reminder)[0]![1]!;
    const committeeMember = w.people.committeeMember;
    await expect.poll(async () => (await w.sentTo(committeeMember)).some((m) => m.text.startsWith("📅"))).toBe(true);
    const privateBefore = (await w.sentTo(committeeMember)).length;
    const [groupNote] = await w.pressInGroup(778, committeeMember, absent);
    expect(groupNote!.text).toBe("Đã ghi: đồng chí Phạm Văn Mười vắng.");
    await expect.poll(async () => (await w.sentTo(committeeMember)).length).toBe(privateBefore + 1);
    expect((await w.sentTo(committeeMember)).at(-1)!.text).toContain("Đồng chí cho biết lý do vắng");
    const [noted] = await w.say(committeeMember, "ốm");
    expect(noted!.text).toBe("Đã ghi lý do vắng: ốm. Cảm ơn đồng chí.");
    expect(await answerOf(committeeMember.memberId)).toMatchObject({ answer: "absent", reason: "ốm" });
  });

  itWithGroups("ignores ordinary group conversation", async () => {
    await w.linkGroup(779, w.orgs.cellA.id);
    for (const text of ["có ai mang loa không", "vắng", "1"]) await w.driver.groups!.sendText(779, 700, text);
    await new Promise((r) => setTimeout(r, 400));
    expect(await w.sentTo(w.groupChat(779))).toEqual([]);
    expect(await answerOf(w.people.member.memberId)).toBeNull();
  });
});
});
