import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createZaloOaChannel, ZALO_OA_WEBHOOK_PATH } from "../../src/channels/zaloOa/index.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { startFakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { freshDatabase } from "../helpers/db.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Deeply nested and over the 1 MB limit: costly to parse, and refused as too large if it were read. */
const HUGE_NESTED_BODY = "[".repeat(600_000) + "]".repeat(600_000);

describe("webhooks check who is calling before reading the body", () => {
  it.each([
    ["a missing secret", undefined],
    ["a wrong secret", "not-the-secret-at-all"],
  ])("Telegram answers %s with 401 for invalid JSON and for a body over the limit, storing nothing", async (_label, secret) => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const app = await startChiboWithTelegram(fake, { PUBLIC_URL: "https://chibo.example.vn", TELEGRAM_WEBHOOK_SECRET: "webhook-secret-for-tests-0001" });
    cleanups.push(() => app.stop());
    const post = (body: string) => fetch(`http://127.0.0.1:${app.chibo.port}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret }) },
      body,
    });
    expect((await post("{not json")).status).toBe(401);
    expect((await post(HUGE_NESTED_BODY)).status).toBe(401);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(0);
  });

  it("the Zalo OA webhook answers an unsigned or wrongly signed invalid body with 401, storing nothing", async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const logger = pino({ level: "silent" });
    const channel = createZaloOaChannel({
      settings: { appId: "4411223344", secretKey: "oa-secret-key-for-tests", appSecret: "unused" },
      db: database.prisma, store: createInboundStore({ db: database.prisma }), clock: fixedClock(new Date("2026-03-07T01:00:00Z")), logger,
    });
    const app = createHttpApp({ isDatabaseReachable: async () => true, logger, mounts: [channel.mount] });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ZALO_OA_WEBHOOK_PATH}`;
    const post = (body: string, headers: Record<string, string>) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    expect((await post("{not json", {})).status).toBe(401);
    expect((await post('{"timestamp":"1772845200000", not json', { "x-zevent-signature": `mac=${"0".repeat(64)}` })).status).toBe(401);
    expect((await post("[".repeat(200_000), { "x-zevent-signature": "mac=00" })).status).toBe(401);
    expect(await database.prisma.inboundUpdate.count()).toBe(0);
  });
});
