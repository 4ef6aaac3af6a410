import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let memberId: number;
const NOW = new Date("2026-12-03T03:00:00Z");
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const chat = (channel: string, user: string, chatId = user) => ({ channel, externalUserId: user, chatId });
const WRONG = ["K7MQ-4TX2", "K7MQ-4TX3", "K7MQ-4TX4", "K7MQ-4TX5", "K7MQ-4TX6", "K7MQ-4TX7"];

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  const { village } = await buildSmallTree(services);
  memberId = (await database.prisma.member.create({ data: { fullName: "Nguyễn Văn An", searchName: "nguyen van an", status: "full", cellId: village.id } })).id;
});
afterEach(() => database.cleanup());

/** What `link` refused with: the error code (and minutes to wait, when it is that). */
async function refusal(typed: string, where: ReturnType<typeof chat>, now = NOW): Promise<string> {
  try {
    await services.invites.link(typed, where, now);
  } catch (error) {
    const { code, params } = error as { code: string; params: { count?: number } };
    return params.count === undefined ? code : `${code} ${params.count}`;
  }
  return "linked";
}

describe("linking a chat with a typed code, within limits", () => {
  it("counts five failures of one person in any of their chats, and five in one chat whoever types", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    for (let i = 0; i < 5; i++) expect(await refusal(WRONG[i]!, chat("telegram", "1", `chat-${i}`))).toBe("invite:refused");
    expect(await refusal(code, chat("telegram", "1", "chat-new"))).toBe("invite:tooManyTries 15");
    for (let i = 0; i < 5; i++) expect(await refusal(WRONG[i]!, chat("zalo_bot", `user-${i}`, "shared"))).toBe("invite:refused");
    expect(await refusal(code, chat("zalo_bot", "user-new", "shared"), at(5))).toBe("invite:tooManyTries 10");
    // The same person on another channel, and another chat, are not held back.
    expect(await refusal(WRONG[5]!, chat("zalo_bot", "1"))).toBe("invite:refused");
    expect(await database.prisma.inviteCode.count({ where: { usedAt: { not: null } } })).toBe(0);
    expect(await refusal(code, chat("telegram", "1"), at(15))).toBe("linked");
  });

  it("past the global limit every chat waits, even with a right code, which is then not used up", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    const others = Array.from({ length: 199 }, (_, i) => ({ channel: i % 2 ? "telegram" : "zalo_oa", externalUserId: `g${i}`, chatId: `g${i}`, at: at(-10) }));
    await database.prisma.linkAttempt.createMany({ data: others });
    // Failures in the web chat, which looks nothing up, do not count towards everyone's limit.
    await database.prisma.linkAttempt.createMany({ data: Array.from({ length: 300 }, (_, i) => ({ channel: "web", externalUserId: `web-${i}`, chatId: `web-${i}`, at: at(-1) })) });
    expect(await refusal(WRONG[0]!, chat("telegram", "500"))).toBe("invite:refused");
    expect(await refusal(code, chat("telegram", "501"))).toBe("invite:tooManyTries 5");
    expect(await database.prisma.inviteCode.findFirstOrThrow()).toMatchObject({ usedAt: null });
    // Nothing more is recorded while everyone waits.
    expect(await database.prisma.linkAttempt.count({ where: { channel: { not: "web" } } })).toBe(200);
    expect(await refusal(code, chat("telegram", "501"), at(6))).toBe("linked");
  });

  it("never looks a code up from the web chat: it is refused, counted and audited like a wrong one", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    expect(await refusal(code, chat("web", "web-7"))).toBe("invite:refused");
    expect(await database.prisma.inviteCode.findFirstOrThrow()).toMatchObject({ usedAt: null });
    expect(await database.prisma.chatIdentity.count()).toBe(0);
    expect(await database.prisma.linkAttempt.findMany({ select: { channel: true, externalUserId: true } })).toEqual([{ channel: "web", externalUserId: "web-7" }]);
    const log = await database.prisma.auditLog.findFirstOrThrow({ where: { subjectType: "LinkAttempt" } });
    expect(log).toMatchObject({ actorKind: "web", action: "link", detail: "refused: webChat" });
  });

  it("refuses the code of a member who left the cell's list, and says nothing of why", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    await database.prisma.member.update({ where: { id: memberId }, data: { deactivatedAt: NOW } });
    expect(await refusal(code, chat("telegram", "9"))).toBe("invite:refused");
    expect(await database.prisma.auditLog.findFirstOrThrow({ where: { subjectType: "LinkAttempt" } })).toMatchObject({ detail: "refused: inactiveMember" });
  });

  it("takes a slip in typing for what it is: no code is looked up and nothing is counted", async () => {
    expect(await refusal("xin chào", chat("telegram", "3"))).toBe("invite:malformed");
    expect(await database.prisma.linkAttempt.count()).toBe(0);
  });
});
