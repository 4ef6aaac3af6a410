import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callbackUpdate, commandUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { waitUntil } from "../helpers/wait.ts";

let fake: FakeTelegram;
let app: Awaited<ReturnType<typeof startChiboWithTelegram>>;

beforeEach(async () => {
  fake = await startFakeTelegram();
  app = await startChiboWithTelegram(fake);
  const { services, db } = app.chibo;
  await services.organizations.add({ level: "district", name: "Huyện ủy Tứ Kỳ", code: "tu-ky" });
  await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "tu-ky" });
  const cell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30", place: "Nhà văn hóa thôn" } });
  const member = await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } });
  const secretary = await db.member.create({ data: { fullName: "Đỗ Thị Tám", searchName: "do thi tam", status: "full", cellId: cell.id } });
  await db.role.create({ data: { memberId: secretary.id, organizationId: cell.id, role: "secretary" } });
  await db.chatIdentity.create({ data: { memberId: member.id, channel: "telegram", externalUserId: "700", chatId: "700" } });
  await db.chatIdentity.create({ data: { memberId: secretary.id, channel: "telegram", externalUserId: "701", chatId: "701" } });
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

/** Sends an update and waits for the `n`-th answer to that chat. */
async function says(chatId: number, update: object, n = 1): Promise<string> {
  fake.pushUpdate(update);
  await waitUntil(() => fake.sentMessages().filter((m) => m.chatId === String(chatId)).length >= n);
  return fake.sentMessages().filter((m) => m.chatId === String(chatId))[n - 1]!.text;
}

describe("member conversations: meeting day, language, help", () => {
  it("/lich gives the cell's next meeting with its place, and the postponement with its reason", async () => {
    const first = await says(700, commandUpdate({ fromId: 700, command: "lich" }));
    expect(first).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông: .+, 07\/\d\d\/\d{4} 19:30\.\nĐịa điểm: Nhà văn hóa thôn\.\nĐồng chí chưa báo có dự hay không\.$/);
    const regularDate = /07\/(\d\d)\/(\d{4})/.exec(first)!;
    const [month, year] = [regularDate[1], regularDate[2]];
    // One day later, 19:30 local = 12:30 UTC.
    await app.chibo.services.meetings.postpone({ cellCode: "dong", regularDate: `${year}-${month}-07`, newStart: new Date(`${year}-${month}-08T12:30:00Z`), reason: "Trùng lịch bầu cử", now: new Date() });
    const second = await says(700, commandUpdate({ fromId: 700, command: "lich" }), 2);
    expect(second).toContain(`08/${regularDate[1]}/${regularDate[2]} 19:30`);
    expect(second).toContain("lý do: Trùng lịch bầu cử");
  });

  it("/ngonngu switches to English with a button and keeps the choice", async () => {
    const ask = await says(700, commandUpdate({ fromId: 700, command: "ngonngu" }));
    expect(ask).toContain("Choose your language");
    const keyboard = fake.sentMessages().find((m) => m.chatId === "700")!.replyMarkup as { inline_keyboard: { callback_data: string }[][] };
    expect(keyboard.inline_keyboard[0]!.map((b) => b.callback_data)).toEqual(["lang:vi", "lang:en"]);
    expect(await says(700, callbackUpdate({ fromId: 700, data: "lang:en" }), 2)).toBe("chibo will now answer you in English.");
    expect((await app.chibo.db.member.findFirstOrThrow({ where: { fullName: "Ngô Văn Bảy" } })).language).toBe("en");
    expect(await says(700, commandUpdate({ fromId: 700, command: "lich" }), 3)).toMatch(/^Next meeting of Chi bộ thôn Đông: /);
  });

  it("/huongdan lists only the commands this person may use", async () => {
    const help = await says(700, commandUpdate({ fromId: 700, command: "huongdan" }));
    expect(help.split("\n")).toEqual([
      "Các lệnh đồng chí dùng được:",
      "/start — Bắt đầu, liên kết tài khoản bằng mã mời",
      "/lich — Lịch sinh hoạt chi bộ sắp tới",
      "/gopy — Gửi phản ánh, góp ý với huyện",
      "/gopycuatoi — Xem các góp ý đã gửi và câu trả lời",
      "/ngonngu — Đổi ngôn ngữ (Tiếng Việt / English)",
      "/huongdan — Hướng dẫn sử dụng",
    ]);
    const stranger = await says(999, commandUpdate({ fromId: 999, command: "huongdan" }));
    expect(stranger.split("\n")).toEqual([
      "Để bắt đầu, đồng chí gửi /start kèm mã mời do bí thư chi bộ cấp. Các lệnh:",
      "/start — Bắt đầu, liên kết tài khoản bằng mã mời",
      "/huongdan — Hướng dẫn sử dụng",
    ]);
  });

  it("gives an unlinked person no meeting data, and names an unknown command", async () => {
    expect(await says(998, commandUpdate({ fromId: 998, command: "lich" }))).toContain("mã mời");
    expect(await says(700, commandUpdate({ fromId: 700, command: "xoa" }))).toBe("chibo không có lệnh /xoa. Gửi /huongdan để xem các lệnh dùng được.");
  });
});
