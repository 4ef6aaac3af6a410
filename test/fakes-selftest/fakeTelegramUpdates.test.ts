import { Telegraf } from "telegraf";
import { describe, expect, it } from "vitest";
import { callbackUpdate, commandUpdate, DEFAULT_BOT, groupTextUpdate, myChatMemberUpdate, privateTextUpdate, startFakeTelegram } from "../fakes/fakeTelegram.ts";
import { fakeWithBot, rejectionOf } from "./telegrafClient.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("fake Telegram: getUpdates", () => {
  it("returns pushed updates until a later call confirms them with a greater offset", async () => {
    const { fake, telegram } = await fakeWithBot();
    const firstId = fake.pushUpdate(privateTextUpdate({ fromId: 42, text: "có" }));
    const secondId = fake.pushUpdate({ message: { text: "raw" } });
    expect(secondId).toBeGreaterThan(firstId);

    expect((await telegram.getUpdates(0, 100, 0, undefined)).map((update) => update.update_id)).toEqual([firstId, secondId]);
    expect((await telegram.getUpdates(0, 1, 0, undefined)).map((update) => update.update_id)).toEqual([firstId]);
    expect((await telegram.getUpdates(0, 100, secondId, undefined)).map((update) => update.update_id)).toEqual([secondId]);
    expect(await telegram.getUpdates(0, 100, secondId + 1, undefined)).toEqual([]);
  });

  it("holds a long poll until an update is pushed", async () => {
    const { fake, telegram } = await fakeWithBot();
    const poll = telegram.getUpdates(20, 100, 0, undefined);
    let answered = false;
    void poll.then(() => (answered = true));
    await sleep(100);
    expect(answered).toBe(false);
    const pushedAt = Date.now();
    const updateId = fake.pushUpdate(privateTextUpdate({ fromId: 42, text: "vắng" }));
    expect(await poll).toMatchObject([{ update_id: updateId, message: { text: "vắng" } }]);
    expect(fake.callsTo("getUpdates")[0]?.at).toBeLessThanOrEqual(pushedAt);
  });

  it("answers a long poll with no updates when its timeout runs out", async () => {
    const { telegram } = await fakeWithBot();
    const started = performance.now();
    expect(await telegram.getUpdates(1, 100, 0, undefined)).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("lets a held long poll go with no updates when the fake closes", async () => {
    const fake = await startFakeTelegram();
    const poll = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } }).telegram.getUpdates(50, 100, 0, undefined);
    await sleep(50);
    await fake.close();
    expect(await poll).toEqual([]);
  });

  it("ends the older of two long polls with 409, as when two instances poll one bot", async () => {
    const { telegram } = await fakeWithBot();
    const older = rejectionOf(telegram.getUpdates(20, 100, 0, undefined));
    await sleep(50);
    const newer = telegram.getUpdates(0, 100, 0, undefined);
    expect(await older).toMatchObject({ code: 409 });
    expect(await newer).toEqual([]);
  });

  it("refuses getUpdates while a webhook is set, and reports the webhook", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.pushUpdate(privateTextUpdate({ fromId: 42, text: "a" }));
    expect(await rejectionOf(telegram.setWebhook("http://plain.example/hook"))).toMatchObject({ code: 400 });
    await telegram.setWebhook("https://chibo.example/telegram", { secret_token: "s3cret" });
    expect(await rejectionOf(telegram.getUpdates(0, 100, 0, undefined))).toMatchObject({ code: 409 });
    expect(await telegram.getWebhookInfo()).toMatchObject({ url: "https://chibo.example/telegram", pending_update_count: 1 });
    await telegram.deleteWebhook({ drop_pending_updates: true });
    expect(await telegram.getWebhookInfo()).toMatchObject({ url: "", pending_update_count: 0 });
    expect(fake.callsTo("setWebhook")[1]?.body).toMatchObject({ secret_token: "s3cret" });
  });

  it("leaves out chat_member updates unless the bot asks for them, as Telegram does", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.pushUpdate({ chat_member: {} });
    const messageId = fake.pushUpdate(privateTextUpdate({ fromId: 42, text: "a" }));
    expect((await telegram.getUpdates(0, 100, 0, undefined)).map((update) => update.update_id)).toEqual([messageId]);
  });
});

