import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const COMMUNES = 40;
const CELLS_PER_COMMUNE = 40;

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

/**
 * A province of 40 merged communes with 40 cells each (1,600 cells: past SQLite's 999 bound
 * parameters, so a query naming each cell fails), written with plain SQL in one transaction.
 */
function buildProvince(file: string) {
  const db = new Sqlite(file);
  const now = new Date("2026-11-01T00:00:00Z").toISOString().replace("Z", "+00:00");
  const org = db.prepare(`INSERT INTO "Organization" ("level", "cellKind", "unitKind", "name", "searchName", "code", "parentId", "path", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)`);
  const setPath = db.prepare(`UPDATE "Organization" SET "path" = ? WHERE "id" = ?`);
  const rule = db.prepare(`INSERT INTO "MeetingRule" ("cellId", "kind", "dayOfMonth", "time", "shiftOffDays", "createdAt", "updatedAt") VALUES (?, 'dayOfMonth', ?, '19:30', 1, ?, ?)`);
  db.transaction(() => {
    const province = Number(org.run("province", null, "province", "Tỉnh ủy Hòa An", "tinh uy hoa an", "hoa-an", null, now, now).lastInsertRowid);
    setPath.run(`/${province}/`, province);
    for (let c = 1; c <= COMMUNES; c++) {
      const commune = Number(org.run("base", null, "commune", `Đảng ủy xã ${c}`, `dang uy xa ${c}`, `xa-${c}`, province, now, now).lastInsertRowid);
      setPath.run(`/${province}/${commune}/`, commune);
      for (let k = 1; k <= CELLS_PER_COMMUNE; k++) {
        const cell = Number(org.run("cell", "village", null, `Chi bộ thôn ${c}.${k}`, `chi bo thon ${c}.${k}`, `thon-${c}-${k}`, commune, now, now).lastInsertRowid);
        setPath.run(`/${province}/${commune}/${cell}/`, cell);
        // Most cells meet on the 7th; one in ten on the 1st, which is New Year's Day in January 2027.
        rule.run(cell, k % 10 === 0 ? 1 : 7, now, now);
      }
    }
  })();
  db.close();
}

describe("meetings of a whole province", () => {
  it("lists the next meeting of each of 1,600 cells, moved off New Year's Day and with a commune's own day off", async () => {
    buildProvince(database.file);
    const run = (args: string[]) => chibo(args, { databaseUrl: database.url, now: "2026-12-15T03:00:00Z" });
    expect((await run(["org", "add-holiday", "xa-3", "2027-01-07", "Hội làng"])).code).toBe(0);
    const upcoming = await run(["meetings", "upcoming", "hoa-an", "--json"]);
    expect(upcoming.stderr).toBe("");
    expect(upcoming.code).toBe(0);
    const { meetings, cellsWithoutRule } = JSON.parse(upcoming.stdout) as { meetings: { cellCode: string; startsAt: string }[]; cellsWithoutRule: string[] };
    expect(meetings).toHaveLength(COMMUNES * CELLS_PER_COMMUNE);
    expect(cellsWithoutRule).toEqual([]);
    const startOf = (code: string) => meetings.find((m) => m.cellCode === code)?.startsAt;
    expect(startOf("thon-1-1")).toBe("2027-01-07T12:30:00.000Z"); // Thursday 7 January
    expect(startOf("thon-1-10")).toBe("2027-01-04T12:30:00.000Z"); // 1 January off, then the weekend: Monday 4
    expect(startOf("thon-3-1")).toBe("2027-01-08T12:30:00.000Z"); // the commune's own day off on the 7th
    expect(startOf("thon-4-1")).toBe("2027-01-07T12:30:00.000Z"); // not in another commune
  });
});
