import { Telegraf, TelegramError } from "telegraf";
import { describe, expect, it } from "vitest";
import { fakeWithBot, rejectionOf } from "./telegrafClient.ts";

const YES_NO = { inline_keyboard: [[{ text: "Có", callback_data: "att:yes" }, { text: "Không", callback_data: "att:no" }]] };

describe("fake Telegram: sending", () => {
  it("records a sent message and answers with a Message telegraf returns", async () => {
    const { fake, telegram } = await fakeWithBot();
    const message = await telegram.sendMessage(42, "Họp chi bộ 19:30", { reply_markup: YES_NO });
    expect(message).toMatchObject({ message_id: 1, chat: { id: 42, type: "private" }, text: "Họp chi bộ 19:30", reply_markup: YES_NO });
    expect(fake.sentMessages()).toEqual([{ chatId: "42", text: "Họp chi bộ 19:30", replyMarkup: YES_NO, messageId: 1, at: expect.any(Number) }]);
    expect(fake.callsTo("sendMessage")[0]).toMatchObject({ status: 200, chatId: "42", body: { chat_id: 42, text: "Họp chi bộ 19:30" } });
  });

  it("numbers messages per fake and treats negative chat ids as groups", async () => {
    const { telegram } = await fakeWithBot();
    const first = await telegram.sendMessage(42, "một");
    const group = await telegram.sendMessage(-4001, "hai");
    const supergroup = await telegram.sendMessage(-1001234567890, "ba");
    expect([first.message_id, group.message_id, supergroup.message_id]).toEqual([1, 2, 3]);
    expect([group.chat.type, supergroup.chat.type]).toEqual(["group", "supergroup"]);
  });

  it("refuses what Telegram refuses: empty text, text over 4096 characters, callback data over 64 bytes", async () => {
    const { fake, telegram } = await fakeWithBot();
    expect((await rejectionOf(telegram.sendMessage(42, " "))).message).toBe("400: Bad Request: message text is empty");
    expect((await rejectionOf(telegram.sendMessage(42, "x".repeat(4097)))).message).toBe("400: Bad Request: message is too long");
    const longData = { inline_keyboard: [[{ text: "Góp ý", callback_data: "ý".repeat(33) }]] };
    expect((await rejectionOf(telegram.sendMessage(42, "ok", { reply_markup: longData }))).message).toBe("400: Bad Request: BUTTON_DATA_INVALID");
    expect(fake.sentMessages()).toEqual([]);
  });

  it("answers 401 to a bot with another token", async () => {
    const { fake } = await fakeWithBot();
    const stranger = new Telegraf("999:WRONG", { telegram: { apiRoot: fake.apiRoot } });
    const error = await rejectionOf(stranger.telegram.getMe());
    expect(error).toBeInstanceOf(TelegramError);
    expect(error).toMatchObject({ code: 401, description: "Unauthorized" });
  });

  it("answers 404 to a method it does not know, and records the call", async () => {
    const { fake, telegram } = await fakeWithBot();
    const error = await rejectionOf(telegram.callApi("sendDice", { chat_id: 42 }));
    expect(error).toMatchObject({ code: 404, description: "Not Found: method not found" });
    expect(fake.callsTo("sendDice")).toMatchObject([{ status: 404 }]);
  });
});

