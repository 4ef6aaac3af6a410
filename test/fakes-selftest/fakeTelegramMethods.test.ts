import { Markup } from "telegraf";
import { describe, expect, it } from "vitest";
import { fakeWithBot, rejectionOf } from "./telegrafClient.ts";

describe("fake Telegram: commands menu", () => {
  it("keeps one menu per scope and language_code", async () => {
    const { telegram } = await fakeWithBot();
    await telegram.setMyCommands([{ command: "diemdanh", description: "Điểm danh" }], { language_code: "vi" });
    await telegram.setMyCommands([{ command: "diemdanh", description: "Attendance" }], { language_code: "en" });
    await telegram.setMyCommands([{ command: "gopy", description: "Góp ý" }], { scope: { type: "all_group_chats" } });

    expect(await telegram.getMyCommands({ language_code: "vi" })).toEqual([{ command: "diemdanh", description: "Điểm danh" }]);
    expect(await telegram.getMyCommands({ language_code: "en" })).toEqual([{ command: "diemdanh", description: "Attendance" }]);
    expect(await telegram.getMyCommands({ scope: { type: "all_group_chats" } })).toEqual([{ command: "gopy", description: "Góp ý" }]);
    expect(await telegram.getMyCommands()).toEqual([]);
    await telegram.deleteMyCommands({ language_code: "vi" });
    expect(await telegram.getMyCommands({ language_code: "vi" })).toEqual([]);
  });

  it("refuses a command name with Vietnamese letters or capitals", async () => {
    const { telegram } = await fakeWithBot();
    const error = await rejectionOf(telegram.setMyCommands([{ command: "góp_ý", description: "Góp ý" }]));
    expect(error).toMatchObject({ code: 400, description: "Bad Request: BOT_COMMAND_INVALID" });
    expect(await rejectionOf(telegram.setMyCommands([{ command: "GopY", description: "Góp ý" }]))).toMatchObject({ code: 400 });
  });
});

describe("fake Telegram: edits, callbacks, chat actions and documents", () => {
  it("edits a sent message, refuses an identical edit, and drops the keyboard when none is given", async () => {
    const { telegram } = await fakeWithBot();
    const keyboard = Markup.inlineKeyboard([Markup.button.callback("Có", "att:yes")]);
    const sent = await telegram.sendMessage(42, "Họp 19:30?", keyboard);
    const edited = await telegram.editMessageText(42, sent.message_id, undefined, "Họp 20:00?", keyboard);
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Họp 20:00?", reply_markup: keyboard.reply_markup });

    const unchanged = await rejectionOf(telegram.editMessageText(42, sent.message_id, undefined, "Họp 20:00?", keyboard));
    expect(unchanged).toMatchObject({ code: 400, description: expect.stringContaining("message is not modified") });
    expect(await telegram.editMessageText(42, sent.message_id, undefined, "Họp 20:00?")).not.toHaveProperty("reply_markup");
    expect(await rejectionOf(telegram.editMessageText(43, sent.message_id, undefined, "x"))).toMatchObject({ description: "Bad Request: message to edit not found" });
  });

  it("replaces only the keyboard with editMessageReplyMarkup", async () => {
    const { telegram } = await fakeWithBot();
    const sent = await telegram.sendMessage(42, "Họp?", Markup.inlineKeyboard([Markup.button.callback("Có", "a")]));
    const next = Markup.inlineKeyboard([Markup.button.callback("Đã trả lời", "done")]).reply_markup;
    expect(await telegram.editMessageReplyMarkup(42, sent.message_id, undefined, next)).toMatchObject({ text: "Họp?", reply_markup: next });
  });

  it("answers callback queries and chat actions with true", async () => {
    const { fake, telegram } = await fakeWithBot();
    expect(await telegram.answerCbQuery("4000000000000000001", "Đã ghi nhận", { show_alert: true })).toBe(true);
    expect(await telegram.sendChatAction(42, "typing")).toBe(true);
    expect(fake.callsTo("answerCallbackQuery")[0]?.body).toEqual({ callback_query_id: "4000000000000000001", text: "Đã ghi nhận", show_alert: true });
  });

  it("reads a multipart upload: the file's name and size, and the other fields", async () => {
    const { fake, telegram } = await fakeWithBot();
    const keyboard = Markup.inlineKeyboard([Markup.button.callback("Tải lại", "reload")]);
    const sent = await telegram.sendDocument(-4001, { source: Buffer.from("ho_ten,dang_vien\n"), filename: "danh-sach.csv" }, { caption: "Danh sách", ...keyboard });
    expect(sent).toMatchObject({ chat: { id: -4001, type: "group" }, caption: "Danh sách", document: { file_name: "danh-sach.csv", file_size: 17 } });
    expect(fake.callsTo("sendDocument")[0]).toMatchObject({
      chatId: "-4001",
      body: { chat_id: "-4001", caption: "Danh sách", document: { filename: "danh-sach.csv", size: 17 }, reply_markup: keyboard.reply_markup },
    });
    expect(fake.callsTo("sendDocument")[0]?.body).not.toHaveProperty("method");
  });

  it("accepts a document sent by file_id as JSON", async () => {
    const { telegram } = await fakeWithBot();
    expect(await telegram.sendDocument(42, "BQACAgUAAxkBAAIB")).toMatchObject({ document: { file_id: "BQACAgUAAxkBAAIB" } });
  });

  it("matches method names case-insensitively, as the Bot API does", async () => {
    const { fake, telegram } = await fakeWithBot();
    await telegram.callApi("sendmessage" as "sendMessage", { chat_id: 42, text: "a" });
    expect(fake.sentMessages()).toHaveLength(1);
  });

  it("answers methods given in extraMethods", async () => {
    const { telegram } = await fakeWithBot({ extraMethods: { getChat: (params) => ({ id: Number(params.chat_id), type: "private", first_name: "Lan" }) } });
    expect(await telegram.getChat(42)).toMatchObject({ id: 42, first_name: "Lan" });
  });
});

