import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let memberId: number;
const NOW = new Date("2026-11-01T03:00:00Z");
const DAY = 86_400_000;
const telegram = (id: string) => ({ channel: "telegram", externalUserId: id, chatId: id });

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  const { village } = await buildSmallTree(services);
  const member = await database.prisma.member.create({ data: { fullName: "Nguyễn Văn An", searchName: "nguyen van an", status: "full", cellId: village.id, phone: "0912345678" } });
  memberId = member.id;
});
afterEach(() => database.cleanup());

describe("one-time invite codes", () => {
  it("links a chat to the member once, typed in any case and spacing", async () => {
    const { code, expiresAt } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(expiresAt.getTime()).toBe(NOW.getTime() + 14 * DAY);
    const typed = ` ${code.toLowerCase().replace("-", " ")} `;
    const linked = await services.invites.redeem(typed, telegram("111"), new Date(NOW.getTime() + DAY));
    expect(linked.memberId).toBe(memberId);
    await expect(services.invites.redeem(code, telegram("222"), new Date(NOW.getTime() + DAY))).rejects.toMatchObject({ code: "invite:used" });
    const identities = await database.prisma.chatIdentity.findMany();
    expect(identities.map((i) => [i.memberId, i.channel, i.externalUserId])).toEqual([[memberId, "telegram", "111"]]);
  });

  it("stores only a hash of the code", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    const rows = await database.prisma.inviteCode.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.code).not.toContain(code.replace("-", ""));
    expect(rows[0]?.code).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses an expired, unknown or malformed code and links nothing", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR, 1);
    await expect(services.invites.redeem(code, telegram("1"), new Date(NOW.getTime() + 2 * DAY))).rejects.toMatchObject({ code: "invite:expired" });
    await expect(services.invites.redeem("ABCD-EFGH", telegram("1"), NOW)).rejects.toMatchObject({ code: "invite:unknown" });
    await expect(services.invites.redeem("xin chào", telegram("1"), NOW)).rejects.toMatchObject({ code: "invite:malformed" });
    expect(await database.prisma.chatIdentity.count()).toBe(0);
  });

  it("makes an earlier unused code stop working when a new one is issued", async () => {
    const first = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    const second = await services.invites.issue(memberId, new Date(NOW.getTime() + 1000), CLI_ACTOR);
    await expect(services.invites.redeem(first.code, telegram("1"), new Date(NOW.getTime() + 2000))).rejects.toMatchObject({ code: "invite:expired" });
    await expect(services.invites.redeem(second.code, telegram("1"), new Date(NOW.getTime() + 2000))).resolves.toMatchObject({ memberId });
  });

  it("refuses to move a chat that is already linked to someone else", async () => {
    const other = await database.prisma.member.create({ data: { fullName: "Trần Thị Bình", searchName: "tran thi binh", status: "full", cellId: (await services.organizations.findByCode("thon-dong")).id } });
    const mine = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    await services.invites.redeem(mine.code, telegram("555"), NOW);
    const theirs = await services.invites.issue(other.id, NOW, CLI_ACTOR);
    await expect(services.invites.redeem(theirs.code, telegram("555"), NOW)).rejects.toMatchObject({ code: "invite:chatLinkedToOther" });
    expect((await database.prisma.inviteCode.findMany({ where: { memberId: other.id } }))[0]?.usedAt).toBeNull();
  });

  it("logs who issued and who linked", async () => {
    const { code } = await services.invites.issue(memberId, NOW, CLI_ACTOR);
    await services.invites.redeem(code, telegram("9"), NOW);
    const log = await database.prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(log.map((l) => [l.actorKind, l.action, l.subjectType])).toEqual([["cli", "create", "InviteCode"], ["telegram", "link", "ChatIdentity"]]);
  });
});