describe("fake Telegram: injected faults", () => {
  it("turns an injected 429 into a TelegramError carrying retry_after, once", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.failNext("sendMessage", { status: 429, retryAfter: 7 });
    const error = await rejectionOf(telegram.sendMessage(42, "một"));
    expect(error).toBeInstanceOf(TelegramError);
    expect(error).toMatchObject({ code: 429, parameters: { retry_after: 7 }, description: "Too Many Requests: retry after 7" });
    await expect(telegram.sendMessage(42, "một")).resolves.toMatchObject({ text: "một" });
    expect(fake.callsTo("sendMessage").map((call) => [call.status, call.injected ?? false])).toEqual([[429, true], [200, false]]);
  });

  it("applies a failure queued for one chat only to that chat, as many times as asked", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.failNext("sendMessage", { status: 403 }, { chatId: 7, times: 2 });
    await expect(telegram.sendMessage(42, "a")).resolves.toBeDefined();
    expect(await rejectionOf(telegram.sendMessage(7, "b"))).toMatchObject({ code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await rejectionOf(telegram.sendMessage(7, "c"))).toMatchObject({ code: 403 });
    await expect(telegram.sendMessage(7, "d")).resolves.toBeDefined();
  });

  it("refuses every send to a blocked chat with 403 until it is unblocked", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.blockChat(42);
    fake.blockChat(-4001);
    expect(await rejectionOf(telegram.sendMessage(42, "a"))).toMatchObject({ code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(await rejectionOf(telegram.sendMessage(42, "b"))).toMatchObject({ code: 403 });
    expect(await rejectionOf(telegram.sendMessage(-4001, "c"))).toMatchObject({ code: 403, description: "Forbidden: bot was kicked from the group chat" });
    fake.unblockChat("42");
    await expect(telegram.sendMessage(42, "d")).resolves.toMatchObject({ text: "d" });
  });

  it("surfaces an injected 500 as a TelegramError with the HTTP status text", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.failNext("*", { status: 500 });
    expect(await rejectionOf(telegram.sendMessage(42, "a"))).toMatchObject({ code: 500, description: "Internal Server Error" });
  });

  it("drops the connection on an injected network error, so the call rejects without a response", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.failNext("sendMessage", { networkError: true });
    const error = await rejectionOf(telegram.sendMessage(42, "a"));
    expect(error).not.toBeInstanceOf(TelegramError);
    expect(error).toMatchObject({ name: "FetchError", code: "ECONNRESET" });
    expect(fake.callsTo("sendMessage")).toMatchObject([{ status: 0, injected: true }]);
    expect(fake.windowsOverLimit(0)).toBe(0);
    await expect(telegram.sendMessage(42, "b")).resolves.toBeDefined();
  });

  it("delays every answer by latencyMs", async () => {
    const { telegram } = await fakeWithBot({ latencyMs: 120 });
    const started = performance.now();
    await telegram.getMe();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("delivers a delayed call at once and answers late, like a reply lost in transit", async () => {
    const { fake, telegram } = await fakeWithBot();
    fake.failNext("sendMessage", { delayMs: 10_000 });
    const pending = telegram.sendMessage(42, "đã gửi");
    await fake.waitFor(() => fake.sentMessages().length === 1);
    await fake.close();
    await expect(pending).resolves.toMatchObject({ text: "đã gửi" });
  });
});

describe("fake Telegram: flood control", () => {
  it("answers 429 past perSecond within one second and counts the second as over the limit", async () => {
    let nowMs = 1_700_000_000_000;
    const { fake, telegram } = await fakeWithBot({ rateLimit: { perSecond: 3, retryAfterSeconds: 2 }, now: () => nowMs });
    const first = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => telegram.sendMessage(n, "tin")));
    expect(first.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    const refused = first.flatMap((result) => (result.status === "rejected" ? [result.reason as TelegramError] : []));
    expect(refused.map((error) => [error.code, error.parameters?.retry_after])).toEqual([[429, 2], [429, 2]]);

    nowMs += 1_000;
    await expect(telegram.sendMessage(6, "tin")).resolves.toBeDefined();
    expect(fake.windowsOverLimit(3)).toBe(1);
    expect(fake.windowsOverLimit(5)).toBe(0);
    expect(fake.windowsOverLimit(0)).toBe(2);
    expect(fake.stats().peakSendsPerSecond).toBe(5);
  });

  it("refuses the same sends at random for the same seed", async () => {
    const refusedIndexes = async (seed: number) => {
      const { telegram } = await fakeWithBot({ random429Rate: 0.3, random429RetryAfterSeconds: 4, seed });
      const refused: number[] = [];
      for (let index = 0; index < 40; index += 1) {
        const error = await telegram.sendMessage(42, `tin ${index}`).then(() => undefined, (reason: TelegramError) => reason);
        if (error) {
          expect(error.parameters?.retry_after).toBe(4);
          refused.push(index);
        }
      }
      return refused;
    };
    const first = await refusedIndexes(11);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(40);
    expect(await refusedIndexes(11)).toEqual(first);
    expect(await refusedIndexes(12)).not.toEqual(first);
  });
});
