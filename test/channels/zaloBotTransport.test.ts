import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloBotApi } from "../../src/channels/zaloBot/api.ts";
import { createChoiceStore } from "../../src/channels/zaloBot/choiceStore.ts";
import { ZALO_BOT_LIMITS } from "../../src/channels/zaloBot/index.ts";
import { createZaloBotTransport } from "../../src/channels/zaloBot/transport.ts";
import type { Transport } from "../../src/delivery/outboxWorker.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outboxWorker.ts";
import { DeliveryError } from "../../src/delivery/retryPolicy.ts";
import type { OutboxMessage } from "../../src/generated/prisma/client.ts";
import { createTranslator } from "../../src/i18n.ts";
import { fixedClock, systemClock } from "../../src/services/clock.ts";
import { createServices } from "../../src/services/index.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

let fake: FakeZaloBot;
let database: TestDatabase;
let worker: OutboxWorker | undefined;
const logger = pino({ level: "silent" });
const translator = createTranslator({ defaultLanguage: "vi" });

beforeEach(async () => {
  choiceClock.set("2026-12-04T01:00:00Z");
  fake = await startFakeZaloBot();
  database = await freshDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await fake.close();
  await database.cleanup();
});

function transportFor(apiRoot = fake.apiRoot): Transport {
  const db = database.prisma;
  return createZaloBotTransport({ api: createZaloBotApi({ token: fake.token, apiRoot }), db, choices: createChoiceStore(db, choiceClock), translator, logger });
}

let nextRowId = 1;
function row(fields: Partial<OutboxMessage> & { chatId: string; text: string }): OutboxMessage {
  const id = nextRowId++;
  return {
    id, dedupeKey: `k${id}`, channel: "zalo_bot", isGroup: false, memberId: null, broadcastId: null, buttons: null, attachment: null, replyToMessageId: null,
    status: "sending", attempts: 0, nextAttemptAt: new Date(), lockedUntil: null, lockedBy: null, lastError: null, externalMessageId: null, sentAt: null, createdAt: new Date(), forgetText: false,
    ...fields,
  };
}
const ATTENDANCE_BUTTONS = JSON.stringify([[{ label: "Có mặt", payload: "att:3:p" }, { label: "Vắng", payload: "att:3:a" }]]);
const choiceClock = fixedClock("2026-12-04T01:00:00Z");
/** The choices the chat can answer now, as the decoder reads them; undefined when none are stored. */
async function choicesIn(chatId: string) {
  const row = await database.prisma.channelState.findUnique({ where: { key: `zalo_bot:choices:${chatId}` } });
  return row ? createChoiceStore(database.prisma, choiceClock).shownIn(chatId) : undefined;
}

async function failureOf(send: Promise<unknown>) {
  const error = await send.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return (error as DeliveryError).failure;
}

