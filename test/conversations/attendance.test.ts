import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callbackUpdate, groupTextUpdate } from "../fakes/fakeTelegram.ts";
import { buttonsOf, forEachChannel, itOn, labelsOf, startConversationWorld, type ConversationWorld } from "./harness.ts";

forEachChannel("attendance", (channel) => {
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld(channel);
});
afterEach(() => w.stop());

const answerOf = (memberId: number) => w.db.attendance.findFirst({ where: { memberId } });
// Neither Zalo channel has group chats: Zalo bots cannot join groups and the OA API has none.
const itWithGroups = itOn(channel, ["telegram"]);

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
  itWithGroups("takes the same buttons and words in the group, and asks for the reason privately", async () => {
    const groupId = -100_777;
    await w.db.groupChat.create({ data: { channel: "telegram", externalChatId: String(groupId), title: "Chi bộ thôn Đông", cellId: w.orgs.cellA.id } });
    const [schedule] = await w.say(w.people.member, "/lich");
    const present = buttonsOf(schedule)[0]![0]!;
    const [groupNote] = await w.exchange(groupId, async () => void w.telegram.pushUpdate(callbackUpdate({ fromId: 701, chatId: groupId, data: present })));
    expect(groupNote!.text).toBe("Đã ghi: đồng chí Đỗ Thị Tám có mặt.");
    expect(await answerOf(w.people.secretary.memberId)).toMatchObject({ answer: "present" });

    // Words in the group count only when they answer chibo's message.
    const chatter = groupTextUpdate({ fromId: 700, chatId: groupId, text: "vắng nhé, bận đi viện" }) as unknown as { message: Record<string, unknown> };
    chatter.message.reply_to_message = { message_id: 5, date: 1, chat: { id: groupId, type: "supergroup", title: "Chi bộ thôn Đông" }, from: { id: 123456, is_bot: true, first_name: "Chibo" }, text: "Nhắc lịch" };
    const before = (await w.sentTo(w.people.member)).length;
    const [groupAbsent] = await w.exchange(groupId, async () => void w.telegram.pushUpdate(chatter));
    expect(groupAbsent!.text).toBe("Đã ghi: đồng chí Ngô Văn Bảy vắng.");
    expect(groupAbsent!.text).not.toContain("viện");
    expect(await answerOf(w.people.member.memberId)).toMatchObject({ answer: "absent", reason: "bận đi viện" });
    // The confirmation with the reason never goes to the group.
    expect(await w.sentTo(w.people.member)).toHaveLength(before);

    const [reasonAsked] = await w.exchange(groupId, async () => void w.telegram.pushUpdate(callbackUpdate({ fromId: 711, chatId: groupId, data: present })));
    expect(reasonAsked!.text).toBe("Đồng chí không thuộc chi bộ của buổi sinh hoạt này.");
  });

  itWithGroups("asks a member who pressed Vắng in the group for the reason in the private chat", async () => {
    const groupId = -100_778;
    await w.db.groupChat.create({ data: { channel: "telegram", externalChatId: String(groupId), cellId: w.orgs.cellA.id } });
    const [schedule] = await w.say(w.people.member, "/lich");
    const absent = buttonsOf(schedule)[0]![1]!;
    const privateBefore = (await w.sentTo(w.people.committeeMember)).length;
    const [groupNote] = await w.exchange(groupId, async () => void w.telegram.pushUpdate(callbackUpdate({ fromId: 702, chatId: groupId, data: absent })));
    expect(groupNote!.text).toBe("Đã ghi: đồng chí Phạm Văn Mười vắng.");
    await expect.poll(async () => (await w.sentTo(w.people.committeeMember)).length).toBe(privateBefore + 1);
    expect((await w.sentTo(w.people.committeeMember)).at(-1)!.text).toContain("Đồng chí cho biết lý do vắng");
    const [noted] = await w.say(w.people.committeeMember, "ốm");
    expect(noted!.text).toBe("Đã ghi lý do vắng: ốm. Cảm ơn đồng chí.");
  });

  itWithGroups("ignores ordinary group conversation", async () => {
    const groupId = -100_779;
    await w.db.groupChat.create({ data: { channel: "telegram", externalChatId: String(groupId), cellId: w.orgs.cellA.id } });
    w.telegram.pushUpdate(groupTextUpdate({ fromId: 700, chatId: groupId, text: "có ai mang loa không" }));
    w.telegram.pushUpdate(groupTextUpdate({ fromId: 700, chatId: groupId, text: "vắng" }));
    await new Promise((r) => setTimeout(r, 400));
    expect(await w.sentTo(groupId)).toEqual([]);
    expect(await answerOf(w.people.member.memberId)).toBeNull();
  });
});
});