describe("fake Telegram: a telegraf bot polling it", () => {
  it("routes built command, callback and my_chat_member updates to telegraf's handlers", async () => {
    const { fake, bot } = await fakeWithBot();
    const blockedBy: number[] = [];
    bot.command("start", (ctx) => ctx.reply(`Xin chào ${ctx.from.first_name}, ${ctx.payload}`));
    bot.action("att:yes", (ctx) => ctx.answerCbQuery("Đã ghi nhận"));
    bot.on("my_chat_member", (ctx) => {
      if (ctx.myChatMember.new_chat_member.status === "kicked") blockedBy.push(ctx.from.id);
    });
    const stopped = bot.launch().then(() => undefined, (error: unknown) => error);

    fake.pushUpdate(commandUpdate({ fromId: 42, firstName: "Lan", command: "start", args: "moi-123" }));
    fake.pushUpdate(callbackUpdate({ fromId: 42, data: "att:yes" }));
    fake.pushUpdate(myChatMemberUpdate({ fromId: 42, newStatus: "kicked" }));
    await fake.waitFor(() => fake.callsTo("answerCallbackQuery").length === 1 && blockedBy.length === 1);
    bot.stop("test over");
    expect(await stopped).toBeUndefined();

    expect(fake.sentMessages()).toMatchObject([{ chatId: "42", text: "Xin chào Lan, moi-123" }]);
    expect(fake.callsTo("answerCallbackQuery")[0]?.body).toMatchObject({ text: "Đã ghi nhận", callback_query_id: expect.any(String) });
    expect(blockedBy).toEqual([42]);
    expect(await bot.telegram.getUpdates(0, 100, 0, undefined)).toEqual([]);
  });
});

describe("update builders", () => {
  it("build updates telegraf takes as its own Update type, for webhook-style handleUpdate", async () => {
    const { fake, bot } = await fakeWithBot();
    bot.botInfo = { ...DEFAULT_BOT, is_bot: true, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
    bot.on("text", (ctx) => ctx.reply(`Nhận: ${ctx.message.text}`));
    await bot.handleUpdate(groupTextUpdate({ chatId: -4001, fromId: 42, text: "có mặt" }));
    expect(fake.sentMessages()).toMatchObject([{ chatId: "-4001", text: "Nhận: có mặt" }]);
    expect(fake.callsTo("getMe")).toEqual([]);
  });

  it("mark a leading command with a bot_command entity covering /command@bot", () => {
    const update = commandUpdate({ fromId: 42, command: "diemdanh", botUsername: "chibo_test_bot", args: "co" });
    expect(update.message.text).toBe("/diemdanh@chibo_test_bot co");
    expect(update.message.entities).toEqual([{ type: "bot_command", offset: 0, length: "/diemdanh@chibo_test_bot".length }]);
    expect(privateTextUpdate({ fromId: 42, text: "/start" }).message.entities).toHaveLength(1);
    expect(privateTextUpdate({ fromId: 42, text: "/gópý" }).message.entities).toBeUndefined();
    expect(privateTextUpdate({ fromId: 42, text: "có mặt" }).message.entities).toBeUndefined();
  });

  it("give private, group and supergroup chats Telegram's shapes", () => {
    const direct = privateTextUpdate({ fromId: 42, text: "a", firstName: "Lan" });
    expect(direct.message).toMatchObject({ chat: { id: 42, type: "private", first_name: "Lan" }, from: { id: 42, is_bot: false, language_code: "vi" } });
    expect(Number.isInteger(direct.message.date) && direct.message.date < 1e11).toBe(true);
    expect(groupTextUpdate({ chatId: -4001, fromId: 42, text: "a" }).message.chat).toMatchObject({ id: -4001, type: "group", title: expect.any(String) });
    expect(groupTextUpdate({ chatId: -1001234567890, fromId: 42, text: "a" }).message.chat.type).toBe("supergroup");
  });

  it("give a callback query a string id and the bot's message carrying the pressed button", () => {
    const update = callbackUpdate({ fromId: 42, chatId: -4001, data: "att:no", messageId: 77 });
    expect(typeof update.callback_query.id).toBe("string");
    expect(update.callback_query.message).toMatchObject({ message_id: 77, chat: { id: -4001, type: "group" }, from: { is_bot: true } });
    expect(update.callback_query.message.reply_markup?.inline_keyboard[0]?.[0]?.callback_data).toBe("att:no");
  });

  it("describe blocking and being added to a group as my_chat_member status changes", () => {
    const blocked = myChatMemberUpdate({ fromId: 42, newStatus: "kicked" }).my_chat_member;
    expect(blocked).toMatchObject({
      chat: { id: 42, type: "private" },
      old_chat_member: { status: "member" },
      new_chat_member: { status: "kicked", until_date: 0, user: { is_bot: true } },
    });
    const added = myChatMemberUpdate({ fromId: 42, chatId: -4001, newStatus: "administrator" }).my_chat_member;
    expect(added).toMatchObject({ chat: { type: "group" }, old_chat_member: { status: "left" }, new_chat_member: { status: "administrator", can_manage_chat: true } });
  });

  it("number updates upwards, and the fake keeps an update_id it is given", async () => {
    const first = privateTextUpdate({ fromId: 1, text: "a" });
    const second = privateTextUpdate({ fromId: 1, text: "b" });
    expect(second.update_id).toBe(first.update_id + 1);
    const fake = await startFakeTelegram();
    expect(fake.pushUpdate(privateTextUpdate({ fromId: 1, text: "c", updateId: 900 }))).toBe(900);
    expect(fake.pushUpdate({ message: {} })).toBe(901);
    await fake.close();
  });
});
