import ExcelJS from "exceljs";
import { pino } from "pino";
import { Telegraf } from "telegraf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TELEGRAM_CAPTION_LIMIT } from "../../src/channels/telegram/render.ts";
import { createTelegramTransport } from "../../src/channels/telegram/transport.ts";
import type { Attachment } from "../../src/channels/types.ts";
import { createOutbox, type QueuedMessage } from "../../src/delivery/outbox.ts";
import { createOutboxWorker, type OutboxWorker } from "../../src/delivery/outboxWorker.ts";
import { systemClock } from "../../src/services/clock.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

let fake: FakeTelegram;
let database: TestDatabase;
let worker: OutboxWorker | undefined;

beforeEach(async () => {
  fake = await startFakeTelegram();
  database = await freshDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await fake.close();
  await database.cleanup();
});

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const LIMITS = { global: { count: 200, windowMs: 1000 }, perChat: { count: 1, windowMs: 1000 }, perGroup: { count: 20, windowMs: 60_000 } };

function startWorker() {
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  worker = createOutboxWorker({
    db: database.prisma, clock: systemClock, logger: pino({ level: "silent" }),
    transports: { telegram: createTelegramTransport(bot.telegram) },
    limits: { telegram: LIMITS },
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    idlePollMs: 20,
  });
  worker.start();
}

/** A real workbook with Vietnamese text and enough rows to span many multipart chunks. */
async function digestXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Tổng hợp");
  sheet.addRow(["Số", "Chi bộ", "Nội dung"]);
  for (let i = 1; i <= 400; i += 1) sheet.addRow([`GY-2026-${String(i).padStart(6, "0")}`, "Chi bộ thôn Đông", `Đề nghị sửa đường liên thôn, đoạn ${i}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const attachment = (bytes: Buffer, fileName = "gop-y-ha-ky-2026-09-21.xlsx"): Attachment => ({ fileName, mimeType: XLSX, base64: bytes.toString("base64") });
const queued = (key: string, chatId: string, text: string, file: Attachment, extra: Partial<QueuedMessage["message"]> = {}): QueuedMessage =>
  ({ dedupeKey: key, channel: "telegram", chatId, message: { text, attachment: file, ...extra } });

async function statusOf(key: string) {
  return (await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: key } })).status;
}

describe("files through the outbox to Telegram", () => {
  it("uploads an .xlsx whose bytes arrive intact under its file name, with the text as caption", async () => {
    const bytes = await digestXlsx();
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([queued("digest:1", "77", "Tổng hợp góp ý tuần này", attachment(bytes))]);
    startWorker();
    await waitUntil(async () => (await statusOf("digest:1")) === "sent");
    const [document] = fake.sentDocuments();
    expect(document).toMatchObject({ chatId: "77", fileName: "gop-y-ha-ky-2026-09-21.xlsx", caption: "Tổng hợp góp ý tuần này" });
    expect(document!.bytes.equals(bytes)).toBe(true);
    const readBack = new ExcelJS.Workbook();
    await readBack.xlsx.load(document!.bytes as unknown as ExcelJS.Buffer);
    expect(readBack.getWorksheet("Tổng hợp")?.getRow(401).getCell(3).value).toBe("Đề nghị sửa đường liên thôn, đoạn 400");
    expect(fake.callsTo("sendMessage")).toHaveLength(0);
    const row = await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "digest:1" } });
    expect(row.externalMessageId).toBe(String(document!.messageId));
  });

  it("keeps buttons and the message replied to, which telegraf's multipart would otherwise drop", async () => {
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([
      queued("digest:2", "78", "Bảng tổng hợp", attachment(Buffer.from("a,b\n1,2\n"), "bang.csv"), { buttons: [[{ label: "Đã nhận", payload: "ack:2" }]], replyToMessageId: "15" }),
    ]);
    startWorker();
    await waitUntil(async () => (await statusOf("digest:2")) === "sent");
    expect(fake.sentDocuments()[0]?.replyMarkup).toEqual({ inline_keyboard: [[{ text: "Đã nhận", callback_data: "ack:2" }]] });
    expect(fake.callsTo("sendDocument")[0]?.body.reply_parameters).toEqual({ message_id: 15, allow_sending_without_reply: true });
  });

  it("cuts a text longer than a caption to 1024 characters with an ellipsis, in one call", async () => {
    const text = `Tổng hợp tuần 🗂️ ${"góp ý ".repeat(300)}`;
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([queued("digest:3", "79", text, attachment(Buffer.from([1, 2, 3])))]);
    startWorker();
    await waitUntil(async () => (await statusOf("digest:3")) === "sent");
    const caption = fake.sentDocuments()[0]!.caption!;
    expect(caption.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    expect(caption.endsWith("…")).toBe(true);
    expect(text.startsWith(caption.slice(0, -1))).toBe(true);
    expect(fake.callsTo("sendDocument")).toHaveLength(1);
    expect(fake.callsTo("sendMessage")).toHaveLength(0);
  });

  it("sends a name with quotes or line breaks safely and keeps Vietnamese letters", async () => {
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([
      queued("digest:4", "80", "Tệp", attachment(Buffer.from("x"), 'Tổng hợp "tuần 39"\r\n.xlsx')),
    ]);
    startWorker();
    await waitUntil(async () => (await statusOf("digest:4")) === "sent");
    expect(fake.sentDocuments()[0]?.fileName).toBe("Tổng hợp _tuần 39___.xlsx");
  });

  it("classifies failures as for text: waits out a 429, retries a 500, marks a blocked chat unreachable, gives up on a 400", async () => {
    const file = attachment(Buffer.from("data"));
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([
      queued("f:429", "81", "a", file), queued("f:500", "82", "b", file), queued("f:403", "83", "c", file), queued("f:400", "84", "d", file),
    ]);
    fake.failNext("sendDocument", { status: 429, retryAfter: 1 }, { chatId: 81 });
    fake.failNext("sendDocument", { status: 500 }, { chatId: 82 });
    fake.blockChat(83);
    fake.failNext("sendDocument", { status: 400, description: "Bad Request: file must be non-empty" }, { chatId: 84 });
    startWorker();
    await waitUntil(async () => (await database.prisma.outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })) === 0, 15_000);
    expect(await statusOf("f:429")).toBe("sent");
    expect(await statusOf("f:500")).toBe("sent");
    expect(await statusOf("f:403")).toBe("unreachable");
    expect(await statusOf("f:400")).toBe("failed");
    expect(fake.sentDocuments().map((d) => d.chatId).sort()).toEqual(["81", "82"]);
    expect(fake.callsTo("sendDocument").filter((c) => c.chatId === "84")).toHaveLength(1);
  });

  it("fails a row whose file cannot be read without calling Telegram", async () => {
    await createOutbox({ db: database.prisma, clock: systemClock }).enqueue([queued("f:bad", "85", "e", attachment(Buffer.from("x")))]);
    await database.prisma.outboxMessage.update({ where: { dedupeKey: "f:bad" }, data: { attachment: "{not json" } });
    startWorker();
    await waitUntil(async () => (await statusOf("f:bad")) === "failed");
    expect(fake.callsTo("sendDocument")).toHaveLength(0);
    expect((await database.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "f:bad" } })).lastError).toContain("attachment");
  });
});
