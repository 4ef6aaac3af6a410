import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { callbackUpdate, commandUpdate, myChatMemberUpdate, privateTextUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { waitUntil } from "../helpers/wait.ts";

let fake: FakeTelegram;
let app: Awaited<ReturnType<typeof startChiboWithTelegram>>;

beforeEach(async () => {
  fake = await startFakeTelegram();
  app = await startChiboWithTelegram(fake);
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

async function aMemberWithCode() {
  const { services } = app.chibo;
  await services.organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const cell = await services.organizations.add({ level: "cell", name: "Chi bộ Cơ quan", code: "cq", parentCode: "hai-phong", cellKind: "agency" });
  const member = await app.chibo.db.member.create({ data: { fullName: "Phạm Thị Hoa", searchName: "pham thi hoa", status: "full", cellId: cell.id } });
  const { code } = await services.invites.issue(member.id, new Date(), CLI_ACTOR);
  return { member, code };
}

const textsTo = (chatId: number) => fake.sentMessages().filter((m) => m.chatId === String(chatId)).map((m) => m.text);

describe("Telegram by long polling", () => {
  it("registers the command menu in Vietnamese and English and clears any webhook", async () => {
    await waitUntil(() => fake.callsTo("setMyCommands").length === 3);
    const menus = fake.callsTo("setMyCommands").map((c) => (c.body as { language_code?: string }).language_code ?? "default");
    expect(menus.sort()).toEqual(["default", "en", "vi"]);
    const vi = fake.callsTo("setMyCommands").find((c) => (c.body as { language_code?: string }).language_code === "vi");
    expect(JSON.stringify(vi?.body)).toContain("Lịch sinh hoạt chi bộ sắp tới");
    expect(fake.callsTo("deleteWebhook")).toHaveLength(1);
  });

  it("links a chat with /start and an invite code, and answers in the chat", async () => {
    const { member, code } = await aMemberWithCode();
    fake.pushUpdate(commandUpdate({ fromId: 501, command: "start", args: code }));
    await waitUntil(() => textsTo(501).length >= 1);
    expect(textsTo(501)[0]).toBe("Đã liên kết tài khoản với đồng chí Phạm Thị Hoa, Chi bộ Cơ quan. Từ nay chibo sẽ nhắc lịch sinh hoạt chi bộ tại đây.");
    const identity = await app.chibo.db.chatIdentity.findFirstOrThrow();
    expect(identity).toMatchObject({ memberId: member.id, channel: "telegram", externalUserId: "501", chatId: "501", reachable: true });
    const offset = await app.chibo.db.channelState.findUniqueOrThrow({ where: { key: "telegram:offset" } });
    expect(Number(offset.value)).toBeGreaterThan(0);
  });

  it("answers an unknown code clearly and links nothing", async () => {
    await aMemberWithCode();
    fake.pushUpdate(commandUpdate({ fromId: 502, command: "start", args: "ZZZZ-ZZZZ" }));
    await waitUntil(() => textsTo(502).length === 1);
    expect(textsTo(502)[0]).toBe("Mã này không dùng được. Đồng chí xin bí thư chi bộ cấp mã mới, hoặc gửi /maketnoi trong ứng dụng đã liên kết chibo.");
    expect(await app.chibo.db.chatIdentity.count()).toBe(0);
  });

  it("gives an unlinked person only a polite explanation, in English when their Telegram is in English", async () => {
    fake.pushUpdate(privateTextUpdate({ fromId: 503, text: "co", languageCode: "en" }));
    await waitUntil(() => textsTo(503).length === 1);
    expect(textsTo(503)[0]).toContain("send «/start» with the invite code");
  });

  it("answers every button press, even a stale one", async () => {
    fake.pushUpdate(callbackUpdate({ fromId: 504, data: "vote:999:yes" }));
    await waitUntil(() => fake.callsTo("answerCallbackQuery").length === 1 && textsTo(504).length === 1);
    expect(textsTo(504)[0]).toBe("Nút này không còn dùng được nữa.");
  });

  it("marks a member unreachable when they block the bot and reachable when they come back", async () => {
    const { code } = await aMemberWithCode();
    fake.pushUpdate(commandUpdate({ fromId: 505, command: "start", args: code }));
    await waitUntil(async () => (await app.chibo.db.chatIdentity.count()) === 1);
    fake.pushUpdate(myChatMemberUpdate({ fromId: 505, newStatus: "kicked" }));
    await waitUntil(async () => (await app.chibo.db.chatIdentity.findFirstOrThrow()).reachable === false);
    fake.pushUpdate(myChatMemberUpdate({ fromId: 505, newStatus: "member", oldStatus: "kicked" }));
    await waitUntil(async () => (await app.chibo.db.chatIdentity.findFirstOrThrow()).reachable === true);
  });
});
