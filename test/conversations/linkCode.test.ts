import { afterEach, beforeEach, expect, it } from "vitest";
import { chatsOfMembers } from "../../src/services/recipients.ts";
import { commandUpdate, DEFAULT_BOT, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { privateText, startFakeZaloBot, type FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { startChiboWithChannel, type StartedChibo } from "../helpers/chibo.ts";
import { runningClock } from "../helpers/clock.ts";
import { waitUntil } from "../helpers/wait.ts";

// One chibo on the Zalo bot and Telegram at once: a member linked on Zalo adds Telegram from the chat.
let telegram: FakeTelegram;
let zalo: FakeZaloBot;
let app: StartedChibo;
let memberId: number;
let clock: ReturnType<typeof runningClock>;

beforeEach(async () => {
  clock = runningClock("2026-12-03T03:00:00Z");
  telegram = await startFakeTelegram();
  zalo = await startFakeZaloBot();
  app = await startChiboWithChannel(
    { channel: "telegram", fake: telegram },
    { ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_API_ROOT: zalo.apiRoot, ZALO_BOT_RATE_PER_CHAT_PER_SECOND: "100", TELEGRAM_RATE_PER_CHAT_PER_SECOND: "100" },
    { clock },
  );
  const { organizations } = app.chibo.services;
  await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const cell = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "hai-phong", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
  const db = app.chibo.db;
  memberId = (await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } })).id;
  await db.role.create({ data: { memberId, role: "member", organizationId: cell.id } });
  await db.chatIdentity.create({ data: { memberId, channel: "zalo_bot", externalUserId: "500", chatId: "500", linkedAt: new Date("2026-11-01T00:00:00Z") } });
});
afterEach(async () => {
  await app.stop();
  await telegram.close();
  await zalo.close();
});

const zaloTexts = () => zalo.sentMessages().filter((m) => m.chatId === "500").map((m) => m.text);
const telegramTexts = (chatId: string) => telegram.sentMessages().filter((m) => m.chatId === chatId).map((m) => m.text);
const preferred = async () => (await chatsOfMembers(app.chibo.db, [memberId])).map((c) => `${c.channel}:${c.chatId}`);

it("a member on the Zalo bot gets a one-time code, links Telegram with it, and chibo writes where they wrote last", async () => {
  zalo.pushUpdate(privateText({ fromId: 500, text: "/maketnoi" }));
  await waitUntil(async () => zaloTexts().length === 1);
  const text = zaloTexts()[0]!;
  const code = /Mã kết nối của đồng chí: ([2-9A-Z]{4}-[2-9A-Z]{4})\n/.exec(text)?.[1];
  expect(code).toBeDefined();
  expect(text).toContain("Mã dùng được một lần, đến 04/12/2026 10:00.");
  expect(text).toContain(`/start ${code}`);
  // Telegram runs too, so the code comes with the link that opens chibo there with it.
  expect(text).toContain(`Trên Telegram, đồng chí chỉ cần bấm: https://t.me/${DEFAULT_BOT.username}?start=${code}`);
  expect(await preferred()).toEqual(["zalo_bot:500"]);

  telegram.pushUpdate(commandUpdate({ fromId: 900, command: "start", args: code! }));
  await waitUntil(async () => telegramTexts("900").length === 2);
  expect(telegramTexts("900")[0]).toBe("Đã liên kết tài khoản với đồng chí Ngô Văn Bảy, Chi bộ thôn Đông. Từ nay chibo sẽ nhắc lịch sinh hoạt chi bộ tại đây.");
  // The member has not accepted the notice of what chibo stores: it follows, in the new chat.
  expect(telegramTexts("900")[1]).toMatch(/^Thông báo về dữ liệu cá nhân/);
  expect(await app.chibo.db.chatIdentity.count({ where: { memberId } })).toBe(2);
  // Linking is writing: Telegram is where chibo writes now, until the member writes on Zalo again.
  expect(await preferred()).toEqual(["telegram:900"]);
  clock.jump(2 * 60_000);
  zalo.pushUpdate(privateText({ fromId: 500, text: "/lich" }));
  await waitUntil(async () => zaloTexts().length === 2);
  expect(await preferred()).toEqual(["zalo_bot:500"]);

  // The code worked once: someone else's Telegram cannot use it again, and is not told it was a real one.
  telegram.pushUpdate(commandUpdate({ fromId: 901, command: "start", args: code! }));
  await waitUntil(async () => telegramTexts("901").length === 1);
  expect(telegramTexts("901")[0]).toBe("Mã này không dùng được. Đồng chí xin bí thư chi bộ cấp mã mới, hoặc gửi /maketnoi trong ứng dụng đã liên kết chibo.");
  expect(await app.chibo.db.chatIdentity.count({ where: { memberId } })).toBe(2);
});
