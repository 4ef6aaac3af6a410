import { runningClock } from "../helpers/clock.ts";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { consentNotice } from "../../src/core/features/consent.ts";
import { textBudget } from "../../src/core/textBudget.ts";
import { createTranslator } from "../../src/i18n.ts";
import { startChibo } from "../../src/runtime.ts";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { CONSENT_VERSION, createConsentService, privacyText } from "../../src/services/consent.ts";
import { startFakeTelegram } from "../fakes/fakeTelegram.ts";
import { freshDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";
import { waitUntil } from "../helpers/wait.ts";
import { buttonsOf, forEachChannel, itOn, labelsOf, startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

const V = CONSENT_VERSION;
const NOTICE = /^Thông báo về dữ liệu cá nhân \(phiên bản 2026-12\)\n/;
const STALE = "Nút này không còn dùng được nữa.";

forEachChannel("consent at linking", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    // A retention period set by the operator is the one the notice gives.
    w = await startConversationWorld(channel, { env: { RETENTION_ATTENDANCE_REASON_DAYS: "500" } });
  });
  afterEach(() => w.stop());

  const stranger = (n: number): Person => ({ id: w.driver.chatOf(n), n, memberId: 0 });
  const handled = () => waitUntil(async () => (await w.db.inboundUpdate.count({ where: { status: "pending" } })) === 0);

  it("linking shows the notice; chibo works before an answer, asks again on /start, and records the acceptance", async () => {
    const member = await w.db.member.create({ data: { fullName: "Trịnh Văn Một", searchName: "trinh van mot", status: "full", cellId: w.orgs.cellA.id } });
    await w.db.role.create({ data: { memberId: member.id, role: "member", organizationId: w.orgs.cellA.id } });
    const { code } = await w.services.invites.issue(member.id, w.clock.now(), CLI_ACTOR);
    const person = { ...stranger(750), memberId: member.id };
    const [linked, notice] = await w.say(person, `/start ${code}`, 2);
    expect(linked!.text).toMatch(/^Đã liên kết tài khoản với đồng chí Trịnh Văn Một/);
    expect(notice!.text).toMatch(NOTICE);
    for (const part of ["chibo lưu: họ tên, số điện thoại, chi bộ", "lý do vắng tự xóa sau 500 ngày, nội dung tin nhắn sau 30 ngày", "gửi /dulieu để xem dữ liệu của mình", "Toàn văn: gửi /quyenriengtu"]) {
      expect(notice!.text).toContain(part);
    }
    expect(buttonsOf(notice)).toEqual([[`consent:yes:${V}`, `consent:no:${V}`]]);
    expect(labelsOf(notice)).toEqual([["Đồng ý", "Không đồng ý"]]);

    // Not answered yet: chibo answers as usual, and /start shows the notice again.
    const [schedule] = await w.say(person, "/lich");
    expect(schedule!.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông/);
    const [welcome, again] = await w.say(person, "/start", 2);
    expect(welcome!.text).toBe("Chào đồng chí Trịnh Văn Một! Tài khoản này đã được liên kết.");
    expect(again!.text).toMatch(NOTICE);

    const [accepted] = await w.press(person, `consent:yes:${V}`);
    expect(accepted!.text).toMatch(/^Cảm ơn đồng chí\. chibo đã ghi nhận đồng chí đồng ý \(phiên bản 2026-12, lúc \d\d\/\d\d\/\d{4} \d\d:\d\d\)\./);
    const saved = await w.db.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(saved.consentVersion).toBe(V);
    expect(saved.consentAt!.getTime()).toBeLessThanOrEqual(w.clock.now().getTime());
    const log = await w.db.auditLog.findMany({ where: { subjectType: "Member", subjectId: String(member.id), action: "update" } });
    expect(log.map((l) => [l.actorKind, l.actorId, l.detail])).toEqual([[channel, member.id, `consent accepted: ${V}`]]);

    // Accepted: another chat linked later is not asked again, and /start only greets.
    const [linkCode] = await w.say(person, "/maketnoi");
    const second = /\/start ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(linkCode!.text)![1]!;
    await w.say(stranger(751), `/start ${second}`);
    await handled();
    expect(await w.db.outboxMessage.count({ where: { channel, chatId: w.driver.chatOf(751) } })).toBe(1);
    expect(w.texts(await w.say(person, "/start"))).toEqual(["Chào đồng chí Trịnh Văn Một! Tài khoản này đã được liên kết."]);
  });

  it("/quyenriengtu gives the full text; withdrawing, once confirmed, unlinks every chat of the member", async () => {
    const member = w.people.member;
    await w.db.member.update({ where: { id: member.memberId }, data: { consentAt: w.clock.now(), consentVersion: V } });
    await w.db.chatIdentity.create({ data: { memberId: member.memberId, channel: "elsewhere", externalUserId: "9", chatId: "9" } });

    const full = privacyText("vi").replace(/^#+\s*/gm, "");
    await w.driver.sendText(member.n, "/quyenriengtu");
    let sent: string[] = [];
    await waitUntil(async () => {
      sent = w.texts(await w.sentTo(member));
      return sent.length > 1 && sent.at(-1)!.startsWith("Đồng chí đã đồng ý");
    });
    // The notice in parts that each fit the channel, then where the member stands.
    expect(sent.slice(0, -1).join("\n\n")).toBe(full.trim());
    for (const part of sent) expect(part.length).toBeLessThanOrEqual(textBudget(channel));
    const standing = (await w.sentTo(member)).at(-1);
    expect(standing!.text).toMatch(/^Đồng chí đã đồng ý phiên bản 2026-12 lúc \d\d\/\d\d\/\d{4} \d\d:\d\d\./);
    expect(buttonsOf(standing)).toEqual([[`consent:no:${V}`]]);

    const [confirm] = await w.press(member, `consent:no:${V}`);
    expect(confirm!.text).toMatch(/^Nếu không đồng ý, chibo sẽ bỏ liên kết mọi tài khoản chat của đồng chí/);
    expect(buttonsOf(confirm)).toEqual([[`consent:yes:${V}`, `consent:unlink:${V}`]]);
    // Nothing changes until it is confirmed.
    expect(await w.db.chatIdentity.count({ where: { memberId: member.memberId } })).toBe(2);
    // A conversation left open in another chat goes with the link.
    await w.db.chatFlow.create({ data: { key: "elsewhere:9", channel: "elsewhere", chatId: "9", memberId: member.memberId, feature: "feedback", step: "text", data: "{}", language: "vi", startedAt: w.clock.now(), expiresAt: new Date(w.clock.now().getTime() + 600_000) } });

    const [declined] = await w.press(member, `consent:unlink:${V}`);
    expect(declined!.text).toMatch(/^chibo đã bỏ liên kết tài khoản của đồng chí và sẽ không nhắn tin nữa\./);
    expect(await w.db.chatIdentity.count({ where: { memberId: member.memberId } })).toBe(0);
    expect(await w.db.chatFlow.count({ where: { memberId: member.memberId } })).toBe(0);
    expect(await w.db.member.findUniqueOrThrow({ where: { id: member.memberId } })).toMatchObject({ consentAt: null, consentVersion: null });
    const log = await w.db.auditLog.findFirstOrThrow({ where: { subjectType: "Member", subjectId: String(member.memberId), action: "update" } });
    expect(log.detail).toBe(`consent declined: ${V}; 2 chats unlinked`);
    const [unlinked] = await w.say(member, "/lich");
    expect(unlinked!.text).toMatch(/^Chào đồng chí! chibo là trợ lý của chi bộ\./);
  });

  it("a forged answer is refused and changes nothing", async () => {
    // (On the Zalo bot these are typed as words, so none holds a word that answers attendance.)
    for (const payload of ["consent", `consent:unlink:${V}:1`, `consent:maybe:${V}`, "consent:unlink:2026-1x", `consent::${V}`]) {
      const answer = await w.pressUnshown(w.people.member, payload);
      if (answer) expect(answer.text).toBe(STALE);
    }
    expect(await w.db.member.findUniqueOrThrow({ where: { id: w.people.member.memberId } })).toMatchObject({ consentAt: null, consentVersion: null });
  });

  itOn(channel, ["telegram", "zalo_oa"])("an older notice's button is answered with the current notice; a stranger's press links nothing", async () => {
    const [replaced, current] = await w.press(w.people.member, "consent:yes:2025-06", 2);
    expect(replaced!.text).toBe("Thông báo đó đã được thay bằng phiên bản mới, đồng chí xem dưới đây.");
    expect(buttonsOf(current)).toEqual([[`consent:yes:${V}`, `consent:no:${V}`]]);
    expect(await w.db.member.findUniqueOrThrow({ where: { id: w.people.member.memberId } })).toMatchObject({ consentVersion: null });
    const [unlinked] = await w.press(stranger(790), `consent:yes:${V}`);
    expect(unlinked!.text).toMatch(/^Chào đồng chí! chibo là trợ lý của chi bộ\./);
  });
});

