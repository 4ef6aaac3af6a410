import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZALO_BOT_WEBHOOK_PATH } from "../../src/channels/zaloBot/index.ts";
import type { InboundEvent } from "../../src/channels/types.ts";
import { otherEvent, privateText, startFakeZaloBot, unsupported, wrapped, type FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { waitUntil } from "../helpers/wait.ts";
import { startChiboOnZaloBot, WEBHOOK_SECRET, type ZaloBotChibo } from "../helpers/zaloBot.ts";

let fake: FakeZaloBot;
let app: ZaloBotChibo;
let handled: InboundEvent[];

beforeEach(async () => {
  fake = await startFakeZaloBot();
  handled = [];
  app = await startChiboOnZaloBot(fake, { publicUrl: "https://chibo.example.vn", handler: { handle: async (event) => void handled.push(event) } });
});
afterEach(async () => {
  await app.stop();
  await fake.close();
});

/** `null` sends no secret header at all. */
function post(body: unknown, secret: string | null = WEBHOOK_SECRET) {
  return fetch(`${app.baseUrl}${ZALO_BOT_WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-bot-api-secret-token": secret }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const stored = () => app.database.prisma.inboundUpdate.findMany({ orderBy: { id: "asc" } });

describe("Zalo Bot by webhook", () => {
  it("sets the webhook at the public URL with the secret, and does not poll", async () => {
    expect(fake.callsTo("setWebhook").map((c) => c.body)).toEqual([{ url: "https://chibo.example.vn/zalo/bot/webhook", secret_token: WEBHOOK_SECRET }]);
    expect(fake.callsTo("getUpdates")).toHaveLength(0);
    expect(app.username).toBe("chibo_test_bot");
  });

  it("stores an event delivered twice once, and hands it to the core once", async () => {
    const event = privateText({ fromId: "u-101", text: "xin chào", displayName: "Trần Thị Bình" });
    expect((await post(event)).status).toBe(200);
    expect((await post(event)).status).toBe(200);
    await waitUntil(() => handled.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "zalo_bot", externalId: `message.text.received:${event.message.message_id}` });
    expect(handled).toEqual([{
      type: "message",
      message: {
        channel: "zalo_bot", updateId: rows[0]!.externalId, messageId: event.message.message_id,
        sender: { id: "u-101", displayName: "Trần Thị Bình" }, chat: { id: "u-101", kind: "private" }, contentKind: "text", text: "xin chào",
      },
    }]);
  });

  it("accepts the event wrapped as { ok, result } like the documentation shows, as the same event", async () => {
    const event = privateText({ fromId: "u-102", text: "/lich" });
    expect((await post(wrapped(event))).status).toBe(200);
    expect((await post(event)).status).toBe(200);
    await waitUntil(() => handled.length === 1);
    expect(await stored()).toHaveLength(1);
    expect(handled[0]).toMatchObject({ type: "message", message: { contentKind: "text", text: "/lich" } });
  });

  it.each([["a missing secret", null], ["a wrong secret", "not-the-secret-at-all"], ["a secret of another length", "x"]])("answers %s with 401 and stores nothing", async (_label, secret) => {
    const res = await post(privateText({ fromId: "u-103", text: "có" }), secret);
    expect(res.status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it("answers malformed JSON and bodies that are no event with 400, and stores nothing", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ hello: "world" })).status).toBe(400);
    expect((await post({ event_name: 7, message: { message_id: "m1" } })).status).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it("answers a body over 1 MB with 413 and stores nothing", async () => {
    const event = privateText({ fromId: "u-104", text: "a".repeat(1024 * 1024 + 10) });
    expect((await post(event)).status).toBe(413);
    expect(await stored()).toHaveLength(0);
  });

  it("stores an event of a kind chibo does not read, and the core is told it is ignored", async () => {
    const event = otherEvent({ fromId: "u-105", eventName: "message.reaction.received" });
    expect((await post(event)).status).toBe(200);
    await waitUntil(() => handled.length === 1);
    expect(handled[0]).toEqual({ type: "ignored", updateId: `message.reaction.received:${event.message.message_id}`, reason: "unsupported event message.reaction.received" });
    await waitUntil(async () => (await stored())[0]?.status === "done");
  });

  it("acknowledges an event that comes without a message and keeps nothing", async () => {
    expect((await post({ event_name: "message.unsupported.received" })).status).toBe(200);
    expect(await stored()).toHaveLength(0);
    expect((await post(unsupported({ fromId: "u-106" }))).status).toBe(200);
    await waitUntil(() => handled.length === 1);
    expect(handled[0]).toMatchObject({ type: "message", message: { contentKind: "other" } });
  });
});
