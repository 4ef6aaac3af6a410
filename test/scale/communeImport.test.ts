import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { writeMemberXlsx } from "../fixtures/memberFiles.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";
import { buildCommune, memberName } from "./commune.ts";

/**
 * A commune's whole member list in one Excel file: 5,000 rows over 20 village cells, each cell with
 * a secretary and a deputy, one member in ten without a phone, one in twenty probationary.
 */
const ROWS = 5000;
const CELLS = 20;
const NOW = new Date("2026-11-01T03:00:00Z");

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let dir: string;
beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  await buildCommune(services, CELLS);
  dir = tempDir();
});
afterEach(() => database.cleanup());

function row(i: number): Record<string, string> {
  const position = i < CELLS ? "Bí thư" : i < 2 * CELLS ? "Phó bí thư" : "";
  return {
    "STT": String(i + 1),
    "Họ và tên": memberName(i + 1),
    "Ngày sinh": `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/19${50 + (i % 50)}`,
    "Số điện thoại": i % 10 === 9 ? "" : `09${String(10_000_000 + i)}`,
    "Chi bộ": `Chi bộ thôn ${(i % CELLS) + 1}`,
    "Chức vụ": position,
    "Ngày vào Đảng": "03/02/2005",
    "Ngày chính thức": i % 20 === 19 ? "" : "03/02/2006",
  };
}

const importFile = (filePath: string, dryRun = false) => services.memberImport.importFile({ filePath, orgCode: "ha-ky", dryRun, now: NOW, actor: CLI_ACTOR });

