import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, ChoiceNotOffered, forEachChannel, itOn, labelsOf, startConversationWorld, type ConversationWorld } from "./harness.ts";

forEachChannel("secretary", (channel) => {
let w: ConversationWorld;
beforeEach(async () => {
  w = await startConversationWorld(channel);
});
afterEach(() => w.stop());
// The OA API has no group chats.
const itWithGroups = itOn(channel, ["telegram", "zalo_bot"]);

describe("/diemdanh: the secretary's roll call", () => {
  it("lists present, absent with reasons and not yet; records for a member without a phone", async () => {
    await w.say(w.people.member, "vắng, đi viện");
    await w.say(w.people.committeeMember, "có mặt");
    const [roll] = await w.say(w.people.secretary, "/diemdanh");
    expect(roll!.text).toBe([
      "Điểm danh buổi sinh hoạt Thứ Hai, 07/12/2026 19:30 — Chi bộ thôn Đông",
      "Có mặt (1): Phạm Văn Mười",
      "Vắng (1):",
      "  • Ngô Văn Bảy — đi viện",
      "Chưa trả lời (2): Đỗ Thị Tám, Lê Văn Chín",
    ].join("\n"));
    const [choose] = await w.press(w.people.secretary, buttonsOf(roll)[0]![0]!);
    // The member without a phone comes first, marked.
    expect(choose!.text).toBe("Ghi câu trả lời thay cho đồng chí nào? (⌀ = không có điện thoại)");
    expect(labelsOf(choose).flat()).toEqual(["Lê Văn Chín ⌀", "Đỗ Thị Tám"]);
    const [ask] = await w.press(w.people.secretary, buttonsOf(choose)[0]![0]!);
    expect(ask!.text).toBe("Đồng chí Lê Văn Chín có mặt hay vắng?");
    const [recorded, updated] = await w.press(w.people.secretary, buttonsOf(ask)[0]![0]!, 2);
    expect(recorded!.text).toBe("Đã ghi thay: đồng chí Lê Văn Chín có mặt.");
    expect(updated!.text).toContain("Có mặt (2): Lê Văn Chín, Phạm Văn Mười");
    expect(await w.db.attendance.findFirst({ where: { memberId: w.people.elder.memberId } })).toMatchObject({ answer: "present", source: "secretary", recordedById: w.people.secretary.memberId });
  });

  it("tells a member with a phone but no linked app from one without a phone", async () => {
    const phoned = await w.db.member.create({ data: { fullName: "Mai Văn Mười Một", searchName: "mai van muoi mot", phone: "0912000111", status: "full", cellId: w.orgs.cellA.id } });
    await w.db.role.create({ data: { memberId: phoned.id, organizationId: w.orgs.cellA.id, role: "member" } });
    const [roll] = await w.say(w.people.secretary, "/diemdanh");
    const [choose] = await w.press(w.people.secretary, buttonsOf(roll)[0]![0]!);
    expect(choose!.text).toBe("Ghi câu trả lời thay cho đồng chí nào? (⌀ = không có điện thoại; ☎ = có điện thoại nhưng chưa liên kết ứng dụng chibo, gọi hỏi được)");
    expect(labelsOf(choose).flat()).toEqual(["Lê Văn Chín ⌀", "Mai Văn Mười Một ☎", "Đỗ Thị Tám", "Ngô Văn Bảy", "Phạm Văn Mười"]);
  });

  it("a committee member sees the roll call; a plain member and another cell's secretary cannot act on cell A", async () => {
    const [roll] = await w.say(w.people.committeeMember, "/diemdanh");
    expect(roll!.text).toMatch(/^Điểm danh buổi sinh hoạt .* — Chi bộ thôn Đông/);
    const [refused] = await w.say(w.people.member, "/diemdanh");
    expect(refused!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    // Secretary of cell B replays cell A's buttons: refused, nothing recorded.
    const meetingId = buttonsOf(roll)[0]![0]!.split(":")[1];
    // (On the Zalo bot nothing can be replayed: the payload typed there is only words.)
    const other = await w.pressUnshown(w.people.secretaryB, `dd:${meetingId}:${w.people.elder.memberId}:a`);
    if (other) expect(other.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    const otherList = await w.pressUnshown(w.people.secretaryB, `dd:${meetingId}:list`);
    if (otherList) expect(otherList.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    expect(await w.db.attendance.count()).toBe(0);
    // Secretary of A cannot record for a member of B on A's meeting.
    const notInCell = await w.pressUnshown(w.people.secretary, `dd:${meetingId}:${w.people.memberB.memberId}:p`);
    if (notInCell) expect(notInCell.text).toBe("Đồng chí không thuộc chi bộ của buổi sinh hoạt này.");
    expect(await w.db.attendance.count()).toBe(0);
  });
});

describe("/doilich: postponing within the limit, with a reason", () => {
  it("offers only the allowed days, takes a reason, and tells the superior committee and the members", async () => {
    // An officer of the commune above (its reviewer) has a chat; so do the cell's members.
    w.clock.set("2026-12-06T03:00:00Z");
    const [ask] = await w.say(w.people.secretary, "/doilich");
    expect(ask!.text).toBe("Buổi sinh hoạt thường kỳ Thứ Hai, 07/12/2026 19:30. Theo quy định chỉ được lùi tối đa 2 ngày, khi có lý do đặc biệt. Đồng chí chọn ngày mới:");
    expect(labelsOf(ask)).toEqual([["Thứ Ba, 08/12/2026 19:30"], ["Thứ Tư, 09/12/2026 19:30"], ["Hủy"]]);
    const [askReason] = await w.press(w.people.secretary, "dl:day:1");
    expect(askReason!.text).toMatch(/^Lùi sang Thứ Tư, 09\/12\/2026 19:30\. Đồng chí nêu lý do/);
    const superiorBefore = (await w.sentTo(w.people.reviewerX)).length;
    const memberBefore = (await w.sentTo(w.people.member)).length;
    const [done] = await w.say(w.people.secretary, "Trùng lịch tiêm phòng của xã");
    expect(done!.text).toBe("Đã lùi buổi sinh hoạt từ Thứ Hai, 07/12/2026 19:30 sang Thứ Tư, 09/12/2026 19:30. Lý do: Trùng lịch tiêm phòng của xã.\nĐã báo Đảng ủy xã Hà Kỳ (1 người nhận) và các đảng viên trong chi bộ.");
    await expect.poll(async () => (await w.sentTo(w.people.reviewerX)).length).toBe(superiorBefore + 1);
    expect((await w.sentTo(w.people.reviewerX)).at(-1)!.text).toBe("Chi bộ thôn Đông lùi buổi sinh hoạt thường kỳ từ Thứ Hai, 07/12/2026 19:30 sang Thứ Tư, 09/12/2026 19:30. Lý do: Trùng lịch tiêm phòng của xã. Người đổi: đồng chí Đỗ Thị Tám.");
    await expect.poll(async () => (await w.sentTo(w.people.member)).length).toBe(memberBefore + 1);
    const told = (await w.sentTo(w.people.member)).at(-1);
    expect(told!.text).toContain("lùi từ Thứ Hai, 07/12/2026 19:30 sang Thứ Tư, 09/12/2026 19:30");
    expect(labelsOf(told)).toEqual([["Có mặt", "Vắng"]]);
    const meeting = await w.db.meeting.findFirstOrThrow({ where: { cellId: w.orgs.cellA.id } });
    expect(meeting.postponedTo?.toISOString()).toBe("2026-12-09T12:30:00.000Z");
    expect(meeting.superiorInformedAt).not.toBeNull();
    const [schedule] = await w.say(w.people.member, "/lich");
    expect(schedule!.text).toContain("Lùi từ Thứ Hai, 07/12/2026 19:30, lý do: Trùng lịch tiêm phòng của xã.");
  });

  it("says so when nobody above can be reached, and refuses members and an empty reason", async () => {
    // Without officers anywhere above, the superior committee is the commune directly above.
    await w.db.role.deleteMany({ where: { role: "reviewer", organizationId: { in: [w.orgs.communeX.id, w.orgs.province.id] } } });
    const [refused] = await w.say(w.people.member, "/doilich");
    expect(refused!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    await w.say(w.people.secretary, "/doilich");
    await w.press(w.people.secretary, "dl:day:0");
    const [asText] = await w.sendPhoto(w.people.secretary, { ref: "p" });
    expect(asText!.text).toBe("Đồng chí gõ lý do bằng chữ (tối đa 500 ký tự).");
    const [done] = await w.say(w.people.secretary, "Mất điện");
    expect(done!.text).toContain("Chưa báo được Đảng ủy xã Hà Kỳ qua chibo");
    expect((await w.db.meeting.findFirstOrThrow({ where: { cellId: w.orgs.cellA.id } })).superiorInformedAt).toBeNull();
  });
});

describe("/datlich, /noidung, /diadiem", () => {
  it("sets the rule from words with or without diacritics, and the agenda and place of the next meeting", async () => {
    const [current] = await w.say(w.people.secretary, "/datlich");
    expect(current!.text).toMatch(/^Lịch sinh hoạt thường kỳ của Chi bộ thôn Đông: ngày 7 hằng tháng, lúc 19:30, tại Nhà văn hóa thôn\n\nĐể đặt lại/);
    const [set] = await w.say(w.people.secretary, "/datlich thu 5 tuan 1 16:30");
    expect(set!.text).toBe("Đã đặt lịch sinh hoạt thường kỳ của Chi bộ thôn Đông: Thứ Năm đầu tiên của tháng, lúc 16:30, tại Nhà văn hóa thôn.\nBuổi tới: Thứ Năm, 03/12/2026 16:30.");
    const [bad] = await w.say(w.people.secretary, "/datlich hom nao cung duoc");
    expect(bad!.text).toMatch(/^chibo chưa đọc được lịch «hom nao cung duoc»/);
    const [agenda] = await w.say(w.people.secretary, "/noidung Quán triệt Nghị quyết; góp ý với xã");
    expect(agenda!.text).toBe("Đã ghi nội dung buổi sinh hoạt Thứ Năm, 03/12/2026 16:30: Quán triệt Nghị quyết; góp ý với xã");
    await w.say(w.people.secretary, "/diadiem Hội trường UBND xã");
    const [schedule] = await w.say(w.people.member, "/lich");
    expect(schedule!.text).toContain("Địa điểm: Hội trường UBND xã.\nNội dung: Quán triệt Nghị quyết; góp ý với xã.");
    const [other] = await w.say(w.people.member, "/datlich 8 19:00");
    expect(other!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
  });
});

describe("/thongbao: notices with preview, report and Đã nhận", () => {
  itWithGroups("previews, sends to the cell and its group, reports delivery and who pressed Đã nhận", async () => {
    await w.linkGroup(900, w.orgs.cellA.id);
    const groupId = w.groupChat(900);
    w.driver.blockChat!(702);
    const [ask] = await w.say(w.people.secretary, "/thongbao");
    expect(ask!.text).toBe("Đồng chí gõ nội dung thông báo gửi tới Chi bộ thôn Đông (tối đa 2000 ký tự):");
    const [preview] = await w.say(w.people.secretary, "Tối thứ Bảy họp bàn việc làm đường");
    expect(preview!.text).toBe("Xem trước thông báo gửi tới Chi bộ thôn Đông (3 đảng viên):\n\n📢 Thông báo của Chi bộ thôn Đông:\nTối thứ Bảy họp bàn việc làm đường");
    expect(await w.db.notice.count()).toBe(0);
    const [queued] = await w.press(w.people.secretary, "tb:send");
    expect(queued!.text).toBe("Đã xếp gửi thông báo tới 2 chat của đảng viên và 1 nhóm chi bộ. 1 đảng viên chưa liên kết chibo nên không nhận được qua đây.");
    await expect.poll(async () => (await w.sentTo(700)).length).toBe(1);
    const notice = (await w.sentTo(700))[0]!;
    expect(notice.text).toBe("📢 Thông báo của Chi bộ thôn Đông:\nTối thứ Bảy họp bàn việc làm đường");
    expect(labelsOf(notice)).toEqual([["Đã nhận"]]);
    await expect.poll(async () => (await w.sentTo(groupId)).length).toBe(1);
    expect(buttonsOf((await w.sentTo(groupId))[0])).toEqual([]);
    expect(await w.sentTo(711)).toEqual([]); // cell B hears nothing

    const [ack] = await w.press(w.people.member, buttonsOf(notice)[0]![0]!);
    expect(ack!.text).toBe("Cảm ơn đồng chí, đã ghi nhận đồng chí nhận được thông báo.");
    if (channel === "zalo_bot") {
      // The thanks asked nothing, so the number is gone from the chat: nothing to press twice.
      await expect(w.press(w.people.member, buttonsOf(notice)[0]![0]!)).rejects.toThrow(ChoiceNotOffered);
    } else {
      const [again] = await w.press(w.people.member, buttonsOf(notice)[0]![0]!);
      expect(again!.text).toBe("Đồng chí đã báo nhận thông báo này rồi.");
    }

    await expect.poll(async () => (await w.db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] }, dedupeKey: { startsWith: "notice:" } } }))).toBe(0);
    const [report] = await w.press(w.people.secretary, buttonsOf(queued)[0]![0]!);
    expect(report!.text).toBe([
      "Báo cáo gửi thông báo tới Chi bộ thôn Đông:",
      "Tổng 3 tin: đã gửi 2, đang chờ 0, lỗi 0, không tới được 1.",
      "Đã báo nhận: 1/2 — Ngô Văn Bảy",
      "Chưa gửi được tới: Phạm Văn Mười",
      "Chưa liên kết chibo (1): Lê Văn Chín",
    ].join("\n"));
    // Another cell's secretary cannot read the report.
    const refused = await w.pressUnshown(w.people.secretaryB, buttonsOf(queued)[0]![0]!);
    if (refused) expect(refused.text).toBe("Đồng chí không có quyền dùng lệnh này.");
  });

  it("a province committee chooses its scope and reaches every cell below; a commune reaches only its own", async () => {
    const [scope] = await w.say(w.people.reviewerX, "/thongbao Nộp đảng phí trước ngày 10");
    // reviewerX reviews only commune X: no choice to make, straight to the preview.
    expect(scope!.text).toMatch(/^Xem trước thông báo gửi tới Đảng ủy xã Hà Kỳ \(6 đảng viên\):/);
    await w.press(w.people.reviewerX, "tb:send");
    await expect.poll(async () => (await w.sentTo(711)).length).toBe(1);
    expect(await w.sentTo(731)).toEqual([]);

    const [fromProvince] = await w.say(w.people.reviewerProvince, "/thongbao Họp tổng kết năm");
    expect(fromProvince!.text).toMatch(/^Xem trước thông báo gửi tới Thành ủy Hải Phòng \(9 đảng viên\):/);
    await w.press(w.people.reviewerProvince, "tb:send");
    await expect.poll(async () => (await w.sentTo(731)).length).toBe(1);
    await expect.poll(async () => (await w.sentTo(700)).length).toBe(2);
  });

  it("reports a notice nobody has acknowledged yet in words, not dashes", async () => {
    await w.say(w.people.secretary, "/thongbao Họp chi bộ tối thứ Bảy");
    const [queued] = await w.press(w.people.secretary, "tb:send");
    await expect.poll(async () => (await w.db.outboxMessage.count({ where: { status: { in: ["queued", "sending"] }, dedupeKey: { startsWith: "notice:" } } }))).toBe(0);
    const [report] = await w.press(w.people.secretary, buttonsOf(queued)[0]![0]!);
    expect(report!.text.split("\n")).toContain("Đã báo nhận: 0/2, chưa đồng chí nào bấm «Đã nhận».");
    expect(report!.text).not.toContain("— —");
  });

  it("refuses a notice over 2000 characters without saving anything", async () => {
    await w.say(w.people.secretary, "/thongbao");
    const [tooLong] = await w.say(w.people.secretary, "x".repeat(2500));
    expect(tooLong!.text).toBe("Thông báo dài 2500 ký tự, quá mức 2000. Đồng chí viết gọn lại rồi gửi lại nội dung.");
    expect(await w.db.notice.count()).toBe(0);
    expect(await w.db.chatFlow.count()).toBe(1);
  });
});

describe("group chats", () => {
  itWithGroups("greets a new group, lets only a secretary link it, and posts nothing personal there", async () => {
    const groups = w.driver.groups!;
    if (groups.addBot) {
      const [hello] = await w.exchange(w.groupChat(321), () => groups.addBot!(321, 701));
      expect(hello!.text).toMatch(/bí thư chi bộ gửi \/lienket trong nhóm/);
    } // the Zalo Bot Platform tells a bot nothing when it is added: the secretary starts with /lienket
    const [notSecretary] = await w.sayInGroup(321, w.people.member, "/lienket");
    expect(notSecretary!.text).toBe("Đồng chí không có quyền dùng lệnh này.");
    const [linked] = await w.sayInGroup(321, w.people.secretary, "/lienket");
    expect(linked!.text).toMatch(/^Đã liên kết nhóm này với Chi bộ thôn Đông\./);
    expect(await w.db.groupChat.findFirstOrThrow()).toMatchObject({ channel, externalChatId: w.groupChat(321), cellId: w.orgs.cellA.id, linkedById: w.people.secretary.memberId });
    const [otherSecretary] = await w.sayInGroup(321, w.people.secretaryB, "/lienket");
    expect(otherSecretary!.text).toBe("Nhóm này đang liên kết với Chi bộ thôn Đông; chỉ bí thư, phó bí thư chi bộ đó mới thay đổi được.");
    // /lich in the group shows the cell's meeting but no one's answer and no buttons.
    const [schedule] = await w.sayInGroup(321, w.people.member, "/lich");
    expect(schedule!.text).toBe("Buổi sinh hoạt tới của Chi bộ thôn Đông: Thứ Hai, 07/12/2026 19:30.\nĐịa điểm: Nhà văn hóa thôn.");
    expect(buttonsOf(schedule)).toEqual([]);
    const [unlinked] = await w.sayInGroup(321, w.people.secretary, "/huylienket");
    expect(unlinked!.text).toMatch(/^Đã hủy liên kết nhóm này với Chi bộ thôn Đông\./);
    expect(await w.db.groupChat.count()).toBe(0);
  });
});
});
