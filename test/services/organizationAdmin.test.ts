import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError, NotAllowedError } from "../../src/domain/errors.ts";
import type { ScopedRole } from "../../src/domain/authorization.ts";
import type { Organization } from "../../src/generated/prisma/client.ts";
import type { OrgAdministrator } from "../../src/services/organizationAdmin.ts";
import { leavesOwnScope } from "../../src/services/organizationOfficers.ts";
import { createOrganizationTreeService } from "../../src/services/organizationTree.ts";
import { sameTransaction } from "../../src/services/sameTransaction.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

const NOW = new Date("2026-03-02T03:00:00Z");

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let tree: Awaited<ReturnType<typeof buildSmallTree>>;
let otherCommune: Organization;
let adminId: number;
let villager: { id: number };

const scoped = (role: string, org: Organization): ScopedRole => ({ role, organizationId: org.id, orgPath: org.path });
const adminOf = (org: Organization, memberId = adminId): OrgAdministrator => ({ actor: { kind: "console", memberId }, roles: [scoped("administrator", org)] });
const member = (name: string, cellId: number) =>
  database.prisma.member.create({ data: { fullName: name, searchName: name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase(), status: "full", cellId } });
const auditRows = () => database.prisma.auditLog.findMany({ where: { subjectType: "Organization" } });

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  tree = await buildSmallTree(services);
  otherCommune = await services.organizations.add({ level: "base", name: "Đảng ủy xã Hà Thanh", code: "ha-thanh", parentCode: "hai-phong" });
  await services.organizations.add({ level: "cell", name: "Chi bộ thôn Bắc", code: "thon-bac", parentCode: "ha-thanh", cellKind: "village" });
  const admin = await member("Phạm Văn Quản", tree.village.id);
  adminId = admin.id;
  await database.prisma.role.create({ data: { memberId: admin.id, organizationId: tree.commune.id, role: "administrator" } });
  villager = await member("Nguyễn Thị Đào", tree.village.id);
  await member("Lê Văn Bình", tree.school.id);
});
afterEach(() => database.cleanup());

describe("sameTransaction", () => {
  it("lets a use case's own transaction join the caller's, so a later failure undoes its write too", async () => {
    await expect(database.prisma.$transaction(async (tx) => {
      const db = sameTransaction(tx);
      await db.$transaction(async (inner) => inner.organization.update({ where: { id: tree.village.id }, data: { name: "Đổi trong giao dịch" } }));
      throw new Error("the audit row could not be written");
    })).rejects.toThrow("the audit row");
    expect((await database.prisma.organization.findUniqueOrThrow({ where: { id: tree.village.id } })).name).toBe("Chi bộ thôn Đông");
  });
});

