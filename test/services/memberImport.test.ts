import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../../src/services/audit.ts";
import { writeMemberCsv, writeMemberXlsx } from "../fixtures/memberFiles.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let dir: string;
const NOW = new Date("2026-11-01T03:00:00Z");

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  await buildSmallTree(services);
  dir = tempDir();
});
afterEach(() => database.cleanup());

const GOOD_ROWS = [
  { "STT": "1", "Họ và tên": "Nguyễn Văn Hùng", "Ngày sinh": "12/03/1958", "Số điện thoại": "0912 345 678", "Chi bộ": "Chi bộ thôn Đông", "Chức vụ": "Bí thư", "Ngày vào Đảng": "03/02/1985", "Ngày chính thức": "03/02/1986" },
  { "STT": "2", "Họ và tên": "Trần Thị Lan", "Ngày sinh": "05/09/1990", "Số điện thoại": "", "Chi bộ": "thôn Đông", "Chức vụ": "Phó bí thư", "Ngày vào Đảng": "19/05/2015", "Ngày chính thức": "19/05/2016" },
  { "STT": "3", "Họ và tên": "Lê Minh Tuấn", "Ngày sinh": "20/11/1985", "Số điện thoại": "+84 983 111 222", "Chi bộ": "Chi bộ Trường THCS Hà Kỳ", "Chức vụ": "", "Ngày vào Đảng": "01/06/2026", "Ngày chính thức": "" },
];

function importFile(filePath: string, dryRun = false) {
  return services.memberImport.importFile({ filePath, orgCode: "ha-ky", dryRun, now: NOW, actor: CLI_ACTOR });
}

describe("importing a secretary's member list into the database", () => {
  it("imports a CSV with members, positions and probation, and logs the import", async () => {
    const report = await importFile(writeMemberCsv(dir, GOOD_ROWS));
    expect(report).toMatchObject({ ok: true, created: 3, updated: 0, unchanged: 0, problems: [] });
    const members = await database.prisma.member.findMany({ include: { cell: true, roles: true }, orderBy: { id: "asc" } });
    expect(members.map((m) => [m.fullName, m.phone, m.cell.code, m.status, m.birthDate, m.admittedOn, m.fullMembershipOn, m.roles.map((r) => r.role).sort()])).toEqual([
      ["Nguyễn Văn Hùng", "0912345678", "thon-dong", "full", "1958-03-12", "1985-02-03", "1986-02-03", ["member", "secretary"]],
      ["Trần Thị Lan", null, "thon-dong", "full", "1990-09-05", "2015-05-19", "2016-05-19", ["deputy_secretary", "member"]],
      ["Lê Minh Tuấn", "0983111222", "thcs-ha-ky", "probationary", "1985-11-20", "2026-06-01", null, ["member"]],
    ]);
    expect(members[0]?.searchName).toBe("nguyen van hung");
    const log = await database.prisma.auditLog.findMany();
    expect(log.map((l) => [l.actorKind, l.action, l.subjectType])).toEqual([["cli", "import", "Member"]]);
    expect(await database.prisma.importRun.count()).toBe(1);
  });

  it("changes nothing when the same XLSX file is imported again", async () => {
    const file = await writeMemberXlsx(dir, GOOD_ROWS, { titleRows: ["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ HÀ KỲ"] });
    expect(await importFile(file)).toMatchObject({ ok: true, created: 3 });
    const before = await database.prisma.member.findMany({ include: { roles: true }, orderBy: { id: "asc" } });
    expect(await importFile(file)).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 3 });
    const after = await database.prisma.member.findMany({ include: { roles: true }, orderBy: { id: "asc" } });
    expect(after).toEqual(before);
  });

  it("updates a changed member and moves the secretary role when the list says so", async () => {
    await importFile(writeMemberCsv(dir, GOOD_ROWS));
    const changed = GOOD_ROWS.map((row) => ({ ...row }));
    changed[0]!["Chức vụ"] = "Đảng viên";
    changed[1]!["Chức vụ"] = "Bí thư";
    changed[1]!["Số điện thoại"] = "0977000111";
    const report = await importFile(writeMemberCsv(dir, changed, { fileName: "v2.csv" }));
    expect(report).toMatchObject({ ok: true, created: 0, updated: 2, unchanged: 1 });
    const secretaries = await database.prisma.role.findMany({ where: { role: "secretary" }, include: { member: true } });
    expect(secretaries.map((r) => r.member.fullName)).toEqual(["Trần Thị Lan"]);
    expect((await database.prisma.member.findFirst({ where: { fullName: "Trần Thị Lan" } }))?.phone).toBe("0977000111");
  });

  it("reports every bad row with its line in a dry run, and a real import of that file saves nothing", async () => {
    const rows = [
      ...GOOD_ROWS,
      { "STT": "4", "Họ và tên": "Phạm Văn Nam", "Ngày sinh": "31/02/1960", "Số điện thoại": "12345", "Chi bộ": "Chi bộ thôn Đông", "Chức vụ": "Trưởng thôn", "Ngày vào Đảng": "01/01/1990", "Ngày chính thức": "01/01/1991" },
      { "STT": "5", "Họ và tên": "Vũ Thị Hoa", "Ngày sinh": "01/01/1970", "Số điện thoại": "0912345678", "Chi bộ": "Chi bộ thôn Bắc", "Chức vụ": "", "Ngày vào Đảng": "01/01/2000", "Ngày chính thức": "01/01/2001" },
    ];
    const file = writeMemberCsv(dir, rows);
    const dry = await importFile(file, true);
    expect(dry.ok).toBe(false);
    expect(dry.problems.map((p) => [p.line, p.field, p.code])).toEqual([
      [5, "birthDate", "import:impossibleDate"],
      [5, "phone", "import:invalidPhone"],
      [5, "position", "import:unknownPosition"],
      [6, "phone", "import:duplicatePhone"],
      // A row already wrong is still checked against the database: its cell is not under the commune.
      [6, "cell", "import:unknownCell"],
    ]);
    const real = await importFile(file);
    expect(real).toMatchObject({ ok: false, created: 0, updated: 0, unchanged: 0 });
    expect(await database.prisma.member.count()).toBe(0);
    expect(await database.prisma.auditLog.count()).toBe(0);
  });

  it("refuses a cell that is not in the chosen subtree", async () => {
    const rows = [{ ...GOOD_ROWS[0]!, "Chi bộ": "Chi bộ thôn Bắc" }];
    const report = await importFile(writeMemberCsv(dir, rows));
    expect(report.problems).toEqual([{ line: 2, field: "cell", code: "import:unknownCell", params: { value: "Chi bộ thôn Bắc", org: "Đảng ủy xã Hà Kỳ" } }]);
    expect(await database.prisma.member.count()).toBe(0);
  });

  it("refuses a phone that belongs to another member already in the database", async () => {
    await importFile(writeMemberCsv(dir, GOOD_ROWS));
    const rows = [{ ...GOOD_ROWS[0]!, "Họ và tên": "Đỗ Văn Khác", "Ngày sinh": "01/01/1960" }];
    const report = await importFile(writeMemberCsv(dir, rows, { fileName: "other.csv" }));
    expect(report.problems.map((p) => [p.line, p.code])).toEqual([[2, "import:phoneBelongsToOther"]]);
    expect(await database.prisma.member.count()).toBe(3);
  });

  it("says which file could not be found, without its folder", async () => {
    await expect(importFile(path.join(dir, "khong-co.xlsx"))).rejects.toMatchObject({ code: "import:fileNotFound", params: { file: "khong-co.xlsx" } });
  });
});
