import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { forEachChannel, itOn, startConversationWorld, type ConversationWorld, type Person } from "./harness.ts";

const REFUSED = "Mã này không dùng được. Đồng chí xin bí thư chi bộ cấp mã mới, hoặc gửi /maketnoi trong ứng dụng đã liên kết chibo.";
const WAIT = /^Đã có quá nhiều lần thử mã\. Xin đồng chí thử lại sau 1[45] phút nữa\.$/;
const DAY = 86_400_000;
/** Codes of the right shape that chibo never gave. */
const WRONG = ["K7MQ-4TX2", "K7MQ-4TX3", "K7MQ-4TX4", "K7MQ-4TX5", "K7MQ-4TX6"];

forEachChannel("invite codes cannot be tested or guessed", (channel) => {
  let w: ConversationWorld;
  beforeEach(async () => {
    w = await startConversationWorld(channel);
  });
  afterEach(() => w.stop());

  const stranger = (n: number): Person => ({ id: w.driver.chatOf(n), n, memberId: 0 });
  async function newMember(fullName: string) {
    return w.db.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId: w.orgs.cellA.id } });
  }

  it("a linked chat gets one answer for every code that does not link it, and the log keeps why, never the code", async () => {
    const now = w.clock.now();
    const live = await w.services.invites.issue((await newMember("Trịnh Văn Một")).id, now, CLI_ACTOR);
    const used = await w.services.invites.issue((await newMember("Lê Thị Hai")).id, now, CLI_ACTOR);
    await w.services.invites.redeem(used.code, { channel: "elsewhere", externalUserId: "1", chatId: "1" }, now);
    const expired = await w.services.invites.issue((await newMember("Phan Văn Ba")).id, new Date(now.getTime() - 2 * DAY), CLI_ACTOR, 1);
    const typed = [live.code, used.code, expired.code, WRONG[0]!];
    const answers = [];
    for (const code of typed) answers.push(...w.texts(await w.say(w.people.member, `/start ${code}`)));
    // Another member's live code is no different from one that never existed.
    expect(answers).toEqual([REFUSED, REFUSED, REFUSED, REFUSED]);

    expect(await w.db.inviteCode.findFirstOrThrow({ where: { memberId: live.member.id } })).toMatchObject({ usedAt: null });
    expect(await w.db.chatIdentity.findFirstOrThrow({ where: { channel, externalUserId: w.people.member.id } })).toMatchObject({ memberId: w.people.member.memberId });
    expect(await w.db.linkAttempt.count({ where: { channel, externalUserId: w.people.member.id } })).toBe(4);
    const log = await w.db.auditLog.findMany({ where: { subjectType: "LinkAttempt" }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.actorKind, l.actorId, l.action, l.detail])).toEqual(
      ["chatLinkedToOther", "used", "expired", "unknown"].map((why) => [channel, w.people.member.memberId, "link", `refused: ${why}`]),
    );
    const written = JSON.stringify(await w.db.auditLog.findMany()) + JSON.stringify(await w.db.linkAttempt.findMany());
    for (const code of typed) {
      expect(written).not.toContain(code);
      expect(written).not.toContain(code.replace("-", ""));
    }
  });

  it("after five wrong codes a chat waits, and a right code then is not even looked up; the window slides", async () => {
    const member = await newMember("Trịnh Văn Một");
    const { code } = await w.services.invites.issue(member.id, w.clock.now(), CLI_ACTOR);
    const guesser = stranger(760);
    for (const wrong of WRONG) expect(w.texts(await w.say(guesser, `/start ${wrong}`))).toEqual([REFUSED]);

    const [waiting] = await w.say(guesser, `/start ${code}`);
    expect(waiting!.text).toMatch(WAIT);
    // The code alone, without /start, waits the same.
    const [alone] = await w.say(guesser, code);
    expect(alone!.text).toMatch(WAIT);
    expect(await w.db.inviteCode.findFirstOrThrow({ where: { memberId: member.id } })).toMatchObject({ usedAt: null });
    expect(await w.db.chatIdentity.count({ where: { memberId: member.id } })).toBe(0);
    // Only what the limits need is kept: the tries made while waiting are not.
    expect(await w.db.linkAttempt.count()).toBe(5);
    // Another chat is not held back by this one.
    expect(w.texts(await w.say(stranger(761), `/start ${WRONG[0]}`))).toEqual([REFUSED]);

    w.clock.jump(15 * 60_000 + 1000);
    const [linked] = await w.say(guesser, `/start ${code}`, 2);
    expect(linked!.text).toMatch(/^Đã liên kết tài khoản với đồng chí Trịnh Văn Một/);
  });

  itOn(channel, ["telegram"])("past 200 failures everywhere within 15 minutes, every chat waits, even with a right code", async () => {
    const member = await newMember("Trịnh Văn Một");
    const { code } = await w.services.invites.issue(member.id, w.clock.now(), CLI_ACTOR);
    const recently = new Date(w.clock.now().getTime() - 60_000);
    await w.db.linkAttempt.createMany({ data: Array.from({ length: 199 }, (_, i) => ({ channel: i % 2 ? "zalo_bot" : "telegram", externalUserId: `g${i}`, chatId: `g${i}`, at: recently })) });
    expect(w.texts(await w.say(stranger(770), `/start ${WRONG[0]}`))).toEqual([REFUSED]);
    const [waiting] = await w.say(stranger(771), `/start ${code}`);
    expect(waiting!.text).toMatch(/^Đã có quá nhiều lần thử mã\. Xin đồng chí thử lại sau 1[34] phút nữa\.$/);
    expect(await w.db.inviteCode.findFirstOrThrow({ where: { memberId: member.id } })).toMatchObject({ usedAt: null });
  });
});

