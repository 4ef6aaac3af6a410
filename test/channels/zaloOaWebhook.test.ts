import crypto from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloOaChannel, DEFAULT_MAX_EVENT_AGE_MS, ZALO_OA_WEBHOOK_PATH } from "../../src/channels/zaloOa/index.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { createInboundProcessor } from "../../src/inbound/inboundProcessor.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { followEvent, signedEvent, userSendText } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const APP_ID = "4411223344";
const SECRET_KEY = "oa-secret-key-for-tests";
const NOW = Date.parse("2026-03-07T01:00:00Z");
const logger = pino({ level: "silent" });

let database: TestDatabase;
let server: Server;
let url: string;
let channel: ReturnType<typeof createZaloOaChannel>;

beforeEach(async () => {
  database = await freshDatabase();
  const store = createInboundStore({ db: database.prisma });
  channel = createZaloOaChannel({ settings: { appId: APP_ID, secretKey: SECRET_KEY, appSecret: "unused" }, db: database.prisma, store, clock: fixedClock(new Date(NOW)), logger });
  const app = createHttpApp({ isDatabaseReachable: async () => true, logger, mounts: [channel.mount] });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ZALO_OA_WEBHOOK_PATH}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await database.cleanup();
});

const signer = { appId: APP_ID, secretKey: SECRET_KEY };
const post = (rawBody: string, headers: Record<string, string>) => fetch(url, { method: "POST", headers, body: rawBody });
const stored = () => database.prisma.inboundUpdate.findMany({ orderBy: { id: "asc" } });

describe("the Zalo OA webhook", () => {
  it("stores a signed text event under its msg_id", async () => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-1" }), signer);
    const res = await post(rawBody, headers);
    expect(res.status).toBe(200);
    expect(await stored()).toMatchObject([{ channel: "zalo_oa", externalId: "m-1", payload: rawBody }]);
  });

  it("answers a redelivered msg_id with 200 and stores it once", async () => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-2" }), signer);
    expect((await post(rawBody, headers)).status).toBe(200);
    expect((await post(rawBody, headers)).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it("keys an event without a message by name, person and timestamp", async () => {
    const { rawBody, headers } = signedEvent(followEvent({ appId: APP_ID, followerId: "7002", timestampMs: NOW }), signer);
    expect((await post(rawBody, headers)).status).toBe(200);
    expect((await post(rawBody, headers)).status).toBe(200);
    expect((await stored()).map((row) => row.externalId)).toEqual([`follow:7002:${NOW}`]);
  });

  it.each([
    ["a wrong signature", (h: Record<string, string>) => ({ ...h, "x-zevent-signature": `mac=${"0".repeat(64)}` })],
    ["a missing signature", (h: Record<string, string>) => ({ "content-type": h["content-type"] ?? "" })],
    ["a signature of another secret", () => signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-3" }), { appId: APP_ID, secretKey: "not-ours" }).headers],
  ])("answers %s with 401 and stores nothing", async (_label, headersFor) => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-3" }), signer);
    expect((await post(rawBody, headersFor(headers))).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it("refuses a body changed after signing", async () => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW }), signer);
    expect((await post(rawBody.replace("có", "vắng"), headers)).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it("refuses another app's event even when signed with our secret", async () => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: "999", senderId: "7001", text: "có", timestampMs: NOW }), signer);
    expect((await post(rawBody, headers)).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it.each([
    ["older than Zalo's retries (75 minutes)", NOW - DEFAULT_MAX_EVENT_AGE_MS - 1],
    ["more than a minute ahead", NOW + 60_001],
  ])("refuses a validly signed event %s as a replay and stores nothing", async (_label, timestampMs) => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs }), signer);
    expect((await post(rawBody, headers)).status).toBe(409);
    expect(await stored()).toHaveLength(0);
  });

  it("accepts a timestamp sent as a number", async () => {
    const { rawBody, headers } = signedEvent({ ...userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-4" }), timestamp: NOW - 60_000 }, signer);
    expect((await post(rawBody, headers)).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it("verifies against an X-ZEvent-Timestamp header when the body has no timestamp", async () => {
    const { timestamp: _dropped, ...event } = userSendText({ appId: APP_ID, senderId: "7001", text: "có", timestampMs: NOW, msgId: "m-6" });
    const { rawBody } = signedEvent(event, signer);
    const mac = crypto.createHash("sha256").update(`${APP_ID}${rawBody}${NOW}${SECRET_KEY}`).digest("hex");
    expect((await post(rawBody, { "content-type": "application/json", "x-zevent-signature": mac, "x-zevent-timestamp": String(NOW) })).status).toBe(200);
    expect((await post(rawBody, { "content-type": "application/json", "x-zevent-signature": mac, "x-zevent-timestamp": String(NOW + 1) })).status).toBe(401);
    expect(await stored()).toHaveLength(1);
  });

  it("answers signed malformed JSON with 400 and stores nothing", async () => {
    const rawBody = `{"timestamp":"${NOW}", not json`;
    const mac = crypto.createHash("sha256").update(`${APP_ID}${rawBody}${NOW}${SECRET_KEY}`).digest("hex");
    const res = await post(rawBody, { "content-type": "application/json", "x-zevent-signature": `mac=${mac}` });
    expect(res.status).toBe(400);
    expect(await stored()).toHaveLength(0);
  });

  it("answers a body over 256 kB with 413 and stores nothing", async () => {
    const { rawBody, headers } = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "a".repeat(300 * 1024), timestampMs: NOW }), signer);
    expect((await post(rawBody, headers)).status).toBe(413);
    expect(await stored()).toHaveLength(0);
  });

  it("stores an event name it does not know and decodes it as ignored", async () => {
    const event = { app_id: APP_ID, event_name: "user_reacted_message", timestamp: String(NOW), sender: { id: "7001" }, message: { msg_id: "m-5", react_icon: "/-heart" } };
    const { rawBody, headers } = signedEvent(event, signer);
    expect((await post(rawBody, headers)).status).toBe(200);
    const [row] = await stored();
    expect(await channel.decoder.decode(row?.payload ?? "")).toMatchObject({ type: "ignored", updateId: "m-5" });
  });

  it("answers while the processor is stuck: the route only stores", async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const processor = createInboundProcessor({ db: database.prisma, decoders: { zalo_oa: channel.decoder }, handler: { handle: () => stuck }, clock: fixedClock(new Date(NOW)), logger, idlePollMs: 10 });
    processor.start();
    try {
      const first = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "một", timestampMs: NOW }), signer);
      expect((await post(first.rawBody, first.headers)).status).toBe(200);
      // The processor has taken the first event and is stuck handling it.
      await new Promise((r) => setTimeout(r, 100));
      const second = signedEvent(userSendText({ appId: APP_ID, senderId: "7001", text: "hai", timestampMs: NOW }), signer);
      const startedMs = Date.now();
      const res = await post(second.rawBody, second.headers);
      expect(res.status).toBe(200);
      expect(Date.now() - startedMs).toBeLessThan(1000);
      expect(await stored()).toHaveLength(2);
    } finally {
      release();
      await processor.stop();
    }
  });
});