describe("an administrator's changes", () => {
  it("saves each change with an audit row naming who made it", async () => {
    const { organizationAdmin } = services;
    await organizationAdmin.setSetting(adminOf(tree.commune), tree.commune.id, "maxPostponeDays", 4, NOW);
    await organizationAdmin.setMeetingRule(adminOf(tree.commune), tree.village.id, { weekday: 2, nth: 2, time: "18:00", place: "Hội trường", shiftOffDays: false }, NOW);
    expect((await services.organizations.settings("thon-dong")).settings).toMatchObject({ maxPostponeDays: 4, source: { maxPostponeDays: { code: "ha-ky" } } });
    expect(await database.prisma.meetingRule.findUnique({ where: { cellId: tree.village.id } })).toMatchObject({ kind: "nthWeekday", weekday: 2, nth: 2, time: "18:00", place: "Hội trường" });
    expect((await auditRows()).map((r) => [r.actorKind, r.actorId, r.subjectId, r.detail])).toEqual([
      ["console", adminId, String(tree.commune.id), "setting maxPostponeDays"],
      ["console", adminId, String(tree.village.id), "meeting rule"],
    ]);
  });

  it("makes a day a working day through the settings service's own transaction, and lists it again as a day off", async () => {
    const { organizationAdmin } = services;
    expect(await organizationAdmin.removeHoliday(adminOf(tree.commune), tree.commune.id, "2026-04-30", NOW)).toBe("working");
    expect((await services.organizations.holidays("thon-dong", 2026)).find((d) => d.date === "2026-04-30")).toMatchObject({ dayOff: false, decidedBy: { code: "ha-ky" } });
    await organizationAdmin.addHoliday(adminOf(tree.commune), tree.commune.id, "2026-04-30", "Ngày Giải phóng", NOW);
    expect((await services.organizations.holidays("thon-dong", 2026)).find((d) => d.date === "2026-04-30")).toMatchObject({ dayOff: true });
    expect(await auditRows()).toHaveLength(2);
  });

  it("refuses an organization outside the administrator's subtree and a bad value, saving nothing of either", async () => {
    const { organizationAdmin } = services;
    await expect(organizationAdmin.rename(adminOf(tree.commune), otherCommune.id, "Đổi tên", NOW)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(organizationAdmin.setSetting(adminOf(tree.commune), tree.province.id, "maxPostponeDays", 5, NOW)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(organizationAdmin.setSetting(adminOf(tree.commune), tree.commune.id, "quietHours", { from: "22:00", to: "22:00" }, NOW))
      .rejects.toMatchObject({ code: "org:scheduleSettingInvalid" });
    await expect(organizationAdmin.setMeetingRule(adminOf(tree.commune), tree.village.id, { dayOfMonth: 7, time: "19:30", place: "x".repeat(201) }, NOW))
      .rejects.toMatchObject({ code: "meetingSetup:tooLong" });
    expect((await database.prisma.organization.findUniqueOrThrow({ where: { id: otherCommune.id } })).name).toBe("Đảng ủy xã Hà Thanh");
    expect((await database.prisma.organization.findUniqueOrThrow({ where: { id: tree.province.id } })).maxPostponeDays).toBeNull();
    expect((await services.organizations.settings("ha-ky")).settings.source.quietHours).toBeNull();
    expect(await auditRows()).toEqual([]);
  });

  it("adds a cell and a sub-branch under the commune, with the level rules of the command line", async () => {
    const { organizationAdmin } = services;
    const { created } = await organizationAdmin.addChild(adminOf(tree.commune), tree.commune.id, { level: "sub_branch", name: "Đảng bộ bộ phận Khối cơ quan" }, NOW);
    expect(created).toMatchObject({ level: "sub_branch", code: "dang-bo-bo-phan-khoi-co-quan", parentId: tree.commune.id, path: `${tree.commune.path}${created.id}/` });
    const { created: cell } = await organizationAdmin.addChild(adminOf(tree.commune), created.id, { level: "cell", name: "Chi bộ Công an xã", code: "ca-xa", cellKind: "agency" }, NOW);
    expect(cell).toMatchObject({ level: "cell", cellKind: "agency", parentId: created.id });
    // A sub-branch holds cells, not other sub-branches; a taken code is refused.
    await expect(organizationAdmin.addChild(adminOf(tree.commune), created.id, { level: "sub_branch", name: "Khối con" }, NOW)).rejects.toMatchObject({ code: "org:wrongParent" });
    await expect(organizationAdmin.addChild(adminOf(tree.commune), tree.commune.id, { level: "cell", name: "Chi bộ trùng", code: "thon-dong", cellKind: "village" }, NOW))
      .rejects.toMatchObject({ code: "org:codeTaken" });
    expect((await auditRows()).map((r) => [r.action, r.subjectId])).toEqual([["create", String(created.id)], ["create", String(cell.id)]]);
  });
});

describe("officers of an organization", () => {
  it("finds members of the subtree by name without diacritics, logs the read, and refuses a search too short", async () => {
    const { organizationOfficers } = services;
    await member("Nguyễn Văn Đào", (await services.organizations.findByCode("thon-bac")).id);
    const found = await organizationOfficers.search(tree.commune, "dao", { kind: "console", memberId: adminId }, NOW);
    expect(found.map((m) => m.fullName)).toEqual(["Nguyễn Thị Đào"]);
    const reads = await database.prisma.auditLog.findMany({ where: { action: "read", subjectType: "Member" } });
    expect(reads).toMatchObject([{ actorKind: "console", actorId: adminId, subjectId: String(tree.commune.id), detail: "search for a role: 1" }]);
    await expect(organizationOfficers.search(tree.commune, " d ", { kind: "console", memberId: adminId }, NOW)).rejects.toMatchObject({ code: "consoleOrganization:searchTooShort" });
  });

  it("gives a role to a member of the subtree only, and takes it back", async () => {
    const { organizationOfficers } = services;
    const outsider = await member("Đỗ Văn Khác", (await services.organizations.findByCode("thon-bac")).id);
    expect(await organizationOfficers.grant(adminOf(tree.commune), tree.commune.id, villager.id, "reviewer", NOW)).toBe(true);
    expect(await organizationOfficers.grant(adminOf(tree.commune), tree.commune.id, villager.id, "reviewer", NOW)).toBe(false);
    await expect(organizationOfficers.grant(adminOf(tree.commune), tree.commune.id, outsider.id, "reviewer", NOW)).rejects.toMatchObject({ code: "consoleOrganization:memberNotInSubtree" });
    await expect(organizationOfficers.grant(adminOf(tree.commune), tree.commune.id, villager.id, "member", NOW)).rejects.toMatchObject({ code: "org:unknownRole" });
    const officers = await organizationOfficers.officers(tree.commune, { kind: "console", memberId: adminId }, NOW);
    expect(officers.map((o) => [o.role, o.fullName])).toEqual([["reviewer", "Nguyễn Thị Đào"], ["administrator", "Phạm Văn Quản"]]);
    expect(await organizationOfficers.revoke(adminOf(tree.commune), tree.commune.id, villager.id, "reviewer", NOW)).toBe(true);
    expect(await database.prisma.role.count({ where: { memberId: villager.id, role: "reviewer" } })).toBe(0);
    const roleAudit = await database.prisma.auditLog.findMany({ where: { subjectType: "Role" } });
    expect(roleAudit.map((r) => [r.action, r.actorKind, r.actorId])).toEqual([["create", "console", adminId], ["delete", "console", adminId]]);
  });

  it("keeps an administrator from taking away their own role at the top of their scope, not one below it", async () => {
    const { organizationOfficers } = services;
    await expect(organizationOfficers.revoke(adminOf(tree.commune), tree.commune.id, adminId, "administrator", NOW))
      .rejects.toEqual(new DomainError("consoleOrganization:lastAdministrator", { name: "Đảng ủy xã Hà Kỳ" }));
    expect(await database.prisma.role.count({ where: { memberId: adminId, role: "administrator" } })).toBe(1);
    // An administrator role at a cell under the commune may go: the commune's still covers the cell.
    await database.prisma.role.create({ data: { memberId: adminId, organizationId: tree.village.id, role: "administrator" } });
    expect(await organizationOfficers.revoke(adminOf(tree.commune), tree.village.id, adminId, "administrator", NOW)).toBe(true);
    // Another administrator may take the commune's role away from them.
    const other = await member("Trần Văn Hai", tree.school.id);
    expect(await organizationOfficers.revoke(adminOf(tree.commune, other.id), tree.commune.id, adminId, "administrator", NOW)).toBe(true);
  });

  it("says when a role would leave its holder outside the organization", () => {
    const commune = { organizationId: 2, orgPath: "/1/2/" };
    const province = { organizationId: 1, orgPath: "/1/" };
    expect(leavesOwnScope([commune], { id: 2, path: "/1/2/" })).toBe(true);
    expect(leavesOwnScope([commune, province], { id: 2, path: "/1/2/" })).toBe(false);
    expect(leavesOwnScope([commune, { organizationId: 3, orgPath: "/1/2/3/" }], { id: 3, path: "/1/2/3/" })).toBe(false);
    expect(leavesOwnScope([{ organizationId: 3, orgPath: "/1/2/3/" }], { id: 3, path: "/1/2/3/" })).toBe(true);
  });
});

describe("the organization tree", () => {
  it("shows a small subtree whole, with active members and cells counted at every level and each cell's rule", async () => {
    await database.prisma.member.update({ where: { id: villager.id }, data: { deactivatedAt: NOW } });
    const [root] = await services.organizationTree.tree([tree.province.path]);
    expect(root).toMatchObject({ code: "hai-phong", members: 2, cells: 3, cellsOnItsPage: 0 });
    const commune = root!.children.find((c) => c.code === "ha-ky")!;
    expect(commune).toMatchObject({ members: 2, cells: 2 });
    expect(commune.children.map((c) => [c.code, c.members, c.rule?.rule])).toEqual([
      ["thon-dong", 1, { dayOfMonth: 7, time: "19:30" }],
      ["thcs-ha-ky", 1, { weekday: 4, nth: 1, time: "16:30" }],
    ]);
  });

  it("shows a large subtree down to the organizations holding cells, and their cells a page at a time", async () => {
    const small = createOrganizationTreeService({ db: database.prisma, wholeLimit: 3 });
    const [root] = await small.tree([tree.province.path]);
    expect(root!.children.map((c) => [c.code, c.children.length, c.cellsOnItsPage, c.cells])).toEqual([["ha-ky", 0, 2, 2], ["ha-thanh", 0, 1, 1]]);
    const firstPage = await small.overview(tree.commune, 1, 1);
    expect(firstPage).toMatchObject({ total: 2, pageCount: 2, self: { code: "ha-ky", members: 3 } });
    expect(firstPage.children.map((c) => c.code)).toEqual(["thon-dong"]);
    expect((await small.overview(tree.commune, 2, 1)).children.map((c) => c.code)).toEqual(["thcs-ha-ky"]);
  });
});
