import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { privateTextUpdate } from "../fakes/fakeTelegram.ts";
import { buttonsOf, forEachChannel, itOn, startConversationWorld, type ConversationWorld } from "./harness.ts";

/**
 * Commands as people type them: with or without "/", with or without diacritics, in any case,
 * or as their words ("lịch họp", "góp ý"); never taking words that answer a question chibo asked.
 * The calendar is four days before the cells' meeting, so words alone are read as answers too.
 */
forEachChannel("commands as typed", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld(channel);
  });
  afterEach(() => w.stop());

  const SCHEDULE = /^Buổi sinh hoạt tới của Chi bộ thôn Đông: Thứ Hai, 07\/12\/2026 19:30\./;
  const ASK_TEXT = /^Đồng chí viết nội dung phản ánh, góp ý/;

  /** Opens /gopy and answers up to the step that waits for the text. */
  async function gopyUpToText() {
    const m = w.people.member;
    const [, addressee] = await w.say(m, "/gopy", 2);
    await w.press(m, buttonsOf(addressee)[0]![0]!);
    const [askText] = await w.press(m, "gy:cat:economy");
    expect(askText!.text).toMatch(ASK_TEXT);
  }

  describe("one command, written every way", () => {
    it("takes /Lịch, lich, Lich, LỊCH, lịch họp, lich hop and /lịch họp? for /lich", async () => {
      for (const typed of ["/Lịch", "lich", "Lich", "LỊCH", "lịch họp", "Lich hop", "/lịch họp?", "/LICH"]) {
        const [answer] = await w.say(w.people.member, typed);
        expect(answer!.text, typed).toMatch(SCHEDULE);
      }
      expect(await w.db.attendance.count()).toBe(0);
    });

    it("takes the words of other commands: gop y, Góp ý, huong dan, /Hướng dẫn, and thong bao for a secretary", async () => {
      for (const typed of ["gop y", "Góp ý", "/góp ý"]) {
        const [intro, addressee] = await w.say(w.people.member, typed, 2);
        expect(intro!.text, typed).toMatch(/^Gửi phản ánh, góp ý/);
        expect(addressee!.text).toBe("Đồng chí gửi tới đâu?");
        const [cancelled] = await w.say(w.people.member, "/huy");
        expect(cancelled!.text).toBe("Đã hủy việc gửi phản ánh, góp ý. Chưa có gì được lưu.");
      }
      for (const typed of ["huong dan", "/Hướng dẫn", "HƯỚNG DẪN"]) {
        const [help] = await w.say(w.people.member, typed);
        expect(help!.text.split("\n")[0], typed).toBe("Các lệnh đồng chí dùng được:");
      }
      const [notice] = await w.say(w.people.secretary, "thong bao");
      expect(notice!.text).toBe("Đồng chí gõ nội dung thông báo gửi tới Chi bộ thôn Đông (tối đa 2000 ký tự):");
    });

    it("keeps the arguments after a command written in words: /đặt lịch 8 19:00", async () => {
      const [set] = await w.say(w.people.secretary, "/đặt lịch 8 19:00");
      expect(set!.text).toMatch(/^Đã đặt lịch sinh hoạt thường kỳ của Chi bộ thôn Đông: /);
      expect(await w.db.meetingRule.findFirstOrThrow({ where: { cellId: w.orgs.cellA.id } })).toMatchObject({ dayOfMonth: 8, time: "19:00" });
    });

    itOn(channel, ["telegram"])("reads the text of /lịch, though Telegram marks only its /l as a command", async () => {
      const update = privateTextUpdate({ fromId: w.people.member.n, text: "/lịch" });
      update.message.entities = [{ type: "bot_command", offset: 0, length: 2 }];
      const [answer] = await w.exchange(w.people.member, async () => void w.telegram.pushUpdate(update));
      expect(answer!.text).toMatch(SCHEDULE);
    });
  });

  describe("words that answer a question stay answers", () => {
    it("takes lịch as the feedback text while /gopy waits for it, and hủy as the end of the flow", async () => {
      await gopyUpToText();
      const [anonymity] = await w.say(w.people.member, "lịch");
      expect(anonymity!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
      expect((await w.db.chatFlow.findFirstOrThrow()).data).toContain("\"text\":\"lịch\"");
      const [cancelled] = await w.say(w.people.member, "Hủy");
      expect(cancelled!.text).toBe("Đã hủy việc gửi phản ánh, góp ý. Chưa có gì được lưu.");
      expect(await w.db.chatFlow.count()).toBe(0);
    });

    it("records có and ok as answers to the meeting, and leaves xem to be words", async () => {
      const [present] = await w.say(w.people.member, "có");
      expect(present!.text).toMatch(/^Đã ghi: đồng chí có mặt/);
      const [ok] = await w.say(w.people.secretary, "ok");
      expect(ok!.text).toMatch(/^Đã ghi: đồng chí có mặt/);
      expect(await w.db.attendance.count()).toBe(2);
      // "xem" alone is "let me see", even from a reviewer who has /xem.
      const [words] = await w.say(w.people.reviewerX, "xem");
      expect(words!.text).not.toContain("/xem GY-");
      expect(words!.text).toMatch(/07\/12\/2026/);
    });

    it("answers hủy alone with nothing to cancel, and a command someone may not use alone is just words", async () => {
      const [nothing] = await w.say(w.people.member, "huỷ");
      expect(nothing!.text).toBe("Đồng chí không có việc nào đang làm dở.");
      // A plain member typing "thông báo" is not refused a command: it is words (here, not an answer).
      const [words] = await w.say(w.people.member, "thông báo");
      expect(words!.text).not.toBe("Đồng chí không có quyền dùng lệnh này.");
      expect(await w.db.chatFlow.count()).toBe(0);
    });
  });

  describe("an unknown command", () => {
    it("suggests the nearest command this person may use, and only /huongdan when none is near", async () => {
      const [typo] = await w.say(w.people.member, "/lihc");
      expect(typo!.text).toBe("chibo không có lệnh /lihc. Có phải đồng chí muốn gửi /lich (Lịch sinh hoạt chi bộ sắp tới)? Gửi /huongdan để xem các lệnh dùng được.");
      const [help] = await w.say(w.people.member, "/huongdam");
      expect(help!.text).toContain("Có phải đồng chí muốn gửi /huongdan (Hướng dẫn sử dụng)?");
      const [words] = await w.say(w.people.member, "/gop yy");
      expect(words!.text).toContain("Có phải đồng chí muốn gửi /gopy (");
      // /thongbao is near, but not for a plain member: nothing to suggest.
      const [member] = await w.say(w.people.member, "/thongbo");
      expect(member!.text).toBe("chibo không có lệnh /thongbo. Gửi /huongdan để xem các lệnh dùng được.");
      const [secretary] = await w.say(w.people.secretary, "/thongbo");
      expect(secretary!.text).toContain("Có phải đồng chí muốn gửi /thongbao (Gửi thông báo tới đảng viên)?");
      const [far] = await w.say(w.people.member, "/xóa");
      expect(far!.text).toBe("chibo không có lệnh /xóa. Gửi /huongdan để xem các lệnh dùng được.");
    });
  });

  describe("a text a step does not take", () => {
    it("answers that very message, so the person sees which one (and the web chat gives it back)", async () => {
      await gopyUpToText();
      const [tooLong] = await w.say(w.people.member, "a".repeat(3500), 2);
      expect(tooLong!.text).toBe("Nội dung phản ánh, góp ý chỉ được dài tối đa 3000 ký tự, hiện có 3500 ký tự.");
      const refusal = await w.db.outboxMessage.findFirstOrThrow({ where: { text: tooLong!.text } });
      expect(refusal.replyToMessageId).not.toBeNull();
      const [taken] = await w.say(w.people.member, "Đường liên thôn sụt lún");
      expect(taken!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
      expect((await w.db.outboxMessage.findFirstOrThrow({ where: { text: taken!.text } })).replyToMessageId).toBeNull();
    });
  });

  itOn(channel, ["telegram", "zalo_bot"])("in a group: /Lịch is a command, lịch alone is the members' own talk", async () => {
    await w.linkGroup(900, w.orgs.cellA.id);
    const groupId = w.groupChat(900);
    await w.driver.groups!.sendText(900, w.people.member.n, "lịch");
    const [schedule] = await w.sayInGroup(900, w.people.member, "/Lịch");
    expect(schedule!.text).toBe("Buổi sinh hoạt tới của Chi bộ thôn Đông: Thứ Hai, 07/12/2026 19:30.\nĐịa điểm: Nhà văn hóa thôn.");
    expect(await w.sentTo(groupId)).toHaveLength(1);
  });
});
