import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloOaChannel } from "../../src/channels/zaloOa/index.ts";
import { BUTTON_QUERY_PREFIX, ZALO_OA_TEXT_LIMIT } from "../../src/channels/zaloOa/render.ts";
import { TOKENS_STATE_KEY } from "../../src/channels/zaloOa/tokens.ts";
import { OUTSIDE_WINDOW_DESCRIPTION } from "../../src/channels/zaloOa/transport.ts";
import type { Button } from "../../src/channels/types.ts";
import { DeliveryError } from "../../src/delivery/retryPolicy.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { startFakeZaloOa, type FakeZaloOa, type OaSentMessage } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const logger = pino({ level: "silent" });
let database: TestDatabase;
let fake: FakeZaloOa;
let channel: ReturnType<typeof createZaloOaChannel>;
let onMessage: (message: OaSentMessage) => Promise<void> = async () => {};
let nextId = 1;

beforeEach(async () => {
  database = await freshDatabase();
  fake = await startFakeZaloOa({ onMessage: (message) => onMessage(message) });
  channel = createZaloOaChannel({
    settings: { appId: fake.appId, secretKey: "oa-secret", appSecret: fake.appSecret, apiRoot: fake.root, oauthRoot: fake.root, initialAccessToken: fake.validAccessToken, initialRefreshToken: fake.validRefreshToken },
    db: database.prisma,
    store: createInboundStore({ db: database.prisma }),
    clock: fixedClock("2026-03-07T01:00:00Z"),
    logger,
  });
  await channel.start();
});
afterEach(async () => {
  onMessage = async () => {};
  await channel.stop();
  await fake.close();
  await database.cleanup();
});

function row(fields: Partial<OutboxMessage> = {}): OutboxMessage {
  const at = new Date("2026-03-07T01:00:00Z");
  return {
    id: nextId++, dedupeKey: `k-${nextId}`, channel: "zalo_oa", chatId: "7001", isGroup: false, memberId: null, broadcastId: null, text: "Xin chào",
    buttons: null, attachment: null, replyToMessageId: null, status: "sending", attempts: 0, nextAttemptAt: at, lockedUntil: null, lockedBy: null,
    lastError: null, externalMessageId: null, sentAt: null, createdAt: at, forgetText: false, ...fields,
  };
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return (error as DeliveryError).failure;
}

const buttons = (n: number): Button[][] => Array.from({ length: n }, (_, i) => [{ label: `Chọn ${i + 1}`, payload: `att:12:${i + 1}` }]);

describe("sending through Zalo OA", () => {
  it("sends text with buttons that come back as prefixed hidden queries", async () => {
    const sent = await channel.transport.send(row({ text: "Đồng chí có dự họp?", buttons: JSON.stringify([[{ label: "Có mặt", payload: "att:12:p" }, { label: "Vắng", payload: "att:12:a" }]]) }));
    const [message] = fake.messages();
    expect(sent.externalMessageId).toBe(message?.messageId);
    expect(message).toMatchObject({
      userId: "7001",
      text: "Đồng chí có dự họp?",
      buttons: [
        { title: "Có mặt", type: "oa.query.hide", payload: `${BUTTON_QUERY_PREFIX}att:12:p` },
        { title: "Vắng", type: "oa.query.hide", payload: `${BUTTON_QUERY_PREFIX}att:12:a` },
      ],
    });
  });

  it("numbers more than five choices: five buttons and the rest as lines", async () => {
    await channel.transport.send(row({ text: "Điểm danh hộ ai?", buttons: JSON.stringify(buttons(7)) }));
    const [message] = fake.messages();
    expect(message?.buttons.map((b) => b.title)).toEqual(["1. Chọn 1", "2. Chọn 2", "3. Chọn 3", "4. Chọn 4", "5. Chọn 5"]);
    expect(message?.text).toBe("Điểm danh hộ ai?\n\n6. Chọn 6\n7. Chọn 7");
  });

  it("cuts text to 2000 characters, keeping the numbered choices", async () => {
    await channel.transport.send(row({ text: "ả".repeat(3000), buttons: JSON.stringify(buttons(6)) }));
    const text = fake.messages()[0]?.text ?? "";
    expect([...text]).toHaveLength(ZALO_OA_TEXT_LIMIT);
    expect(text.endsWith("…\n\n6. Chọn 6")).toBe(true);
  });

  it("sends a row's file as a line saying where to get it", async () => {
    await channel.transport.send(row({ text: "Tổng hợp tuần", attachment: JSON.stringify({ fileName: "gopy-tuan-10.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base64: "UEs=" }) }));
    expect(fake.messages()[0]?.text).toMatch(/^Tổng hợp tuần\n\nTệp gopy-tuan-10\.xlsx không gửi được qua Zalo OA/);
  });

  it("stores a refreshed pair before the send that uses it", async () => {
    const storedAtSend: string[] = [];
    onMessage = async (message) => {
      const stored = await database.prisma.channelState.findUniqueOrThrow({ where: { key: TOKENS_STATE_KEY } });
      storedAtSend.push(`${message.accessToken}=${(JSON.parse(stored.value) as { accessToken: string }).accessToken}`);
    };
    await channel.transport.send(row());
    expect(storedAtSend).toEqual(["access-1=access-1"]);
  });

  it("refreshes an expired token and sends once more within the same send", async () => {
    await channel.transport.send(row());
    fake.expireAccessToken();
    await channel.transport.send(row({ text: "lần hai" }));
    expect(fake.messages().map((m) => [m.text, m.accessToken])).toEqual([["Xin chào", "access-1"], ["lần hai", "access-2"]]);
    expect(fake.refreshes().map((r) => r.accepted)).toEqual([true, true]);
  });

  it("keeps the row for later when the token cannot be refreshed", async () => {
    await channel.transport.send(row());
    fake.expireAccessToken();
    await database.prisma.channelState.update({ where: { key: TOKENS_STATE_KEY }, data: { value: JSON.stringify({ accessToken: "access-1", refreshToken: "refresh-used", expiresAt: "2026-03-08T02:00:00.000Z" }) } });
    expect(await failureOf(channel.transport.send(row()))).toMatchObject({ kind: "transient" });
  });

  it("reports a member outside the messaging window as outsideWindow", async () => {
    fake.markOutsideWindow("7009");
    const failure = await failureOf(channel.transport.send(row({ chatId: "7009" })));
    expect(failure.kind).toBe("outsideWindow");
    expect(failure.kind === "outsideWindow" && failure.description).toContain(OUTSIDE_WINDOW_DESCRIPTION);
  });

  it.each([
    ["-32, too many requests", { error: -32, message: "exceed rate limit" }, { kind: "rateLimited", retryAfterMs: 60_000 }],
    ["-211, the quota used up", { error: -211, message: "out of quota" }, { kind: "outsideWindow" }],
    ["-201, a bad parameter", { error: -201, message: "user_id is invalid!" }, { kind: "permanent" }],
    ["HTTP 502", { status: 502 }, { kind: "transient" }],
    ["HTTP 429", { status: 429 }, { kind: "rateLimited" }],
  ])("classifies %s", async (_label, answer, expected) => {
    await channel.transport.send(row());
    fake.failNextSend(answer);
    expect(await failureOf(channel.transport.send(row()))).toMatchObject(expected);
  });

  it("classifies an unreachable API as transient", async () => {
    await fake.close();
    expect(await failureOf(channel.transport.send(row()))).toMatchObject({ kind: "transient" });
  });
});
