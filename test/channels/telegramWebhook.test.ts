import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { privateTextUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { waitUntil } from "../helpers/wait.ts";

const SECRET = "webhook-secret-for-tests-0001";
let fake: FakeTelegram;
let app: Awaited<ReturnType<typeof startChiboWithTelegram>>;

beforeEach(async () => {
  fake = await startFakeTelegram();
  app = await startChiboWithTelegram(fake, { PUBLIC_URL: "https://chibo.example.vn", TELEGRAM_WEBHOOK_SECRET: SECRET });
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

function post(body: unknown, secret?: string) {
  return fetch(`http://127.0.0.1:${app.chibo.port}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("Telegram by webhook", () => {
  it("sets the webhook with the secret and only the updates chibo reads", async () => {
    const [call] = fake.callsTo("setWebhook");
    expect(call?.body).toMatchObject({
      url: "https://chibo.example.vn/telegram/webhook",
      secret_token: SECRET,
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });
    expect(fake.callsTo("getUpdates")).toHaveLength(0);
  });

  it.each([["a missing secret", undefined], ["a wrong secret", "not-the-secret-at-all"]])("answers %s with 401 and stores nothing", async (_label, secret) => {
    const res = await post(privateTextUpdate({ fromId: 7, text: "có" }), secret);
    expect(res.status).toBe(401);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(0);
  });

  it("stores a redelivered update once and answers it once", async () => {
    const update = privateTextUpdate({ fromId: 8, text: "xin chào" });
    expect((await post(update, SECRET)).status).toBe(200);
    expect((await post(update, SECRET)).status).toBe(200);
    await waitUntil(() => fake.sentMessages().length >= 1);
    await waitUntil(async () => (await app.chibo.db.inboundUpdate.findFirstOrThrow()).status === "done");
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.chibo.db.inboundUpdate.count()).toBe(1);
    expect(fake.sentMessages().filter((m) => m.chatId === "8")).toHaveLength(1);
  });

  it("answers malformed JSON and non-updates with 400 and stores nothing", async () => {
    expect((await post("{not json", SECRET)).status).toBe(400);
    expect((await post({ hello: "world" }, SECRET)).status).toBe(400);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(0);
  });

  it("stores the update, handles it from storage, then blanks what the person wrote", async () => {
    const update = privateTextUpdate({ fromId: 9, text: "có" });
    const res = await post(update, SECRET);
    expect(res.status).toBe(200);
    await waitUntil(async () => (await app.chibo.db.inboundUpdate.findFirstOrThrow()).status === "done");
    const row = await app.chibo.db.inboundUpdate.findFirstOrThrow();
    // The id stays, so a redelivery is still recognised; the text and sender are gone.
    expect(row).toMatchObject({ channel: "telegram", externalId: String(update.update_id), payload: "" });
    expect((await post(update, SECRET)).status).toBe(200);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(1);
  });
});