describe("importing a 5,000-row member list", () => {
  it("creates every member with their cell and position, then finds nothing to change in the same file", async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => row(i));
    const file = await writeMemberXlsx(dir, rows, { titleRows: ["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ HÀ KỲ"] });
    expect(await importFile(file, true)).toMatchObject({ ok: true, dryRun: true, created: ROWS, problems: [] });
    expect(await database.prisma.member.count()).toBe(0);

    expect(await importFile(file)).toMatchObject({ ok: true, created: ROWS, updated: 0, unchanged: 0, problems: [] });
    const db = database.prisma;
    expect(await db.member.count()).toBe(ROWS);
    expect(await db.member.count({ where: { phone: null } })).toBe(ROWS / 10);
    expect(await db.member.count({ where: { status: "probationary" } })).toBe(ROWS / 20);
    expect(await db.role.count({ where: { role: "member" } })).toBe(ROWS);
    expect(await db.role.count({ where: { role: "secretary" } })).toBe(CELLS);
    expect(await db.role.count({ where: { role: "deputy_secretary" } })).toBe(CELLS);
    // Each row's member is where the row put them, with the position it gave.
    const last = await db.member.findFirstOrThrow({ where: { fullName: memberName(ROWS) }, include: { cell: true, roles: true } });
    expect([last.cell.code, last.phone, last.birthDate, last.status, last.roles.map((r) => r.role)]).toEqual([`thon-${CELLS}`, null, "1999-05-16", "probationary", ["member"]]);
    const secretary = await db.member.findFirstOrThrow({ where: { fullName: memberName(7) }, include: { cell: true, roles: { include: { organization: true } } } });
    expect([secretary.cell.code, secretary.phone, secretary.roles.map((r) => `${r.role}@${r.organization.code}`).sort()]).toEqual(["thon-7", "0910000006", ["member@thon-7", "secretary@thon-7"]]);

    const before = await db.member.findMany({ orderBy: { id: "asc" } });
    expect(await importFile(file)).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: ROWS });
    expect(await db.member.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.importRun.count()).toBe(2);
  }, 60_000);

  it("an edited list updates only what changed and adds the new rows", async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => row(i));
    await importFile(await writeMemberXlsx(dir, rows));
    const edited = rows.map((r) => ({ ...r }));
    edited[100]!["Số điện thoại"] = "0987654321"; // a new phone
    edited[0]!["Chức vụ"] = ""; // the secretary of cell 1 steps down…
    edited[20]!["Chức vụ"] = "Bí thư"; // …and the deputy takes over
    edited[4321]!["Chi bộ"] = "Chi bộ thôn 3"; // moved house
    edited.push(row(ROWS), row(ROWS + 1));
    const report = await importFile(await writeMemberXlsx(dir, edited, { fileName: "danh-sach-moi.xlsx" }));
    expect(report).toMatchObject({ ok: true, created: 2, updated: 4, unchanged: ROWS - 4, problems: [] });
    const db = database.prisma;
    expect(await db.member.count()).toBe(ROWS + 2);
    expect((await db.member.findFirstOrThrow({ where: { fullName: memberName(101) } })).phone).toBe("0987654321");
    const cell1Secretaries = await db.role.findMany({ where: { role: "secretary", organization: { code: "thon-1" } }, include: { member: true } });
    expect(cell1Secretaries.map((r) => r.member.fullName)).toEqual([memberName(21)]);
    expect((await db.member.findFirstOrThrow({ where: { fullName: memberName(4322) }, include: { cell: true, roles: { include: { organization: true } } } })).roles.map((r) => r.organization.code)).toEqual(["thon-3"]);
  }, 60_000);

  it("a list without 1,200 of its members deactivates exactly them, whatever their number, and takes them back when listed again", async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => row(i));
    await importFile(await writeMemberXlsx(dir, rows));
    const db = database.prisma;
    const members = await db.member.findMany({ select: { id: true, fullName: true }, orderBy: { id: "asc" } });
    await db.chatIdentity.createMany({ data: members.map((m) => ({ memberId: m.id, channel: "telegram", externalUserId: String(m.id), chatId: String(m.id) })) });
    // Every fourth member past the officers leaves: more ids than one statement may bind.
    const leaves = (i: number) => i >= 2 * CELLS && i % 4 === 0;
    const leaving = rows.flatMap((r, i) => (leaves(i) ? [r["Họ và tên"]] : []));
    expect(leaving.length).toBeGreaterThan(1000);
    const shorter = await writeMemberXlsx(dir, rows.filter((_, i) => !leaves(i)), { fileName: "danh-sach-moi.xlsx" });
    const report = await importFile(shorter);
    expect(report).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: ROWS - leaving.length, activeInCells: ROWS, needsAllowDeactivate: false });
    expect(report.deactivated.map((m) => m.fullName).sort()).toEqual([...leaving].sort());
    expect(await db.member.count({ where: { deactivatedAt: { not: null } } })).toBe(leaving.length);
    expect(await db.chatIdentity.count()).toBe(ROWS - leaving.length);
    expect(await db.role.count()).toBe(ROWS - leaving.length + 2 * CELLS);
    expect(await db.auditLog.count({ where: { detail: "deactivated: not in danh-sach-moi.xlsx" } })).toBe(leaving.length);

    const back = await importFile(await writeMemberXlsx(dir, rows, { fileName: "danh-sach-day-du.xlsx" }));
    expect(back).toMatchObject({ ok: true, reactivated: leaving.length, updated: leaving.length, deactivated: [] });
    expect(await db.member.count({ where: { deactivatedAt: null } })).toBe(ROWS);
  }, 120_000);

  it("a list with one bad row among 5,000 imports nothing and names the row", async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => row(i));
    rows[4000]!["Chi bộ"] = "Chi bộ thôn Không Có";
    const report = await importFile(await writeMemberXlsx(dir, rows));
    expect(report).toMatchObject({ ok: false, created: 0 });
    expect(report.problems).toEqual([{ line: 4002, field: "cell", code: "import:unknownCell", params: { value: "Chi bộ thôn Không Có", org: "Đảng ủy xã Hà Kỳ" } }]);
    expect(await database.prisma.member.count()).toBe(0);
  }, 60_000);
});
