import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTranslator } from "../../src/i18n.ts";
import { addresseeLabel } from "../../src/services/addresseeLabel.ts";
import { openDatabase, type Database } from "../../src/storage/database.ts";
import { migrateSqlite } from "../../src/storage/migrate.ts";
import { tempDir } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";

/** Written by the version before organization levels (see test/fixtures/databases/README.md). */
const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/databases/district-era.db");

const opened: { database: Database; dir: string }[] = [];
afterEach(async () => {
  for (const { database, dir } of opened.splice(0)) {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function migratedCopy() {
  const dir = tempDir();
  const file = path.join(dir, "chibo.db");
  fs.copyFileSync(FIXTURE, file);
  const database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 });
  opened.push({ database, dir });
  return { database, file, services: buildServices(database.prisma), db: database.prisma };
}

describe("a database of the district era, carried forward", () => {
  it("applies only the migrations written since, once", async () => {
    const { database, file } = await migratedCopy();
    expect(database.migrations?.applied).toEqual([expect.stringMatching(/_organization_levels$/), expect.stringMatching(/_notice_delivery_at_queueing$/), expect.stringMatching(/_hardening_and_member_data$/),
      expect.stringMatching(/_committee_console$/), expect.stringMatching(/_feedback_search_text$/)]);
    expect(migrateSqlite(file).applied).toEqual([]);
  });

  it("makes the district the top organization, its communes base organizations of kind commune", async () => {
    const { services } = await migratedCopy();
    const tree = await services.organizations.tree();
    expect(tree.map(({ org, depth }) => [depth, org.code, org.level, org.unitKind ?? org.cellKind])).toEqual([
      [0, "demo-huyen", "province", "province"],
      [1, "demo-xa", "base", "commune"],
      [2, "demo-thon-dong", "cell", "village"],
      [2, "demo-thon-tay", "cell", "village"],
      [2, "demo-thon-nam", "cell", "village"],
      [2, "demo-truong-th", "cell", "school"],
    ]);
  });

  it("keeps the district's settings, now inherited by its cells from the top organization", async () => {
    const { services } = await migratedCopy();
    const { settings } = await services.organizations.settings("demo-thon-dong");
    expect(settings.maxPostponeDays).toBe(3);
    expect(settings.source.maxPostponeDays?.code).toBe("demo-huyen");
    expect(settings.schedule.digest).toEqual({ weekday: 5, at: "16:00" });
    expect(settings.schedule.answerDeadlineWorkingDays).toBe(7);
    expect(settings.source.answerDeadlineWorkingDays?.code).toBe("demo-huyen");
    expect(settings.source.addressees).toBeNull();
  });

  it("keeps the holidays listed on the district and on the commune, next to the built-in ones", async () => {
    const { services } = await migratedCopy();
    const days2027 = await services.organizations.holidays("demo-thon-dong", 2027);
    expect(days2027.find((d) => d.date === "2027-02-06")).toMatchObject({ name: "Tết Nguyên đán", dayOff: true, decidedBy: { code: "demo-huyen" } });
    // The old demo listed New Year's Day on its district; now also a built-in day off.
    expect(days2027.find((d) => d.date === "2027-01-01")).toMatchObject({ statutoryKey: "new_year", name: "Tết Dương lịch", decidedBy: { code: "demo-huyen" } });
    expect(days2027.find((d) => d.date === "2027-04-30")).toMatchObject({ statutoryKey: "reunification", decidedBy: null });
    const days2026 = await services.organizations.holidays("demo-thon-dong", 2026);
    expect(days2026.find((d) => d.date === "2026-12-22")).toMatchObject({ name: "Ngày hội làng", decidedBy: { code: "demo-xa" } });
  });

  it("reads the feedback addressed to the district's bodies as addressed to the party committee that replaced it", async () => {
    const { db } = await migratedCopy();
    const items = await db.feedback.findMany({ orderBy: { id: "asc" }, select: { addressee: true, agencyName: true } });
    expect(items).toEqual([
      { addressee: "party_committee", agencyName: null },
      { addressee: "party_committee", agencyName: null },
      { addressee: "peoples_council", agencyName: null },
      { addressee: "peoples_committee", agencyName: null },
      { addressee: "agency", agencyName: "Phòng Tài nguyên và Môi trường huyện" },
    ]);
    // Every item keeps its reference, now numbered within the top organization of its cell.
    const top = await db.organization.findUniqueOrThrow({ where: { code: "demo-huyen" } });
    const numbered = await db.feedback.findMany({ select: { topOrganizationId: true, reference: true } });
    expect(numbered.map((item) => item.topOrganizationId)).toEqual(numbered.map(() => top.id));
    expect(numbered.every((item) => /^GY-\d{4}-\d{6}$/.test(item.reference))).toBe(true);
    const t = createTranslator().t("vi");
    expect(items.map((item) => addresseeLabel(t, item, "commune"))).toEqual([
      "Đảng ủy xã", "Đảng ủy xã", "Hội đồng nhân dân xã", "Ủy ban nhân dân xã", "Cơ quan, đoàn thể: Phòng Tài nguyên và Môi trường huyện",
    ]);
  });

  it("runs the old demo as before: its meetings, its superior committee and a demo run that finds it", async () => {
    const { services, db } = await migratedCopy();
    const { meetings } = await services.meetings.upcoming("demo-huyen", { from: new Date("2026-12-03T03:00:00Z"), count: 1 });
    expect(meetings).toHaveLength(4);
    const cell = await services.organizations.findByCode("demo-thon-dong");
    expect((await services.organizations.superiorOf(cell))?.code).toBe("demo-xa");
    const { created, members } = await services.demo.load(new Date("2026-12-03T03:00:00Z"), { kind: "cli" });
    expect(created).toBe(false);
    expect(members).toHaveLength(60);
    expect(await db.member.count()).toBe(60);
  });
});
