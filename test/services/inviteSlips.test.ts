import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotInCell } from "../../src/services/inviteSlips.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
let ids: Record<string, number>;
const NOW = new Date("2026-11-01T03:00:00Z");
const ACTOR = { kind: "console", memberId: 99 };

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  tree = await buildSmallTree(services);
  const add = async (fullName: string, searchName: string, cellId: number, extra: Record<string, unknown> = {}) =>
    (await database.prisma.member.create({ data: { fullName, searchName, status: "full", cellId, ...extra } })).id;
  ids = {
    hung: await add("Nguyễn Văn Hùng", "nguyen van hung", tree.village.id, { phone: "0912345678" }),
    lan: await add("Trần Thị Lan", "tran thi lan", tree.village.id, { phone: "0977000111" }),
    tuan: await add("Lê Minh Tuấn", "le minh tuan", tree.school.id),
    gone: await add("Phạm Văn Cũ", "pham van cu", tree.village.id, { deactivatedAt: NOW }),
  };
  await database.prisma.chatIdentity.create({ data: { memberId: ids.hung!, channel: "zalo_bot", externalUserId: "z1", chatId: "z1" } });
});
afterEach(() => database.cleanup());

describe("printed invite slips and the sheet of who has not linked", () => {
  it("lists the cell's members with whether each has linked a chat", async () => {
    expect(await services.inviteSlips.roster(tree.village, NOW, ACTOR)).toEqual([
      { id: ids.hung, fullName: "Nguyễn Văn Hùng", linked: true }, { id: ids.lan, fullName: "Trần Thị Lan", linked: false },
    ]);
  });

  it("issues a fresh code for each member chosen, which then links their chat, and the older code stops working", async () => {
    const older = await services.invites.issue(ids.lan!, NOW, ACTOR);
    const slips = await services.inviteSlips.issue(tree.village, [ids.lan!], NOW, ACTOR);
    expect(slips).toMatchObject([{ memberId: ids.lan, fullName: "Trần Thị Lan", cellName: "Chi bộ thôn Đông" }]);
    await expect(services.invites.redeem(older.code, { channel: "telegram", externalUserId: "t9", chatId: "t9" }, NOW)).rejects.toMatchObject({ code: "invite:expired" });
    const linked = await services.invites.redeem(slips[0]!.code, { channel: "telegram", externalUserId: "t9", chatId: "t9" }, NOW);
    expect(linked.memberId).toBe(ids.lan);
    const log = await database.prisma.auditLog.findMany({ where: { actorKind: "console" }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.action, l.subjectType])).toEqual([["create", "InviteCode"], ["create", "InviteCode"], ["read", "Member"]]);
  });

  it("issues nothing when one member chosen is not on the cell's list", async () => {
    for (const other of [ids.tuan!, ids.gone!]) {
      await expect(services.inviteSlips.issue(tree.village, [ids.lan!, other], NOW, ACTOR)).rejects.toBeInstanceOf(NotInCell);
    }
    await expect(services.inviteSlips.issue(tree.village, [], NOW, ACTOR)).rejects.toMatchObject({ code: "consoleMembers:slipsNoneChosen" });
    expect(await database.prisma.inviteCode.count()).toBe(0);
  });

  it("lists who has not linked yet with phones masked but for the last three digits", async () => {
    expect(await services.inviteSlips.unlinked(tree.village, NOW, ACTOR)).toEqual([{ id: ids.lan, fullName: "Trần Thị Lan", phone: "•••••••111" }]);
    expect(await database.prisma.auditLog.count({ where: { action: "read", actorId: 99 } })).toBe(1);
  });
});
