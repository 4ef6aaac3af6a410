import crypto from "node:crypto";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloOaChannel } from "../../src/channels/zaloOa/index.ts";
import { ZALO_OA_IMAGE_UPLOAD_LIMIT_BYTES } from "../../src/channels/zaloOa/transport.ts";
import type { PhotoShelf } from "../../src/channels/types.ts";
import { DeliveryError } from "../../src/delivery/retryPolicy.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { startFakeZaloOa, type FakeZaloOa } from "../fakes/fakeZaloOa.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

/** A kept photo goes through the OA as an uploaded image, by its link when too large to upload, or as a note. */
const SMALL = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(2000)]);
const LARGE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(ZALO_OA_IMAGE_UPLOAD_LIMIT_BYTES)]);
const LINK = "https://chibo.example.vn/photos/abc.jpg?exp=1&sig=x";

let database: TestDatabase;
let fake: FakeZaloOa;
let shelf: Map<string, Buffer>;
let link: string | undefined;

beforeEach(async () => {
  database = await freshDatabase();
  fake = await startFakeZaloOa();
  shelf = new Map([["photo:small", SMALL], ["photo:large", LARGE]]);
  link = undefined;
});
afterEach(async () => {
  await fake.close();
  await database.cleanup();
});

async function channel() {
  const photos: PhotoShelf = { read: async (ref) => (shelf.has(ref) ? { bytes: shelf.get(ref)!, mimeType: "image/jpeg" } : null), link: () => link };
  const created = createZaloOaChannel({
    settings: { appId: fake.appId, secretKey: "oa-secret", appSecret: fake.appSecret, apiRoot: fake.root, oauthRoot: fake.root, initialAccessToken: fake.validAccessToken, initialRefreshToken: fake.validRefreshToken },
    db: database.prisma, store: createInboundStore({ db: database.prisma }), clock: fixedClock("2026-12-03T03:00:00Z"), logger: pino({ level: "silent" }), photos,
  });
  await created.start();
  return created;
}

function row(photoRef: string): OutboxMessage {
  const at = new Date("2026-12-03T03:00:00Z");
  return {
    id: 1, dedupeKey: "k", channel: "zalo_oa", chatId: "7001", isGroup: false, memberId: null, broadcastId: null, text: "Ảnh kèm GY-2026-000001",
    buttons: null, attachment: JSON.stringify({ fileName: "GY-2026-000001.jpg", mimeType: "image/jpeg", base64: "", photoRef }), replyToMessageId: null,
    status: "sending", attempts: 0, nextAttemptAt: at, lockedUntil: null, lockedBy: null, lastError: null, externalMessageId: null, sentAt: null, createdAt: at, forgetText: false,
  };
}

describe("a kept photo through Zalo OA", () => {
  it("is uploaded to Zalo and sent as an image message with its caption", async () => {
    const oa = await channel();
    await oa.transport.send(row("photo:small"));
    const [message] = fake.messages();
    expect(message).toMatchObject({ userId: "7001", text: "Ảnh kèm GY-2026-000001", image: { attachmentId: "oa-attachment-1" } });
    expect(message!.image?.bytes?.equals(SMALL)).toBe(true);
    await oa.stop();
  });

  it("uploads again with a fresh token when Zalo calls the token invalid", async () => {
    const oa = await channel();
    fake.expireAccessToken();
    await oa.transport.send(row("photo:small"));
    expect(fake.refreshes()).toEqual([expect.objectContaining({ accepted: true })]);
    expect(fake.messages()[0]?.image?.bytes?.equals(SMALL)).toBe(true);
    await oa.stop();
  });

  it("goes by its signed link when larger than the upload takes", async () => {
    link = LINK;
    const oa = await channel();
    await oa.transport.send(row("photo:large"));
    expect(fake.uploads()).toEqual([]);
    expect(fake.messages()[0]).toMatchObject({ text: "Ảnh kèm GY-2026-000001", image: { url: LINK } });
    await oa.stop();
  });

  it("is a note when too large to upload and chibo has no public URL", async () => {
    const oa = await channel();
    await oa.transport.send(row("photo:large"));
    const [message] = fake.messages();
    expect(message?.image).toBeUndefined();
    expect(message?.text).toBe("Ảnh kèm GY-2026-000001\n\nẢnh kèm không gửi được qua Zalo OA (ảnh lớn quá 1 MB và chibo chưa có địa chỉ công khai PUBLIC_URL). Đồng chí xem ảnh bằng /xem trên Telegram.");
    await oa.stop();
  });

  it("fails for good when chibo no longer keeps the photo", async () => {
    const oa = await channel();
    const error = await oa.transport.send(row("photo:gone")).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).failure).toMatchObject({ kind: "permanent" });
    await oa.stop();
  });
});
