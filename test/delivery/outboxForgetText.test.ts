import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker, type Transport } from "../../src/delivery/outboxWorker.ts";
import { DeliveryError, type DeliveryFailure } from "../../src/delivery/retryPolicy.ts";
import { runningClock } from "../helpers/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";
import { waitUntil } from "../helpers/wait.ts";

/** 10:00 in Vietnam, running: pushes to members are not held by the quiet hours, whenever the suite runs. */
const daytime = runningClock("2026-12-03T03:00:00Z");

const logger = pino({ level: "silent" });
const LIMITS = { global: { count: 1000, windowMs: 1000 }, perChat: { count: 100, windowMs: 1000 }, perGroup: { count: 100, windowMs: 1000 } };
const RETRY = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, jitter: 0 };
const WORDS = "Trưởng thôn thu tiền sai quy định.";

/** A platform that records what it was given, and fails for the chats told to. */
function platform(fail: Record<string, DeliveryFailure> = {}, options: { keepsText?: boolean } = {}) {
  const sent: string[] = [];
  let next = 1;
  const transport: Transport = {
    ...(options.keepsText ? { keepsText: true } : {}),
    async send(row) {
      const failure = fail[row.chatId];
      if (failure) throw new DeliveryError(failure);
      sent.push(row.text);
      return { externalMessageId: String(next++) };
    },
  };
  return { transport, sent };
}

let database: TestDatabase;
let worker: OutboxWorker | undefined;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await database.cleanup();
});

function start(transports: Record<string, Transport>) {
  worker = createOutboxWorker({
    db: database.prisma, transports, clock: daytime, logger, retry: RETRY, idlePollMs: 10,
    limits: Object.fromEntries(Object.keys(transports).map((channel) => [channel, LIMITS])),
  });
  worker.start();
}

const queue = (messages: QueuedMessage[]) => createOutbox({ db: database.prisma, clock: daytime }).enqueue(messages);
const quoting = (key: string, chatId: string, channel = "telegram", memberId?: number): QueuedMessage =>
  ({ dedupeKey: key, channel, chatId, ...(memberId ? { memberId } : {}), message: { text: `Nội dung: ${WORDS}`, buttons: [[{ label: "Gửi", payload: "gy:send" }]], forgetText: true } });
const final = () => database.prisma.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } }).then((n) => n === 0);
const row = (dedupeKey: string) => database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey } });

describe("an outgoing message asked to forget its text", () => {
  it("is sent with its text, which is then emptied; its buttons and other messages stay as they were", async () => {
    const telegram = platform();
    await queue([quoting("preview", "1"), { dedupeKey: "plain", channel: "telegram", chatId: "1", message: { text: "Đồng chí gửi tới đâu?" } }]);
    start({ telegram: telegram.transport });
    await waitUntil(final);
    expect([...telegram.sent].sort()).toEqual(["Nội dung: " + WORDS, "Đồng chí gửi tới đâu?"].sort());
    expect(await row("preview")).toMatchObject({ status: "sent", text: "", forgetText: true, buttons: JSON.stringify([[{ label: "Gửi", payload: "gy:send" }]]) });
    expect(await row("plain")).toMatchObject({ status: "sent", text: "Đồng chí gửi tới đâu?", forgetText: false });
  });

  it("loses its file too: a member's export is not kept in the outbox once sent", async () => {
    const telegram = platform();
    const file = { fileName: "du-lieu.txt", mimeType: "text/plain", base64: Buffer.from(`Họ tên: Nguyễn Văn A\n${WORDS}`).toString("base64") };
    await queue([{ dedupeKey: "export", channel: "telegram", chatId: "1", message: { text: "Bản sao dữ liệu", attachment: file, forgetText: true } }]);
    start({ telegram: telegram.transport });
    await waitUntil(final);
    expect(telegram.sent).toEqual(["Bản sao dữ liệu"]);
    expect(await row("export")).toMatchObject({ status: "sent", text: "", attachment: null });
  });

  it("loses its text when given up: failed for good, or the chat blocked the bot", async () => {
    const telegram = platform({
      "2": { kind: "permanent", description: "400: chat not found" },
      "3": { kind: "blocked", description: "403: bot was blocked by the user" },
      "4": { kind: "transient", description: "502: Bad Gateway" },
    });
    await queue([quoting("failed", "2"), quoting("blocked", "3"), quoting("gave-up", "4")]);
    start({ telegram: telegram.transport });
    await waitUntil(final);
    expect(telegram.sent).toEqual([]);
    expect(await row("failed")).toMatchObject({ status: "failed", text: "" });
    expect(await row("blocked")).toMatchObject({ status: "unreachable", text: "" });
    expect(await row("gave-up")).toMatchObject({ status: "failed", text: "" });
  });

  it("goes by another channel still asking to forget, when its own cannot take it", async () => {
    const { organizations } = buildServices(database.prisma);
    await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
    await organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
    const cell = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village" });
    const member = await database.prisma.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } });
    for (const channel of ["zalo_oa", "telegram"]) {
      await database.prisma.chatIdentity.create({ data: { memberId: member.id, channel, externalUserId: `${channel}-7`, chatId: `${channel}-7`, reachable: true } });
    }
    const oa = platform({ "zalo_oa-7": { kind: "outsideWindow", description: "outside the 48-hour window" } });
    const telegram = platform();
    await queue([quoting("answer", "zalo_oa-7", "zalo_oa", member.id)]);
    start({ zalo_oa: oa.transport, telegram: telegram.transport });
    await waitUntil(async () => telegram.sent.length === 1 && (await final()));
    expect(telegram.sent).toEqual([`Nội dung: ${WORDS}`]);
    expect(await row("answer")).toMatchObject({ status: "unreachable", text: "" });
    expect(await row("answer:via:telegram")).toMatchObject({ status: "sent", text: "", forgetText: true });
  });

  it("keeps its text on a channel that reads sent messages back", async () => {
    const web = platform({}, { keepsText: true });
    await queue([quoting("web-preview", "web-1", "web")]);
    start({ web: web.transport });
    await waitUntil(final);
    expect(await row("web-preview")).toMatchObject({ status: "sent", text: `Nội dung: ${WORDS}` });
  });
});
