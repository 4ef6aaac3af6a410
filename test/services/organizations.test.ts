import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
});
afterEach(() => database.cleanup());

describe("the organization tree", () => {
  it("builds province → commune → cells with materialized paths and rules", async () => {
    const { province, commune, village, school } = await buildSmallTree(services);
    expect(commune.path).toBe(`/${province.id}/${commune.id}/`);
    expect(village.path.startsWith(commune.path)).toBe(true);
    const rules = await database.prisma.meetingRule.findMany({ orderBy: { cellId: "asc" } });
    expect(rules.map((r) => [r.cellId, r.kind, r.dayOfMonth, r.weekday, r.nth, r.time])).toEqual([
      [village.id, "dayOfMonth", 7, null, null, "19:30"],
      [school.id, "nthWeekday", null, 4, 1, "16:30"],
    ]);
    const tree = await services.organizations.tree();
    expect(tree.map((e) => [e.org.code, e.depth])).toEqual([["hai-phong", 0], ["ha-ky", 1], ["thon-dong", 2], ["thcs-ha-ky", 2]]);
    expect((await services.organizations.cellsUnder("ha-ky")).map((c) => c.code)).toEqual(["thon-dong", "thcs-ha-ky"]);
  });

  it("lets a chi bộ cơ sở sit directly under the province but not a cell under a cell", async () => {
    await buildSmallTree(services);
    const direct = await services.organizations.add({ level: "cell", name: "Chi bộ Văn phòng Thành ủy", parentCode: "hai-phong", cellKind: "agency" });
    expect(direct.code).toBe("chi-bo-van-phong-thanh-uy");
    await expect(services.organizations.add({ level: "cell", name: "Chi bộ con", parentCode: "thon-dong", cellKind: "village" }))
      .rejects.toMatchObject({ code: "org:wrongParent" });
  });

  it.each([
    [{ level: "cell" as const, name: "Chi bộ X", parentCode: "ha-ky", cellKind: "farm" }, "org:unknownCellKind"],
    [{ level: "cell" as const, name: "Chi bộ X", parentCode: "nowhere", cellKind: "village" }, "org:notFound"],
    [{ level: "cell" as const, name: "Chi bộ X", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 32, time: "19:30" } }, "schedule:invalidDayOfMonth"],
    [{ level: "cell" as const, name: "Chi bộ X", parentCode: "ha-ky", cellKind: "village", rule: { dayOfMonth: 7, time: "25:00" } }, "schedule:invalidTime"],
    [{ level: "base" as const, name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" }, "org:codeTaken"],
    [{ level: "base" as const, name: "   ", parentCode: "hai-phong" }, "org:nameRequired"],
    [{ level: "base" as const, name: "Xã Y", code: "Bad Code!", parentCode: "hai-phong" }, "org:invalidCode"],
  ])("refuses %j with %s and saves nothing", async (input, code) => {
    await buildSmallTree(services);
    const before = await database.prisma.organization.count();
    const error = await services.organizations.add(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect(await database.prisma.organization.count()).toBe(before);
  });

  it("sets a postponement limit and a holiday on any organization, the nearest one applying below it", async () => {
    await buildSmallTree(services);
    await services.organizations.setPostponeLimit("hai-phong", 3);
    await services.organizations.addHoliday("hai-phong", "2026-09-02", "Quốc khánh");
    expect((await services.organizations.settings("thon-dong")).settings.maxPostponeDays).toBe(3);
    await services.organizations.setPostponeLimit("ha-ky", 1);
    expect((await services.organizations.settings("thon-dong")).settings).toMatchObject({ maxPostponeDays: 1, source: { maxPostponeDays: { code: "ha-ky" } } });
    expect((await services.organizations.settings("hai-phong")).settings.maxPostponeDays).toBe(3);
    await expect(services.organizations.setPostponeLimit("hai-phong", 40)).rejects.toMatchObject({ code: "schedule:invalidMaxPostponeDays" });
    await expect(services.organizations.addHoliday("hai-phong", "2026-02-30", "X")).rejects.toMatchObject({ code: "org:invalidHolidayDate" });
    const province = await services.organizations.findByCode("hai-phong");
    expect(province.maxPostponeDays).toBe(3);
    expect(await database.prisma.holiday.count()).toBe(1);
  });
});
