import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, forEachChannel, itOn, startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

forEachChannel("basics", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld(channel);
  });
  afterEach(() => w.stop());

  /** Someone chibo does not know: no linked chat on this channel. */
  const stranger = (n: number): Person => ({ id: w.driver.chatOf(n), n, memberId: 0 });

  describe("member conversations: meeting day, language, help", () => {
    it("/lich gives the cell's next meeting with its place, and the postponement with its reason", async () => {
      const [first] = await w.say(w.people.member, "/lich");
      expect(first!.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông: Thứ Hai, 07\/12\/2026 19:30\.\nĐịa điểm: Nhà văn hóa thôn\.\nĐồng chí chưa báo có dự hay không\./);
      // One day later, 19:30 local = 12:30 UTC.
      await w.services.meetings.postpone({ cellCode: "dong", regularDate: "2026-12-07", newStart: new Date("2026-12-08T12:30:00Z"), reason: "Trùng lịch bầu cử", now: w.clock.now() });
      const [second] = await w.say(w.people.member, "/lich");
      expect(second!.text).toContain("08/12/2026 19:30");
      expect(second!.text).toContain("lý do: Trùng lịch bầu cử");
    });

    it("/ngonngu switches to English with a button and keeps the choice", async () => {
      const [ask] = await w.say(w.people.member, "/ngonngu");
      expect(ask!.text).toContain("Choose your language");
      expect(buttonsOf(ask)).toEqual([["lang:vi", "lang:en"]]);
      const [done] = await w.press(w.people.member, "lang:en");
      expect(done!.text).toBe("chibo will now answer you in English.");
      expect((await w.db.member.findUniqueOrThrow({ where: { id: w.people.member.memberId } })).language).toBe("en");
      const [schedule] = await w.say(w.people.member, "/lich");
      expect(schedule!.text).toMatch(/^Next meeting of Chi bộ thôn Đông: /);
    });

    it("/huongdan lists only the commands this person may use", async () => {
      const [help] = await w.say(w.people.member, "/huongdan");
      expect(help!.text.split("\n")).toEqual([
        "Các lệnh đồng chí dùng được:",
        "/start — Bắt đầu, liên kết tài khoản bằng mã mời",
        "/lich — Lịch sinh hoạt chi bộ sắp tới",
        "/gopy — Gửi phản ánh, góp ý với xã và cấp trên",
        "/gopycuatoi — Xem các góp ý đã gửi và câu trả lời",
        "/ngonngu — Đổi ngôn ngữ (Tiếng Việt / English)",
        "/maketnoi — Lấy mã để dùng chibo trên ứng dụng khác (Zalo, Telegram)",
        "/dulieu — Xem dữ liệu chibo đang giữ về đồng chí, nhận bản sao, yêu cầu xóa",
        "/quyenriengtu — Dữ liệu chibo lưu về đồng chí, để làm gì; đồng ý hoặc rút lại",
        "/web — Đường dẫn đăng nhập trang điều hành trên web (sinh hoạt, phản ánh, đảng viên)",
        "/huy — Hủy việc đang làm dở",
        "/huongdan — Hướng dẫn sử dụng",
      ]);
      const [unknown] = await w.say(stranger(999), "/huongdan");
      expect(unknown!.text.split("\n")).toEqual([
        "Để bắt đầu, đồng chí gửi /start kèm mã mời do bí thư chi bộ cấp. Các lệnh:",
        "/start — Bắt đầu, liên kết tài khoản bằng mã mời",
        "/quyenriengtu — Dữ liệu chibo lưu về đồng chí, để làm gì; đồng ý hoặc rút lại",
        "/huongdan — Hướng dẫn sử dụng",
      ]);
    });

    it("/huongdan lists every command of a secretary, each of a feature's, the group ones only where groups exist", async () => {
      const [help] = await w.say(w.people.secretary, "/huongdan");
      const groupCommands = channel === "zalo_oa" ? [] : [
        "/lienket — Liên kết nhóm chat của chi bộ (gửi trong nhóm)",
        "/huylienket — Hủy liên kết nhóm chat với chi bộ (gửi trong nhóm)",
      ];
      expect(help!.text.split("\n")).toEqual([
        "Các lệnh đồng chí dùng được:",
        "/start — Bắt đầu, liên kết tài khoản bằng mã mời",
        "/lich — Lịch sinh hoạt chi bộ sắp tới",
        "/gopy — Gửi phản ánh, góp ý với xã và cấp trên",
        "/gopycuatoi — Xem các góp ý đã gửi và câu trả lời",
        "/diemdanh — Điểm danh: ai có mặt, vắng, chưa trả lời",
        "/doilich — Lùi buổi sinh hoạt (tối đa theo quy định, có lý do)",
        "/datlich — Đặt lịch sinh hoạt thường kỳ của chi bộ",
        "/noidung — Đặt nội dung buổi sinh hoạt tới, ví dụ: /noidung Bàn kế hoạch làm đường",
        "/diadiem — Đổi địa điểm buổi sinh hoạt tới, ví dụ: /diadiem Nhà ông Ba",
        "/thongbao — Gửi thông báo tới đảng viên",
        ...groupCommands,
        "/ngonngu — Đổi ngôn ngữ (Tiếng Việt / English)",
        "/maketnoi — Lấy mã để dùng chibo trên ứng dụng khác (Zalo, Telegram)",
        "/dulieu — Xem dữ liệu chibo đang giữ về đồng chí, nhận bản sao, yêu cầu xóa",
        "/quyenriengtu — Dữ liệu chibo lưu về đồng chí, để làm gì; đồng ý hoặc rút lại",
        "/web — Đường dẫn đăng nhập trang điều hành trên web (sinh hoạt, phản ánh, đảng viên)",
        "/huy — Hủy việc đang làm dở",
        "/huongdan — Hướng dẫn sử dụng",
      ]);
      // The aliases are understood, not listed.
      const [alias] = await w.say(w.people.secretary, "/help");
      expect(alias!.text).toBe(help!.text);
    });

    it("/lich shows the reason of an absence given earlier", async () => {
      await w.say(w.people.member, "vắng, đi viện khám mắt");
      const [schedule] = await w.say(w.people.member, "/lich");
      expect(schedule!.text.split("\n").at(-1)).toBe("Đồng chí đã báo: vắng, lý do: đi viện khám mắt.");
      await w.say(w.people.memberB, "vắng");
      const [noReason] = await w.say(w.people.memberB, "/lich");
      expect(noReason!.text.split("\n")).toContain("Đồng chí đã báo: vắng.");
    });

    it("gives an unlinked person no meeting data, and names an unknown command", async () => {
      const [unlinked] = await w.say(stranger(998), "/lich");
      expect(unlinked!.text).toContain("mã mời");
      const [unknown] = await w.say(w.people.member, "/xoa");
      expect(unknown!.text).toBe("chibo không có lệnh /xoa. Gửi /huongdan để xem các lệnh dùng được.");
    });

    it("links a new chat with /start and an invite code, then answers the member by name", async () => {
      const member = await w.db.member.create({ data: { fullName: "Trịnh Văn Một", searchName: "trinh van mot", status: "full", cellId: w.orgs.cellA.id } });
      const { code } = await w.services.invites.issue(member.id, w.clock.now(), { kind: "cli" });
      const [linked, notice] = await w.say(stranger(750), `/start ${code}`, 2);
      expect(linked!.text).toContain("Trịnh Văn Một");
      expect(buttonsOf(notice)).toEqual([["consent:yes:2026-12", "consent:no:2026-12"]]);
      expect(await w.db.chatIdentity.findFirst({ where: { memberId: member.id } })).toMatchObject({ channel, externalUserId: "750" });
      const [schedule] = await w.say({ ...stranger(750), memberId: member.id }, "/lich");
      expect(schedule!.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông: /);
    });

    itOn(channel, ["zalo_oa"])("a new follower of the OA is told how to start; a member who follows again is not greeted, and is reachable again", async () => {
      const [hello] = await w.exchange(w.driver.chatOf(760), () => w.driver.follow!(760));
      expect(hello!.text).toBe("Chào đồng chí! chibo là trợ lý của chi bộ. Để bắt đầu, đồng chí gửi «/start» kèm mã mời do bí thư chi bộ cấp, ví dụ: /start K7MQ-4TXA.");

      const identity = { channel, externalUserId: "700" };
      await w.driver.follow!(700, { unfollow: true });
      await expect.poll(async () => (await w.db.chatIdentity.findFirstOrThrow({ where: identity })).reachable).toBe(false);
      await w.driver.follow!(700);
      await expect.poll(async () => (await w.db.chatIdentity.findFirstOrThrow({ where: identity })).reachable).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(await w.sentTo(w.people.member)).toEqual([]);
    });

    it("/maketnoi gives a linked member a one-time code; sent alone, without /start, it links another account", async () => {
      // An invite the secretary printed earlier stays usable: the member's own code does not cancel it.
      const printed = await w.services.invites.issue(w.people.member.memberId, w.clock.now(), { kind: "cli" });
      const [answer] = await w.say(w.people.member, "/maketnoi");
      const code = /^Mã kết nối của đồng chí: ([2-9A-Z]{4}-[2-9A-Z]{4})\nMã dùng được một lần, đến 04\/12\/2026 10:00\.\n/.exec(answer!.text)?.[1];
      expect(code).toBeDefined();
      expect(answer!.text).toContain(`gửi:\n/start ${code}\n\nKhông đưa mã này cho người khác`);
      // No Telegram link: on Telegram the member is already there, elsewhere no Telegram bot runs in this world.
      expect(answer!.text).not.toContain("t.me/");
      expect(await w.db.inviteCode.count({ where: { memberId: w.people.member.memberId, usedAt: null, expiresAt: { gt: w.clock.now() } } })).toBe(2);

      // An elderly member's second phone: the code typed alone, in lower case with a space.
      const [linked] = await w.say(stranger(751), code!.toLowerCase().replace("-", " "));
      expect(linked!.text).toBe("Đã liên kết tài khoản với đồng chí Ngô Văn Bảy, Chi bộ thôn Đông. Từ nay chibo sẽ nhắc lịch sinh hoạt chi bộ tại đây.");
      expect(await w.db.chatIdentity.count({ where: { memberId: w.people.member.memberId } })).toBe(2);
      // A used code and one chibo never gave get the same answer: it tells a guesser nothing.
      const [again] = await w.say(stranger(752), code!);
      expect(again!.text).toBe("Mã này không dùng được. Đồng chí xin bí thư chi bộ cấp mã mới, hoặc gửi /maketnoi trong ứng dụng đã liên kết chibo.");
      // Words, and what no code can be, get the greeting.
      const [unknown] = await w.say(stranger(752), "K7MQ-4TXA");
      expect(unknown!.text).toBe(again!.text);
      for (const words of ["xinchaoo", "good luck", "K7MQ-4TX0"]) {
        const [greeting] = await w.say(stranger(752), words);
        expect(greeting!.text).toMatch(/^Chào đồng chí! chibo là trợ lý của chi bộ\./);
      }
      const [printedLinks] = await w.say(stranger(753), `/start ${printed.code}`);
      expect(printedLinks!.text).toMatch(/^Đã liên kết tài khoản với đồng chí Ngô Văn Bảy/);
      // A linked member's own code-like text is not taken for a code.
      const [memberText] = await w.say(w.people.member, code!);
      expect(memberText!.text).not.toContain("liên kết");
      expect(await w.db.chatIdentity.count({ where: { memberId: w.people.member.memberId } })).toBe(3);
    });
  });
});
