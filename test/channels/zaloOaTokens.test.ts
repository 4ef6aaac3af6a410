import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refreshAccessToken, type RefreshedTokens } from "../../src/channels/zaloOa/api.ts";
import { createZaloOaChannel } from "../../src/channels/zaloOa/index.ts";
import { createZaloOaTokens, TOKENS_STATE_KEY } from "../../src/channels/zaloOa/tokens.ts";
import { parseConfig } from "../../src/config.ts";
import { secrets } from "../../src/redaction.ts";
import { startChibo } from "../../src/runtime.ts";
import { createSecretBox, SecretUnreadable } from "../../src/storage/secretBox.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { startFakeZaloOa, type FakeZaloOa } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

const logger = pino({ level: "silent" });
const HOUR_MS = 60 * 60_000;
let database: TestDatabase;
let fake: FakeZaloOa;
const clock = fixedClock("2026-03-07T01:00:00Z");

beforeEach(async () => {
  database = await freshDatabase();
  fake = await startFakeZaloOa({ refreshDelayMs: 50 });
  clock.set("2026-03-07T01:00:00Z");
});
afterEach(async () => {
  await fake.close();
  await database.cleanup();
});

const viaFake = (refreshToken: string) => refreshAccessToken({ oauthRoot: fake.root, appId: fake.appId, appSecret: fake.appSecret }, refreshToken);

function tokensFor(refresh: (refreshToken: string) => Promise<RefreshedTokens> = viaFake) {
  return createZaloOaTokens({ db: database.prisma, clock, logger, refresh, initialAccessToken: fake.validAccessToken, initialRefreshToken: fake.validRefreshToken });
}

async function storedPair() {
  const row = await database.prisma.channelState.findUniqueOrThrow({ where: { key: TOKENS_STATE_KEY } });
  return JSON.parse(row.value) as { accessToken: string; refreshToken: string; expiresAt: string };
}

/** Seeds, then refreshes once so the stored pair has a known expiry (25 h from now). */
async function seededAndFresh(tokens: ReturnType<typeof tokensFor>) {
  await tokens.seed();
  await tokens.accessToken();
}