describe("asking members who have not accepted the current notice", () => {
  it("at start, once per version however often chibo starts; not those who accepted it", async () => {
    const fake = await startFakeTelegram();
    const database = await freshDatabase();
    try {
      const db = database.prisma;
      const { village: cell } = await buildSmallTree(buildServices(db));
      const person = async (n: number, consent: { consentAt?: Date; consentVersion?: string }) => {
        const member = await db.member.create({ data: { fullName: `Đảng viên ${n}`, searchName: `dang vien ${n}`, status: "full", cellId: cell.id, ...consent } });
        await db.chatIdentity.create({ data: { memberId: member.id, channel: "telegram", externalUserId: String(n), chatId: String(n) } });
        return member;
      };
      await person(801, {});
      await person(802, { consentAt: new Date("2026-01-05T00:00:00Z"), consentVersion: "2025-12" });
      await person(803, { consentAt: new Date("2026-12-01T00:00:00Z"), consentVersion: V });
      const config = parseConfig({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false", TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_RATE_PER_CHAT_PER_SECOND: "100" });
      for (let start = 0; start < 2; start++) {
        // At 10:00 in Vietnam: the notice is a push, which the quiet hours would hold at night.
        const chibo = await startChibo({ config, logger: pino({ level: "silent" }), clock: runningClock("2026-12-03T03:00:00Z") });
        await waitUntil(() => fake.sentMessages().filter((m) => m.chatId === "801" || m.chatId === "802").length === 2);
        await chibo.stop();
      }
      const texts = (chatId: string) => fake.sentMessages().filter((m) => m.chatId === chatId).map((m) => m.text);
      expect(texts("801")).toHaveLength(1);
      expect(texts("801")[0]).toMatch(NOTICE);
      expect(texts("802")).toHaveLength(1);
      expect(texts("803")).toEqual([]);
      // The second start queued nothing: one row per member and version.
      expect((await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "consent:" } } })).map((r) => r.chatId).sort()).toEqual(["801", "802"]);
    } finally {
      await database.cleanup();
      await fake.close();
    }
  });

  it("the notice links to the full text under PUBLIC_URL when chibo has one", async () => {
    const database = await freshDatabase();
    try {
      const consent = createConsentService({ db: database.prisma, publicUrl: "https://chibo.example.vn" });
      const notice = consentNotice(consent, createTranslator().t("en"));
      expect(notice.text).toMatch(/^About your personal data \(version 2026-12\)\n/);
      expect(notice.text).toContain("Full text: https://chibo.example.vn/privacy");
      expect(notice.text).toContain("reasons for absence are deleted after 400 days");
    } finally {
      await database.cleanup();
    }
  });
});