describe("the Zalo Bot transport", () => {
  it("sends buttons as a numbered list and remembers them for the chat, until a message without buttons", async () => {
    const transport = transportFor();
    const sent = await transport.send(row({ chatId: "u-7", text: "Đồng chí có dự buổi sinh hoạt không?", buttons: ATTENDANCE_BUTTONS }));
    expect(fake.sentMessages()).toMatchObject([{ chatId: "u-7", text: "Đồng chí có dự buổi sinh hoạt không?\n\n1. Có mặt\n2. Vắng\nTrả lời bằng số (1, 2…)." }]);
    expect(sent.externalMessageId).toBe(fake.sentMessages()[0]!.messageId);
    expect(await choicesIn("u-7")).toEqual([{ label: "Có mặt", payload: "att:3:p" }, { label: "Vắng", payload: "att:3:a" }]);

    await transport.send(row({ chatId: "u-7", text: "Chọn một", buttons: JSON.stringify([[{ label: "Đã nhận", payload: "ack:9" }]]) }));
    expect(await choicesIn("u-7")).toEqual([{ label: "Đã nhận", payload: "ack:9" }]);
    await transport.send(row({ chatId: "u-7", text: "Đã ghi." }));
    expect(await choicesIn("u-7")).toBeUndefined();
  });

  it("in a group keeps the choices until new ones come or a day passes: each member's answer is noted without ending the others'", async () => {
    const transport = transportFor();
    await transport.send(row({ chatId: "grp-1", isGroup: true, text: "Nhắc lịch sinh hoạt", buttons: ATTENDANCE_BUTTONS }));
    await transport.send(row({ chatId: "grp-1", isGroup: true, text: "Đã ghi: đồng chí Đỗ Thị Tám có mặt." }));
    expect(await choicesIn("grp-1")).toEqual([{ label: "Có mặt", payload: "att:3:p" }, { label: "Vắng", payload: "att:3:a" }]);
    await transport.send(row({ chatId: "grp-1", isGroup: true, text: "Thông báo", buttons: JSON.stringify([[{ label: "Đã nhận", payload: "ack:9" }]]) }));
    expect(await choicesIn("grp-1")).toEqual([{ label: "Đã nhận", payload: "ack:9" }]);
    // A day later they lapse: a number in the group's talk is talk again.
    choiceClock.set("2026-12-05T00:59:00Z");
    expect(await choicesIn("grp-1")).toHaveLength(1);
    choiceClock.set("2026-12-05T01:00:00Z");
    expect(await choicesIn("grp-1")).toEqual([]);
    // Private choices have no lifetime: the next message decides.
    await transport.send(row({ chatId: "u-14", text: "Chọn", buttons: ATTENDANCE_BUTTONS }));
    choiceClock.set("2026-12-20T00:00:00Z");
    expect(await choicesIn("u-14")).toHaveLength(2);
  });

  it("words the hint in the member's language", async () => {
    const { organizations } = createServices({ db: database.prisma, inviteTtlDays: 14 });
    await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
    const cell = await organizations.add({ level: "cell", name: "Chi bộ Cơ quan", code: "cq", parentCode: "hai-phong", cellKind: "agency" });
    const member = await database.prisma.member.create({ data: { fullName: "Mai Anh", searchName: "mai anh", status: "full", cellId: cell.id, language: "en" } });
    await transportFor().send(row({ chatId: "u-8", text: "Will you attend?", memberId: member.id, buttons: ATTENDANCE_BUTTONS }));
    expect(fake.sentMessages()[0]!.text.endsWith("\nReply with the number (1, 2…).")).toBe(true);
  });

  it("sends a row with a file as its text and a line saying where to get the file", async () => {
    const attachment = JSON.stringify({ fileName: "tong-hop-tuan-49.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base64: "UEsDBA==" });
    await transportFor().send(row({ chatId: "u-9", text: "Tổng hợp phản ánh tuần 49", attachment }));
    expect(fake.sentMessages()[0]!.text).toBe("Tổng hợp phản ánh tuần 49\n\nZalo chưa cho gửi tệp nên chibo không gửi kèm được «tong-hop-tuan-49.xlsx». Đồng chí mở chibo trên Telegram để nhận tệp.");
  });

  it("keeps the choices of a digest when its file follows without buttons; the next plain message clears them", async () => {
    const transport = transportFor();
    const items = [[{ label: "GY-2026-000004", payload: "rv:o:4" }], [{ label: "Tuần trước", payload: "th:lastweek:2" }]];
    await transport.send(row({ chatId: "u-13", text: "Tổng hợp phản ánh", buttons: JSON.stringify(items) }));
    const attachment = JSON.stringify({ fileName: "gop-y.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", base64: "UEsDBA==" });
    await transport.send(row({ chatId: "u-13", text: "Tệp Excel tổng hợp: gop-y.xlsx", attachment }));
    expect(await choicesIn("u-13")).toEqual(items.flat());
    await transport.send(row({ chatId: "u-13", text: "Đồng chí gõ nội dung trả lời:" }));
    expect(await choicesIn("u-13")).toBeUndefined();
  });

  it("says what each refusal means for the outbox", async () => {
    const transport = transportFor();
    const send = () => transport.send(row({ chatId: "u-10", text: "Thông báo" }));
    fake.failNextSends({ status: 429, retryAfterSeconds: 3 });
    expect(await failureOf(send())).toEqual({ kind: "rateLimited", retryAfterMs: 3000 });
    fake.failNextSends({ status: 429 });
    expect(await failureOf(send())).toEqual({ kind: "rateLimited", retryAfterMs: 1000 });
    fake.failNextSends({ status: 403, description: "Forbidden" });
    expect(await failureOf(send())).toEqual({ kind: "blocked", description: "403: Forbidden" });
    for (const status of [500, 502, 503]) {
      fake.failNextSends({ status });
      expect((await failureOf(send())).kind).toBe("transient");
    }
    for (const status of [400, 401, 404]) {
      fake.failNextSends({ status });
      expect((await failureOf(send())).kind).toBe("permanent");
    }
    expect(fake.sentMessages()).toHaveLength(0);
    await send();
    expect(fake.sentMessages()).toHaveLength(1);
  });

  it("calls a failed connection transient, and keeps the token out of the error", async () => {
    const closed = await startFakeZaloBot();
    await closed.close();
    const failure = await failureOf(transportFor(closed.apiRoot).send(row({ chatId: "u-11", text: "Thông báo" })));
    expect(failure.kind).toBe("transient");
    expect(JSON.stringify(failure)).not.toContain(fake.token.split(":")[1]);
  });

  it("is retried by the outbox after a 500 and sends once", async () => {
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([{ dedupeKey: "n1", channel: "zalo_bot", chatId: "u-12", message: { text: "Thông báo n1" } }]);
    fake.failNextSends({ status: 500 }, 2);
    worker = createOutboxWorker({
      db: database.prisma, clock: systemClock, logger, transports: { zalo_bot: transportFor() }, limits: { zalo_bot: ZALO_BOT_LIMITS },
      retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, jitter: 0 }, idlePollMs: 20,
    });
    worker.start();
    await waitUntil(async () => (await database.prisma.outboxMessage.findFirstOrThrow()).status === "sent");
    expect(fake.callsTo("sendMessage")).toHaveLength(3);
    expect(fake.sentMessages()).toMatchObject([{ chatId: "u-12", text: "Thông báo n1" }]);
  });
});
