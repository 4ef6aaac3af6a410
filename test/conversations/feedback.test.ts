import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { columnsHolding } from "../helpers/storedText.ts";
import { buttonsOf, ChoiceNotOffered, forEachChannel, itOn, labelsOf, startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

forEachChannel("feedback", (channel) => {
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld(channel);
});
afterEach(() => w.stop());
// The OA API has no group chats.
const itWithGroups = itOn(channel, ["telegram", "zalo_bot"]);

describe("/gopy: feedback in a guided flow", () => {
  it("walks addressee, category, text, anonymity and confirmation, and ends with a reference", async () => {
    const m = w.people.member;
    const [intro, addressee] = await w.say(m, "/gopy", 2);
    expect(intro!.text).toMatch(/^Gửi phản ánh, góp ý với cấp ủy, chính quyền xã và cấp trên\./);
    expect(addressee!.text).toBe("Đồng chí gửi tới đâu?");
    expect(labelsOf(addressee).flat()).toEqual(["Đảng ủy xã", "Hội đồng nhân dân xã", "Ủy ban nhân dân xã", "Ủy ban MTTQ Việt Nam xã", "Cấp tỉnh (qua Đảng ủy xã)", "Cơ quan, đoàn thể", "Hủy"]);

    const [agency] = await w.press(m, "gy:to:agency");
    expect(agency!.text).toMatch(/^Đồng chí gõ tên cơ quan/);
    const [category] = await w.say(m, "Phòng Tài nguyên và Môi trường");
    expect(category!.text).toBe("Góp ý thuộc lĩnh vực nào?");
    expect(buttonsOf(category).flat()).toContain("gy:cat:environment");

    const [askText] = await w.press(m, "gy:cat:environment");
    expect(askText!.text).toMatch(/^Đồng chí viết nội dung phản ánh, góp ý \(tối đa 3000 ký tự\)/);
    // 5,000 characters: refused with the count, nothing cut silently, the question again.
    const [tooLong, askedAgain] = await w.say(m, "a".repeat(5000), 2);
    expect(tooLong!.text).toBe("Nội dung phản ánh, góp ý chỉ được dài tối đa 3000 ký tự, hiện có 5000 ký tự.");
    expect(askedAgain!.text).toBe(askText!.text);

    const [anonymity] = await w.say(m, "Bãi rác đầu thôn Đông bốc mùi,  đề nghị xã cho xe thu gom 2 lần/tuần.");
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    const [confirm] = await w.press(m, "gy:anon:1");
    expect(confirm!.text).toBe([
      "Đồng chí xem lại trước khi gửi:",
      "",
      "Gửi tới: Phòng Tài nguyên và Môi trường",
      "Lĩnh vực: Môi trường",
      "Ẩn danh",
      "Nội dung: Bãi rác đầu thôn Đông bốc mùi, đề nghị xã cho xe thu gom 2 lần/tuần.",
    ].join("\n"));
    expect(await w.db.feedback.count()).toBe(0);

    const [sent] = await w.press(m, "gy:send");
    expect(sent!.text).toMatch(/^Đã gửi phản ánh, góp ý \(ẩn danh\)\. Số tham chiếu: GY-2026-000001\./);
    const stored = await w.db.feedback.findFirstOrThrow();
    expect(stored).toMatchObject({ reference: "GY-2026-000001", anonymous: true, addressee: "agency", agencyName: "Phòng Tài nguyên và Môi trường", category: "environment", cellId: w.orgs.cellA.id, status: "submitted" });
    expect(stored.text).toBe("Bãi rác đầu thôn Đông bốc mùi, đề nghị xã cho xe thu gom 2 lần/tuần.");
    expect(await w.db.chatFlow.count()).toBe(0);

    const [mine] = await w.say(m, "/gopycuatoi");
    expect(mine!.text).toBe("Phản ánh, góp ý của đồng chí (1):\n• GY-2026-000001 (03/12/2026, Môi trường): Đã gửi");
  });

  it("offers the commune's own bodies to its members, and the reviewer reads the body's name", async () => {
    await w.app.chibo.services.organizations.addFeedbackAddressee("ha-ky", "Hội Nông dân xã Hà Kỳ");
    const m = w.people.member;
    const [, addressee] = await w.say(m, "/gopy", 2);
    expect(labelsOf(addressee).flat()).toContain("Hội Nông dân xã Hà Kỳ");
    const [, other] = await w.say(w.people.memberC, "/gopy", 2);
    expect(labelsOf(other).flat()).not.toContain("Hội Nông dân xã Hà Kỳ");
    await w.press(m, "gy:to:hoi-nong-dan-xa-ha-ky");
    await w.press(m, "gy:cat:economy");
    await w.say(m, "Đề nghị hỗ trợ giống lúa chịu hạn.");
    const [confirm] = await w.press(m, "gy:anon:0");
    expect(confirm!.text).toContain("Gửi tới: Hội Nông dân xã Hà Kỳ\n");
    await w.press(m, "gy:send");
    expect(await w.db.feedback.findFirstOrThrow()).toMatchObject({ addressee: "hoi-nong-dan-xa-ha-ky", agencyName: "Hội Nông dân xã Hà Kỳ" });
    const [view] = await w.say(w.people.reviewerX, "/xem GY-2026-000001");
    expect(view!.text).toContain("Gửi tới: Hội Nông dân xã Hà Kỳ\n");
  });

  it("keeps the draft through another command, a second /gopy and an old button; /huy drops it", async () => {
    const m = w.people.member;
    await w.say(m, "/gopy", 2);
    await w.press(m, "gy:to:peoples_committee");
    await w.press(m, "gy:cat:land");
    const [schedule, reminder] = await w.say(m, "/lich", 2);
    expect(schedule!.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông/);
    expect(reminder!.text).toBe("Đồng chí vẫn đang gửi phản ánh, góp ý dở. Trả lời tiếp câu hỏi trước đó, hoặc gửi /huy để hủy.");

    const [already, question] = await w.say(m, "/gopy", 2);
    expect(already!.text).toMatch(/^Đồng chí đang gửi phản ánh, góp ý dở, chưa xong\./);
    expect(question!.text).toMatch(/^Đồng chí viết nội dung phản ánh, góp ý/);

    if (channel === "zalo_bot") {
      // Only the latest numbered choices can be answered on the Zalo bot: an old question's button is gone.
      await expect(w.press(m, "gy:to:fatherland_front")).rejects.toThrow(ChoiceNotOffered);
    } else {
      const [old, current] = await w.press(m, "gy:to:fatherland_front", 2);
      expect(old!.text).toBe("Nút đó thuộc câu hỏi trước. Đồng chí trả lời câu hỏi hiện tại:");
      expect(current!.text).toMatch(/^Đồng chí viết nội dung phản ánh, góp ý/);
    }
    const flow = await w.db.chatFlow.findFirstOrThrow();
    expect(JSON.parse(flow.data)).toMatchObject({ addressee: "peoples_committee", category: "land", unitKind: "commune" });

    const [cancelled] = await w.say(m, "/huy");
    expect(cancelled!.text).toBe("Đã hủy việc gửi phản ánh, góp ý. Chưa có gì được lưu.");
    expect(await w.db.chatFlow.count()).toBe(0);
    expect(await w.db.feedback.count()).toBe(0);
    const [nothing] = await w.say(m, "/huy");
    expect(nothing!.text).toBe("Đồng chí không có việc nào đang làm dở.");
  });

  it("takes a photo with its caption as the text", async () => {
    const m = w.people.member;
    await w.say(m, "/gopy", 2);
    await w.press(m, "gy:to:party_committee");
    await w.press(m, "gy:cat:economy");
    const [anonymity] = await w.sendPhoto(m, { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), caption: "Đường liên thôn sụt lún" });
    expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    const [confirm] = await w.press(m, "gy:anon:0");
    expect(confirm!.text).toContain("Kèm 1 ảnh\nNội dung: Đường liên thôn sụt lún");
    await w.press(m, "gy:send");
    // chibo keeps the photo itself: the item refers to its own copy, not to the platform's.
    expect(await w.db.feedback.findFirstOrThrow()).toMatchObject({ photoRef: expect.stringMatching(/^photo:[0-9a-f]{64}\.jpg$/), text: "Đường liên thôn sụt lún", anonymous: false });
  });

  itWithGroups("in a group, points to the private chat and takes nothing there", async () => {
    await w.linkGroup(555, w.orgs.cellA.id);
    const [pointer] = await w.sayInGroup(555, w.people.member, "/gopy");
    expect(await w.db.chatFlow.count()).toBe(0);
    if (channel === "telegram") {
      expect(pointer!.text).toBe("Phản ánh, góp ý chỉ nhận trong tin nhắn riêng với chibo để giữ kín. Đồng chí bấm vào đây để tiếp tục: https://t.me/chibo_test_bot?start=gopy");
      // The link opens the flow in the private chat.
      const [intro, addressee] = await w.say(w.people.member, "/start gopy", 2);
      expect(intro!.text).toMatch(/^Gửi phản ánh, góp ý với cấp ủy, chính quyền xã và cấp trên/);
      expect(addressee!.text).toBe("Đồng chí gửi tới đâu?");
    } else {
      // The Zalo bot has no link into a private chat: the member is told where to write.
      expect(pointer!.text).toBe("Phản ánh, góp ý chỉ nhận trong tin nhắn riêng với chibo để giữ kín. Đồng chí nhắn riêng cho chibo rồi gửi /gopy.");
      const [intro, addressee] = await w.say(w.people.member, "/gopy", 2);
      expect(intro!.text).toMatch(/^Gửi phản ánh, góp ý với cấp ủy, chính quyền xã và cấp trên/);
      expect(addressee!.text).toBe("Đồng chí gửi tới đâu?");
    }
    expect(await w.sentTo(w.groupChat(555))).toHaveLength(1);
  });

  it("a flow left alone times out politely and saves nothing", async () => {
    const m = w.people.member;
    await w.say(m, "/gopy", 2);
    await w.press(m, "gy:to:party_committee");
    w.clock.jump(31 * 60_000);
    const before = (await w.sentTo(m)).length;
    expect(await w.app.chibo.flowSweeper.sweep()).toBe(1);
    await expect.poll(async () => (await w.sentTo(m)).length).toBe(before + 1);
    expect((await w.sentTo(m)).at(-1)!.text).toBe("Việc gửi phản ánh, góp ý đã lâu không có trả lời nên chibo tạm hủy; chưa có gì được lưu. Khi nào tiện, đồng chí bắt đầu lại nhé.");
    expect(await w.db.chatFlow.count()).toBe(0);
    if (channel === "zalo_bot") {
      // The timeout message cleared the numbered choices: the old button cannot be answered at all.
      await expect(w.press(m, "gy:cat:land")).rejects.toThrow(ChoiceNotOffered);
    } else {
      // A late button press is simply stale.
      const [stale] = await w.press(m, "gy:cat:land");
      expect(stale!.text).toBe("Nút này không còn dùng được nữa.");
    }
    expect(await w.db.feedback.count()).toBe(0);
  });

  it("delivers the committee's answer to the member, and /gopycuatoi shows it", async () => {
    const m = w.people.member;
    await w.say(m, "/gopy", 2);
    await w.press(m, "gy:to:peoples_committee");
    await w.press(m, "gy:cat:economy");
    await w.say(m, "Đề nghị hỗ trợ giống lúa sau lũ");
    await w.press(m, "gy:anon:1");
    await w.press(m, "gy:send");
    const item = await w.db.feedback.findFirstOrThrow();
    const before = (await w.sentTo(m)).length;
    await w.app.chibo.feedback.act(item.id, { kind: "answer", text: "UBND xã sẽ cấp giống trong tháng 12." }, { memberId: w.people.reviewerX.memberId, roles: [{ role: "reviewer", organizationId: w.orgs.communeX.id }] }, w.clock.now());
    await expect.poll(async () => (await w.sentTo(m)).length).toBe(before + 1);
    expect((await w.sentTo(m)).at(-1)!.text).toContain("UBND xã sẽ cấp giống trong tháng 12.");
    const [mine] = await w.say(m, "/gopycuatoi");
    expect(mine!.text).toContain("GY-2026-000001 (03/12/2026, Kinh tế, đời sống): Đã trả lời\n   Trả lời: UBND xã sẽ cấp giống trong tháng 12.");
  });
});

