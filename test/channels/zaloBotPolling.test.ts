import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloBotApi } from "../../src/channels/zaloBot/api.ts";
import { createZaloBotChannel, ZaloBotTokenRejected } from "../../src/channels/zaloBot/index.ts";
import { createZaloBotPolling } from "../../src/channels/zaloBot/polling.ts";
import { createTranslator } from "../../src/i18n.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { systemClock } from "../../src/services/clock.ts";
import { privateText, startFakeZaloBot, wrapped, type FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { runningClock } from "../helpers/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";
import { startChiboOnZaloBot, type ZaloBotChibo } from "../helpers/zaloBot.ts";

const NOW = "2026-12-03T03:00:00Z"; // Thursday; the cell meets on the 7th.
let fake: FakeZaloBot;
let app: ZaloBotChibo;

async function aMemberWithCode() {
  const { organizations, invites } = app.services;
  await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const cell = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "hai-phong", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30", place: "Nhà văn hóa thôn" } });
  const member = await app.database.prisma.member.create({ data: { fullName: "Phạm Thị Hoa", searchName: "pham thi hoa", status: "full", cellId: cell.id } });
  const { code } = await invites.issue(member.id, new Date(NOW), CLI_ACTOR);
  return { member, code };
}

const textsTo = (chatId: string) => fake.sentMessages().filter((m) => m.chatId === chatId).map((m) => m.text);

/** Sends `text` from `fromId` by the platform's queue and returns the replies it caused. */
async function say(fromId: string, text: string, count = 1): Promise<string[]> {
  const before = textsTo(fromId).length;
  fake.pushUpdate(privateText({ fromId, text }));
  await waitUntil(() => textsTo(fromId).length >= before + count);
  await new Promise((r) => setTimeout(r, 50));
  return textsTo(fromId).slice(before);
}

describe("Zalo Bot by long polling", () => {
  beforeEach(async () => {
    fake = await startFakeZaloBot();
    app = await startChiboOnZaloBot(fake, { clock: runningClock(NOW) });
  });
  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it("clears any webhook and polls", async () => {
    expect(fake.callsTo("deleteWebhook")).toHaveLength(1);
    expect(fake.callsTo("setWebhook")).toHaveLength(0);
    await waitUntil(() => fake.callsTo("getUpdates").length >= 1);
    expect(fake.callsTo("getUpdates")[0]!.body).toEqual({ timeout: "2" });
  });

  it("links a chat with /start and an invite code, and answers in the chat", async () => {
    const { member, code } = await aMemberWithCode();
    const [linked, notice] = await say("zu-501", `/start ${code}`, 2);
    expect(linked).toBe("Đã liên kết tài khoản với đồng chí Phạm Thị Hoa, Chi bộ thôn Đông. Từ nay chibo sẽ nhắc lịch sinh hoạt chi bộ tại đây.");
    // Then the notice of what chibo stores, its two answers numbered.
    expect(notice).toMatch(/^Thông báo về dữ liệu cá nhân \(phiên bản [\d-]+\)\n[\s\S]*\n\n1\. Đồng ý\n2\. Không đồng ý\n/);
    const identity = await app.database.prisma.chatIdentity.findFirstOrThrow();
    expect(identity).toMatchObject({ memberId: member.id, channel: "zalo_bot", externalUserId: "zu-501", chatId: "zu-501", reachable: true });
  });

  it("takes attendance by the numbers and labels of the list it showed", async () => {
    const { member, code } = await aMemberWithCode();
    await say("zu-502", `/start ${code}`, 2);
    const [schedule] = await say("zu-502", "/lich");
    expect(schedule).toContain("Buổi sinh hoạt tới của Chi bộ thôn Đông");
    expect(schedule).toMatch(/\n\n1\. Có mặt\n2\. Vắng\nTrả lời bằng số \(1, 2…\)\.$/);

    const [present] = await say("zu-502", "co mat");
    expect(present).toContain("Đã ghi: đồng chí có mặt buổi sinh hoạt");
    const attendance = await app.database.prisma.attendance.findFirstOrThrow({ where: { memberId: member.id } });
    expect(attendance).toMatchObject({ answer: "present", source: "button" });

    await say("zu-502", "/lich");
    const [askReason] = await say("zu-502", " 2 ");
    expect(askReason).toContain("Đồng chí cho biết lý do vắng");
    expect(await app.database.prisma.attendance.findFirstOrThrow({ where: { memberId: member.id } })).toMatchObject({ answer: "absent" });
  });

  it("reads a number as text where no list was shown, and as a choice once one is", async () => {
    const { code } = await aMemberWithCode();
    await say("zu-503", `/start ${code}`, 2);
    // The notice shown at linking is the list a number answers first.
    const [accepted] = await say("zu-503", "1");
    expect(accepted).toMatch(/^Cảm ơn đồng chí\. chibo đã ghi nhận đồng chí đồng ý/);
    const [notUnderstood] = await say("zu-503", "1");
    expect(notUnderstood).toMatch(/^chibo chưa rõ ý đồng chí\. [\s\S]*\n\n1\. Có mặt\n2\. Vắng\n/);
    expect(await app.database.prisma.attendance.count()).toBe(0);
    const [present] = await say("zu-503", "1");
    expect(present).toContain("Đã ghi: đồng chí có mặt");
  });

  it("stores an event once even when the platform hands it over twice", async () => {
    const event = privateText({ fromId: "zu-504", text: "xin chào" });
    fake.pushUpdate(event);
    fake.pushUpdate(wrapped(event));
    await waitUntil(() => textsTo("zu-504").length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.database.prisma.inboundUpdate.count()).toBe(1);
    expect(textsTo("zu-504")).toHaveLength(1);
  });
});

describe("Zalo Bot polling and start on their own", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    fake = await startFakeZaloBot();
    database = await freshDatabase();
  });
  afterEach(async () => {
    await fake.close();
    await database.cleanup();
  });

  it("tries again after a failed poll, and stop() ends a held poll at once", async () => {
    const store = createInboundStore({ db: database.prisma });
    const polling = createZaloBotPolling({ api: createZaloBotApi(fake), store, clock: systemClock, logger: pino({ level: "silent" }), pollTimeoutSeconds: 20, retryDelayMs: 50 });
    fake.failNext("getUpdates", { status: 502 });
    polling.start();
    try {
      await waitUntil(() => fake.callsTo("getUpdates").filter((c) => c.status === 502).length === 1);
      fake.pushUpdate(privateText({ fromId: "zu-601", text: "có" }));
      await waitUntil(async () => (await database.prisma.inboundUpdate.count()) === 1);
      // The next poll is held by the platform until an event comes or 20 s pass.
      await waitUntil(() => fake.callsTo("getUpdates").some((c) => c.status === 0));
      const stopping = Date.now();
      await polling.stop();
      expect(Date.now() - stopping).toBeLessThan(1000);
    } finally {
      await polling.stop();
    }
  });

  it("polls again at once after an empty poll (408), without waiting to retry", async () => {
    const store = createInboundStore({ db: database.prisma });
    const polling = createZaloBotPolling({ api: createZaloBotApi(fake), store, clock: systemClock, logger: pino({ level: "silent" }), pollTimeoutSeconds: 1, retryDelayMs: 60_000 });
    polling.start();
    try {
      await waitUntil(() => fake.callsTo("getUpdates").filter((c) => c.status === 408).length >= 1, 3000);
      fake.pushUpdate(privateText({ fromId: "zu-602", text: "có" }));
      await waitUntil(async () => (await database.prisma.inboundUpdate.count()) === 1, 3000);
    } finally {
      await polling.stop();
    }
  });

  it("refuses to start with a token the platform rejects", async () => {
    const channel = createZaloBotChannel({
      settings: { token: "999:WRONG", apiRoot: fake.apiRoot, webhookSecret: "secret-secret" },
      db: database.prisma, store: createInboundStore({ db: database.prisma }), clock: systemClock, logger: pino({ level: "silent" }), translator: createTranslator(),
    });
    await expect(channel.start()).rejects.toBeInstanceOf(ZaloBotTokenRejected);
    expect(fake.callsTo("deleteWebhook")).toHaveLength(0);
    await channel.stop();
  });
});