describe("invite codes in the web chat", () => {
  let app: LocalChibo;
  let realCode: string;
  let realMemberId: number;
  beforeAll(async () => {
    app = await startChiboLocal();
    await loadDemo(app.chibo);
    const { services, db } = app.chibo;
    await services.organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
    const cell = await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", code: "thon-bac", parentCode: "hai-phong", cellKind: "village" });
    realMemberId = (await db.member.create({ data: { fullName: "Ngô Văn Bảy", searchName: "ngo van bay", status: "full", cellId: cell.id } })).id;
    realCode = (await services.invites.issue(realMemberId, new Date(), CLI_ACTOR)).code;
  });
  afterAll(() => app.stop());

  async function say(memberId: number, text: string, after: number): Promise<{ id: number; text: string }> {
    const post = (path: string, body: unknown) => fetch(`${app.baseUrl}/chat/api${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("/send", { memberId, text })).status).toBe(202);
    const res = await fetch(`${app.baseUrl}/chat/api/messages?memberId=${memberId}&after=${after}&wait=10`);
    const [answer] = ((await res.json()) as { messages: { id: number; text: string }[] }).messages;
    if (!answer) throw new Error("no answer within the long poll");
    return answer;
  }

  it("never redeems a code: a real member's live code gets the answer a wrong one gets, and counts as a failure", async () => {
    const members = (await (await fetch(`${app.baseUrl}/chat/api/members`)).json()) as { members: { id: number }[] };
    const demoMember = members.members[0]!.id;
    const picked = (await (await fetch(`${app.baseUrl}/chat/api/pick`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ memberId: demoMember }) })).json()) as { cursor: number | null };
    const real = await say(demoMember, `/start ${realCode}`, picked.cursor ?? 0);
    const wrong = await say(demoMember, `/start ${WRONG[0]}`, real.id);
    expect(real.text).toBe(REFUSED);
    expect(wrong.text).toBe(REFUSED);
    const { db } = app.chibo;
    expect(await db.inviteCode.findFirstOrThrow({ where: { memberId: realMemberId } })).toMatchObject({ usedAt: null });
    expect(await db.chatIdentity.count({ where: { memberId: realMemberId } })).toBe(0);
    expect(await db.linkAttempt.count({ where: { channel: "web" } })).toBe(2);
  });
});