describe("Zalo OA tokens", () => {
  it("seeds the configured pair on first start and refreshes it on first use", async () => {
    const tokens = tokensFor();
    await tokens.seed();
    expect(await storedPair()).toMatchObject({ accessToken: "access-0", refreshToken: "refresh-0" });
    expect(await tokens.accessToken()).toBe("access-1");
    expect(await storedPair()).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1", expiresAt: "2026-03-08T02:00:00.000Z" });
  });

  it("keeps a refreshed pair across restarts with the same configured tokens", async () => {
    const first = tokensFor();
    await seededAndFresh(first);
    const restarted = createZaloOaTokens({ db: database.prisma, clock, logger, refresh: viaFake, initialAccessToken: "access-0", initialRefreshToken: "refresh-0" });
    await restarted.seed();
    expect(await restarted.accessToken()).toBe("access-1");
    expect(fake.refreshes()).toHaveLength(1);
  });

  it("uses the stored token while more than an hour is left, and refreshes with less", async () => {
    const tokens = tokensFor();
    await seededAndFresh(tokens);
    clock.advance(24 * HOUR_MS - 1000);
    expect(await tokens.accessToken()).toBe("access-1");
    clock.advance(2000);
    expect(await tokens.accessToken()).toBe("access-2");
    expect(fake.refreshes().map((r) => r.accepted)).toEqual([true, true]);
  });

  it("makes one refresh for many callers at once, and all get the new token", async () => {
    const tokens = tokensFor();
    await tokens.seed();
    const got = await Promise.all(Array.from({ length: 10 }, () => tokens.accessToken()));
    expect(new Set(got)).toEqual(new Set(["access-1"]));
    expect(fake.refreshes()).toEqual([{ refreshToken: "refresh-0", accepted: true }]);
  });

  it("lets two processes sharing the database use one refresh token once", async () => {
    const a = tokensFor();
    await a.seed();
    const aDone = a.accessToken();
    // b read the same stored pair and tries the same refresh token once a has used it.
    const b = tokensFor(async (refreshToken) => {
      await aDone;
      return viaFake(refreshToken);
    });
    const got = await Promise.all([aDone, b.accessToken()]);
    expect(fake.refreshes()).toEqual([
      { refreshToken: "refresh-0", accepted: true },
      { refreshToken: "refresh-0", accepted: false },
    ]);
    // Zalo refused b's reused token; b took the pair a stored instead.
    expect(got).toEqual(["access-1", "access-1"]);
    expect(await storedPair()).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1" });
  });

  it("stores the new pair before handing out its token", async () => {
    let storedWhenRefreshed: unknown;
    const tokens = tokensFor(async (refreshToken) => {
      const fresh = await viaFake(refreshToken);
      storedWhenRefreshed = (await storedPair()).accessToken;
      return fresh;
    });
    await tokens.seed();
    const token = await tokens.accessToken();
    expect(storedWhenRefreshed).toBe("access-0");
    expect(token).toBe("access-1");
    expect((await storedPair()).accessToken).toBe(token);
  });

  it("leaves the stored pair as it was when a refresh fails", async () => {
    const tokens = tokensFor();
    await seededAndFresh(tokens);
    const before = await storedPair();
    const failing = createZaloOaTokens({ db: database.prisma, clock, logger, refresh: () => Promise.reject(new Error("Zalo is down")) });
    expect(await failing.afterRejection("access-1").catch((e: Error) => e.message)).toBe("Zalo is down");
    expect(await storedPair()).toEqual(before);
  });

  it("keeps using a token that has not expired when its early refresh fails", async () => {
    const tokens = tokensFor();
    await seededAndFresh(tokens);
    clock.advance(24.5 * HOUR_MS);
    const failing = createZaloOaTokens({ db: database.prisma, clock, logger, refresh: () => Promise.reject(new Error("Zalo is down")) });
    expect(await failing.accessToken()).toBe("access-1");
    clock.advance(HOUR_MS);
    await expect(failing.accessToken()).rejects.toThrow("Zalo is down");
  });

  it("refreshes after a rejection only if nobody replaced the rejected token", async () => {
    const tokens = tokensFor();
    await seededAndFresh(tokens);
    expect(await tokens.afterRejection("access-0")).toBe("access-1");
    expect(await tokens.afterRejection("access-1")).toBe("access-2");
    expect(fake.refreshes()).toHaveLength(2);
  });

  it("replaces the stored pair when new tokens are configured", async () => {
    const tokens = tokensFor();
    await seededAndFresh(tokens);
    const reauthorized = createZaloOaTokens({ db: database.prisma, clock, logger, refresh: viaFake, initialAccessToken: "access-new", initialRefreshToken: "refresh-new" });
    await reauthorized.seed();
    expect(await storedPair()).toMatchObject({ accessToken: "access-new", refreshToken: "refresh-new" });
  });
});

describe("a quiet Zalo OA", () => {
  it("refreshes its token before it expires with nothing sent, once per expiry, and stops with the channel", async () => {
    const channel = createZaloOaChannel({
      settings: { appId: fake.appId, secretKey: "k", appSecret: fake.appSecret, oauthRoot: fake.root, apiRoot: fake.root, initialAccessToken: fake.validAccessToken, initialRefreshToken: fake.validRefreshToken, tokenCheckMs: 20 },
      db: database.prisma,
      store: createInboundStore({ db: database.prisma }),
      clock,
      logger,
    });
    await channel.start();
    // The configured token's age is unknown: it is replaced at the first check.
    await waitUntil(async () => fake.refreshes().length === 1 && (await storedPair()).accessToken === "access-1");
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.refreshes()).toHaveLength(1); // 25 hours left: nothing to do
    clock.set("2026-03-08T01:30:00Z"); // half an hour before the new token expires
    await waitUntil(async () => (await storedPair()).accessToken === "access-2");
    expect(fake.refreshes()).toHaveLength(2);
    await channel.stop();
    clock.set("2026-03-10T00:00:00Z");
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.refreshes()).toHaveLength(2);
  });
});