describe("the feedback text is kept in the item only", () => {
  const TEXT = "Trưởng thôn Đông thu tiền đóng góp sai quy định, đề nghị xã kiểm tra.";

  /** /gopy up to the preview, which shows the member their own words. */
  async function draft(m: Person, anonymous: boolean) {
    await w.say(m, "/gopy", 2);
    await w.press(m, "gy:to:party_committee");
    await w.press(m, "gy:cat:cadres");
    await w.say(m, TEXT);
    const [preview] = await w.press(m, `gy:anon:${anonymous ? 1 : 0}`);
    expect(preview!.text).toContain(`Nội dung: ${TEXT}`);
  }

  /** Every update handled (its payload blanked) and every message delivered. */
  async function settled() {
    await expect.poll(() => w.db.inboundUpdate.count({ where: { status: "pending" } })).toBe(0);
    await expect.poll(() => w.db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })).toBe(0);
  }

  it("anonymous: once sent and delivered, only the item holds the text; the confirmation carries the reference", async () => {
    const m = w.people.member;
    await draft(m, true);
    const [sent] = await w.press(m, "gy:send");
    expect(sent!.text).toContain("GY-2026-000001");
    expect(sent!.text).not.toContain(TEXT);
    await settled();
    expect(await columnsHolding(w.db, TEXT)).toEqual(["Feedback.text"]);
    // The preview went out with the text, and its stored copy was emptied once sent.
    const preview = await w.db.outboxMessage.findFirstOrThrow({ where: { chatId: m.id, forgetText: true } });
    expect(preview).toMatchObject({ status: "sent", text: "", memberId: m.memberId });
    expect(await w.db.outboxMessage.count({ where: { chatId: m.id, forgetText: false, text: "" } })).toBe(0);
  });

  it("signed: the same, the item alone holds the text", async () => {
    const m = w.people.member;
    await draft(m, false);
    const [sent] = await w.press(m, "gy:send");
    expect(sent!.text).toMatch(/^Đã gửi phản ánh, góp ý\. Số tham chiếu: GY-2026-000001\./);
    expect(sent!.text).not.toContain(TEXT);
    await settled();
    expect(await columnsHolding(w.db, TEXT)).toEqual(["Feedback.text"]);
  });

  it("the committee's view and answer quote the text, and keep no copy of it either", async () => {
    const m = w.people.member;
    await draft(m, true);
    await w.press(m, "gy:send");
    const [view] = await w.say(w.people.reviewerX, "/xem GY-2026-000001");
    expect(view!.text).toContain(TEXT);
    const item = await w.db.feedback.findFirstOrThrow();
    const before = (await w.sentTo(m)).length;
    await w.app.chibo.feedback.act(item.id, { kind: "answer", text: "Xã đã giao Ban Thanh tra nhân dân kiểm tra." }, { memberId: w.people.reviewerX.memberId, roles: [{ role: "reviewer", organizationId: w.orgs.communeX.id }] }, w.clock.now());
    await expect.poll(async () => (await w.sentTo(m)).length).toBe(before + 1);
    expect((await w.sentTo(m)).at(-1)!.text).toContain(`«${TEXT}»`);
    await settled();
    expect(await columnsHolding(w.db, TEXT)).toEqual(["Feedback.text"]);
  });

  it("a draft dropped by /huy or left to time out leaves the text nowhere", async () => {
    const m = w.people.member;
    await draft(m, true);
    expect(await columnsHolding(w.db, TEXT)).toEqual(["ChatFlow.data"]);
    await w.say(m, "/huy");
    await settled();
    expect(await columnsHolding(w.db, TEXT)).toEqual([]);

    await draft(m, true);
    w.clock.jump(31 * 60_000);
    const before = (await w.sentTo(m)).length;
    expect(await w.app.chibo.flowSweeper.sweep()).toBe(1);
    await expect.poll(async () => (await w.sentTo(m)).length).toBe(before + 1);
    await settled();
    expect(await columnsHolding(w.db, TEXT)).toEqual([]);
    expect(await w.db.feedback.count()).toBe(0);
  });
});
});