describe("fake Telegram: call log", () => {
  it("keeps only the latest calls under maxRecordedCalls but counts them all", async () => {
    const { fake, telegram } = await fakeWithBot({ maxRecordedCalls: 3 });
    for (const text of ["1", "2", "3", "4", "5", "6", "7"]) await telegram.sendMessage(42, text);
    expect(fake.calls.map((call) => call.body.text)).toEqual(["5", "6", "7"]);
    expect(fake.stats()).toMatchObject({ total: 7, byMethod: { sendMessage: 7 } });
  });

  it("records nothing with recordCalls: false, but still counts and still limits", async () => {
    const { fake, telegram } = await fakeWithBot({ recordCalls: false, now: () => 1_700_000_000_500 });
    await telegram.sendMessage(42, "a");
    await telegram.sendMessage(42, "b");
    expect(fake.calls).toEqual([]);
    expect(fake.sentMessages()).toEqual([]);
    expect(fake.stats().byMethod.sendMessage).toBe(2);
    expect([fake.windowsOverLimit(1), fake.windowsOverLimit(2)]).toEqual([1, 0]);
  });

  it("forgets calls, faults, blocks and updates on reset, but never reuses a message id", async () => {
    const { fake, telegram } = await fakeWithBot();
    const before = await telegram.sendMessage(42, "a");
    fake.blockChat(42);
    fake.failNext("sendMessage", { status: 500 });
    fake.pushUpdate({ message: {} });
    fake.reset();
    const after = await telegram.sendMessage(42, "b");
    expect(after.message_id).toBeGreaterThan(before.message_id);
    expect(fake.sentMessages().map((message) => message.text)).toEqual(["b"]);
    expect(await telegram.getUpdates(0, 100, 0, undefined)).toEqual([]);
  });

  it("rejects waitFor with the calls so far when the condition never holds", async () => {
    const { fake, telegram } = await fakeWithBot();
    await telegram.getMe();
    await expect(fake.waitFor(() => false, 30)).rejects.toThrow(/after 30 ms; calls so far: \{"getMe":1\}/);
  });
});