const KEY = "4f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const OTHER_KEY = "0000000000000000000000000000000000000000000000000000000000000001";

describe("Zalo OA tokens at rest, with CHIBO_SECRET_KEY", () => {
  // The configured pair stays the first one across restarts, as in .env.
  const sealedTokens = (key?: string) =>
    createZaloOaTokens({ db: database.prisma, clock, logger, refresh: viaFake, initialAccessToken: "access-0", initialRefreshToken: "refresh-0", box: createSecretBox(key) });
  const storedValue = async () => (await database.prisma.channelState.findUniqueOrThrow({ where: { key: TOKENS_STATE_KEY } })).value;
  const refusal = (promise: Promise<unknown>) => promise.then(() => "opened", (error: unknown) => (error instanceof SecretUnreadable ? error.reason : String(error)));

  it("stores the pair sealed, never the tokens, and reads it back after a refresh and a restart", async () => {
    const tokens = sealedTokens(KEY);
    await tokens.seed();
    const seeded = await storedValue();
    expect(seeded).toMatch(/^enc:v1:/);
    expect(seeded).not.toContain("access-0");
    expect(seeded).not.toContain("refresh-0");
    expect(await tokens.accessToken()).toBe("access-1");
    const refreshed = await storedValue();
    expect(refreshed).toMatch(/^enc:v1:/);
    expect(refreshed).not.toContain("access-1");
    expect(refreshed).not.toContain("refresh-1");
    const restarted = sealedTokens(KEY);
    await restarted.seed();
    expect(await restarted.current()).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1" });
    expect(fake.refreshes()).toHaveLength(1);
  });

  it("reads a pair stored in plain text before the key was set, and seals it at start", async () => {
    await tokensFor().seed();
    await tokensFor().accessToken();
    expect(await storedPair()).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1" });
    const keyed = sealedTokens(KEY);
    await keyed.seed();
    expect(await storedValue()).toMatch(/^enc:v1:/);
    expect(await keyed.accessToken()).toBe("access-1");
    // Still the pair descended from the configured tokens: not seeded again, not refreshed again.
    expect(fake.refreshes()).toHaveLength(1);
  });

  it("refuses to start with another key, or with none, and leaves the stored pair as it was", async () => {
    await sealedTokens(KEY).seed();
    const before = await storedValue();
    expect(await refusal(sealedTokens(OTHER_KEY).seed())).toBe("wrongKey");
    expect(await refusal(sealedTokens().seed())).toBe("noKey");
    expect(await storedValue()).toBe(before);
  });

  it("stops chibo's start with the wrong key, and keeps the key itself out of every log line", async () => {
    const oa = await startFakeZaloOa({ accessToken: "oa-access-token-0", refreshToken: "oa-refresh-token-0" });
    const configWith = (key: string) => parseConfig({
      DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false", CHIBO_SECRET_KEY: key,
      ZALO_OA_APP_ID: oa.appId, ZALO_OA_SECRET_KEY: "oa-secret-key-for-tests", ZALO_OA_APP_SECRET: oa.appSecret,
      ZALO_OA_ACCESS_TOKEN: "oa-access-token-0", ZALO_OA_REFRESH_TOKEN: "oa-refresh-token-0", ZALO_OA_API_ROOT: oa.root, ZALO_OA_OAUTH_ROOT: oa.root,
    });
    try {
      const first = await startChibo({ config: configWith(KEY), logger });
      expect(secrets.redact(`key ${KEY}`)).toBe("key [redacted]");
      await first.stop();
      expect(await storedValue()).toMatch(/^enc:v1:/);
      expect(await refusal(startChibo({ config: configWith(OTHER_KEY), logger }))).toBe("wrongKey");
    } finally {
      await oa.close();
    }
  });
});
