import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MEMBER_PAGE_SIZE } from "../../src/services/memberDirectory.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
const NOW = new Date("2026-11-01T03:00:00Z");
const ACTOR = { kind: "console", memberId: 99 };

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  tree = await buildSmallTree(services);
  const { village, school } = tree;
  const add = (fullName: string, searchName: string, cellId: number, extra: Record<string, unknown> = {}) =>
    database.prisma.member.create({ data: { fullName, searchName, status: "full", cellId, ...extra } });
  const hung = await add("Nguyễn Văn Hùng", "nguyen van hung", village.id, { phone: "0912345678" });
  await database.prisma.role.create({ data: { memberId: hung.id, organizationId: village.id, role: "secretary" } });
  await database.prisma.chatIdentity.create({ data: { memberId: hung.id, channel: "telegram", externalUserId: "1", chatId: "1" } });
  await add("Trần Thị Lan", "tran thi lan", village.id, { status: "probationary", exemption: "temporary", exemptionReason: "ốm", exemptionFrom: "2026-10-01", exemptionUntil: "2026-12-31" });
  await add("Lê Minh Tuấn", "le minh tuan", school.id, { phone: "0983111222" });
  await add("Phạm Văn Cũ", "pham van cu", village.id, { deactivatedAt: NOW });
});
afterEach(() => database.cleanup());

const names = async (paths: string[], filter: Record<string, unknown> = {}) =>
  (await services.memberDirectory.search(paths, { page: 1, ...filter }, NOW, ACTOR)).members.map((m) => m.fullName);

describe("the console's members list", () => {
  it("shows the active members of the scope only", async () => {
    expect((await names([tree.commune.path])).sort()).toEqual(["Lê Minh Tuấn", "Nguyễn Văn Hùng", "Trần Thị Lan"]);
    expect((await names([tree.village.path])).sort()).toEqual(["Nguyễn Văn Hùng", "Trần Thị Lan"]);
    expect(await names([])).toEqual([]);
  });

  it("searches names without diacritics and phones by some of their digits", async () => {
    expect(await names([tree.commune.path], { query: "tuấn" })).toEqual(["Lê Minh Tuấn"]);
    expect(await names([tree.commune.path], { query: "VAN HUNG" })).toEqual(["Nguyễn Văn Hùng"]);
    expect(await names([tree.commune.path], { query: "111 222" })).toEqual(["Lê Minh Tuấn"]);
    expect(await names([tree.village.path], { query: "0983" })).toEqual([]);
  });

  it("filters by cell, status, linked chat and exemption", async () => {
    expect(await names([tree.commune.path], { cellId: tree.school.id })).toEqual(["Lê Minh Tuấn"]);
    expect(await names([tree.commune.path], { status: "probationary" })).toEqual(["Trần Thị Lan"]);
    expect(await names([tree.commune.path], { linked: true })).toEqual(["Nguyễn Văn Hùng"]);
    expect((await names([tree.commune.path], { linked: false })).sort()).toEqual(["Lê Minh Tuấn", "Trần Thị Lan"]);
    expect(await names([tree.commune.path], { exemption: "temporary" })).toEqual(["Trần Thị Lan"]);
    expect((await names([tree.commune.path], { exemption: "none" })).sort()).toEqual(["Lê Minh Tuấn", "Nguyễn Văn Hùng"]);
  });

  it("gives pages of fifty and logs each reading of the list without names", async () => {
    await database.prisma.member.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ fullName: `Đảng viên ${i}`, searchName: `dang vien ${i}`, status: "full", cellId: tree.school.id })) });
    const second = await services.memberDirectory.search([tree.commune.path], { page: 2 }, NOW, ACTOR);
    expect(second).toMatchObject({ total: 63, page: 2, pageCount: 2 });
    expect(second.members).toHaveLength(63 - MEMBER_PAGE_SIZE);
    const beyond = await services.memberDirectory.search([tree.commune.path], { page: 9 }, NOW, ACTOR);
    expect(beyond.page).toBe(2);
    const log = await database.prisma.auditLog.findMany({ where: { action: "read" } });
    expect(log.map((l) => [l.actorKind, l.actorId, l.subjectType, l.detail])).toEqual([
      ["console", 99, "Member", "console list: 13 of 63"], ["console", 99, "Member", "console list: 13 of 63"],
    ]);
  });

  it("offers the scope's organizations above the cells to import into, and a secretary their own cell", async () => {
    expect((await services.memberDirectory.importTargets([tree.commune.path])).map((o) => o.code)).toEqual(["ha-ky"]);
    expect((await services.memberDirectory.importTargets([tree.village.path])).map((o) => o.code)).toEqual(["thon-dong"]);
    expect((await services.memberDirectory.cellsIn([tree.commune.path])).map((o) => o.code)).toEqual(["thon-dong", "thcs-ha-ky"]);
  });
});
