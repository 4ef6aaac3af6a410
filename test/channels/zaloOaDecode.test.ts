import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloOaChannel } from "../../src/channels/zaloOa/index.ts";
import { BUTTON_QUERY_PREFIX } from "../../src/channels/zaloOa/render.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { followEvent, userSendText } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const APP_ID = "4411223344";
const NOW = Date.parse("2026-03-07T01:00:00Z");
let database: TestDatabase;
let channel: ReturnType<typeof createZaloOaChannel>;

beforeEach(async () => {
  database = await freshDatabase();
  channel = createZaloOaChannel({ settings: { appId: APP_ID, secretKey: "k", appSecret: "s" }, db: database.prisma, store: createInboundStore({ db: database.prisma }), clock: fixedClock(new Date(NOW)), logger: pino({ level: "silent" }) });
});
afterEach(async () => {
  await database.cleanup();
});

const decode = (event: object) => channel.decoder.decode(JSON.stringify(event));
const text = (senderId: string, value: string, msgId?: string) => userSendText({ appId: APP_ID, senderId, text: value, timestampMs: NOW, ...(msgId ? { msgId } : {}) });

async function sentWithButtons(chatId: string, count: number, at: string) {
  const buttons = Array.from({ length: count }, (_, i) => [{ label: `Đ/c ${i + 1}`, payload: `dd:4:${i + 1}` }]);
  await database.prisma.outboxMessage.create({
    data: { dedupeKey: `${chatId}-${at}`, channel: "zalo_oa", chatId, text: "Điểm danh hộ ai?", buttons: JSON.stringify(buttons), status: "sent", nextAttemptAt: new Date(at), sentAt: new Date(at), createdAt: new Date(at) },
  });
}

describe("decoding Zalo OA events", () => {
  it("reads a text as a message in the person's private chat", async () => {
    expect(await decode(text("7001", "vang:om", "m-1"))).toEqual({
      type: "message",
      message: { channel: "zalo_oa", updateId: "m-1", sender: { id: "7001", displayName: "" }, chat: { id: "7001", kind: "private" }, messageId: "m-1", contentKind: "text", text: "vang:om" },
    });
  });

  it("reads a prefixed query as a pressed button", async () => {
    expect(await decode(text("7001", `${BUTTON_QUERY_PREFIX}att:12:p`))).toMatchObject({ type: "message", message: { contentKind: "button", buttonPayload: "att:12:p", chat: { id: "7001" } } });
  });

  it("reads a number as the choice it numbered in the last message with more than five choices", async () => {
    await sentWithButtons("7001", 7, "2026-03-07T00:50:00Z");
    expect(await decode(text("7001", " 6 "))).toMatchObject({ message: { contentKind: "button", buttonPayload: "dd:4:6" } });
    expect(await decode(text("7001", "8"))).toMatchObject({ message: { contentKind: "text", text: "8" } });
    // Another person's numbers pick nothing.
    expect(await decode(text("7002", "6"))).toMatchObject({ message: { contentKind: "text" } });
  });

  it("reads a number as text once a later message asked something without choices; a file after the list keeps them", async () => {
    await sentWithButtons("7001", 7, "2026-03-07T00:40:00Z");
    const sent = (text: string, at: string, attachment?: string) =>
      database.prisma.outboxMessage.create({ data: { dedupeKey: `7001-${at}`, channel: "zalo_oa", chatId: "7001", text, attachment: attachment ?? null, status: "sent", nextAttemptAt: new Date(at), sentAt: new Date(at), createdAt: new Date(at) } });
    await sent("Tệp Excel tổng hợp: gop-y.xlsx", "2026-03-07T00:41:00Z", JSON.stringify({ fileName: "gop-y.xlsx", mimeType: "application/octet-stream", base64: "UEsDBA==" }));
    expect(await decode(text("7001", "6"))).toMatchObject({ message: { contentKind: "button", buttonPayload: "dd:4:6" } });
    await sent("Đồng chí gõ số người dự:", "2026-03-07T00:42:00Z");
    expect(await decode(text("7001", "6"))).toMatchObject({ message: { contentKind: "text", text: "6" } });
  });

  it("reads a number as text when the last buttons were few enough to show as buttons", async () => {
    await sentWithButtons("7001", 7, "2026-03-07T00:40:00Z");
    await sentWithButtons("7001", 2, "2026-03-07T00:50:00Z");
    expect(await decode(text("7001", "2"))).toMatchObject({ message: { contentKind: "text", text: "2" } });
  });

  it("reads follow as unblocked and unfollow as blocked", async () => {
    expect(await decode(followEvent({ appId: APP_ID, followerId: "7003", timestampMs: NOW }))).toEqual({
      type: "membership",
      change: { channel: "zalo_oa", updateId: `follow:7003:${NOW}`, userId: "7003", chat: { id: "7003", kind: "private" }, status: "unblocked", introduce: true },
    });
    expect(await decode(followEvent({ appId: APP_ID, followerId: "7003", timestampMs: NOW, unfollow: true }))).toMatchObject({ type: "membership", change: { userId: "7003", status: "blocked" } });
  });

  it("reads an image as a photo with its address, and a sticker as a sticker", async () => {
    const base = { app_id: APP_ID, timestamp: String(NOW), sender: { id: "7001" }, recipient: { id: "oa" } };
    expect(await decode({ ...base, event_name: "user_send_image", message: { msg_id: "m-img", text: "biên bản", attachments: [{ type: "image", payload: { url: "https://photo.zalo/abc.jpg", thumbnail: "t" } }] } })).toMatchObject({
      message: { contentKind: "photo", photoRef: "https://photo.zalo/abc.jpg", text: "biên bản" },
    });
    expect(await decode({ ...base, event_name: "user_send_sticker", message: { msg_id: "m-st", attachments: [{ type: "sticker", payload: { id: "s1" } }] } })).toMatchObject({ message: { contentKind: "sticker" } });
  });

  it("ignores a chat-now click and the OA's own messages", async () => {
    const base = { app_id: APP_ID, timestamp: String(NOW), sender: { id: "7001" }, recipient: { id: "oa" } };
    expect(await decode({ ...base, event_name: "user_click_chatnow" })).toMatchObject({ type: "ignored", updateId: `user_click_chatnow:7001:${NOW}` });
    expect(await decode({ ...base, event_name: "oa_send_text", message: { msg_id: "m-oa", text: "Xin chào" } })).toMatchObject({ type: "ignored", updateId: "m-oa" });
  });
});
