import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fieldOfHeader, MEMBER_FIELDS } from "../../src/importing/columns.ts";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let dir: string;
let run: (args: string[]) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  dir = tempDir();
  run = (args) => chibo(args, { databaseUrl: database.url, now: "2026-11-22T03:00:00Z" });
});
afterEach(async () => {
  await database.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cellText = (value: ExcelJS.CellValue) => (value === null || value === undefined ? "" : String(value));

describe("admin CLI: the member list template", () => {
  it("writes the columns the importer reads, an example and instructions, and imports cleanly once a row is filled", async () => {
    await run(["demo"]);
    await run(["org", "add-cell", "Chi bộ thôn Bắc", "--parent", "demo-xa", "--kind", "village", "--day", "7", "--time", "19:30", "--code", "demo-thon-bac"]);
    const file = path.join(dir, "danh-sach.xlsx");
    const written = await run(["members", "template", file, "--org", "demo-xa"]);
    expect(written.code).toBe(0);
    expect(written.stdout.split("\n")).toEqual([
      `Đã tạo mẫu danh sách đảng viên ${file}: trang «Danh sách» có dòng tiêu đề và một dòng ví dụ (khi nhập được bỏ qua), trang «Hướng dẫn» giải thích từng cột.`,
      "Ô «Chi bộ» có sẵn tên 5 chi bộ thuộc Đảng ủy xã Hòa Bình để chọn.",
      `Điền xong, kiểm tra trước khi nhập: «npm run chibo -- members import ${file} --org demo-xa --dry-run».`,
    ]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const [list, help] = workbook.worksheets;
    const headers = (list!.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(cellText);
    expect(headers.map((h) => fieldOfHeader(h))).toEqual(["rowNumber", ...MEMBER_FIELDS]);
    expect((list!.getRow(2).values as ExcelJS.CellValue[]).slice(1).map(cellText)).toEqual(
      ["Ví dụ", "Nguyễn Văn An", "15/03/1960", "0912345678", "Chi bộ thôn Đông", "Bí thư", "10/05/1985", "10/05/1986"],
    );
    expect(help!.name).toBe("Hướng dẫn");
    const instructions: string[] = [];
    help!.eachRow((row) => instructions.push(cellText(row.getCell(1).value)));
    expect(instructions[0]).toBe("Cách điền danh sách đảng viên để nhập vào chibo");
    for (const header of headers.slice(1)) expect(instructions.some((line) => line.startsWith(`${header}:`))).toBe(true);
    expect(instructions.slice(-5)).toEqual(["Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ thôn Nam", "Chi bộ Trường Tiểu học Hòa Bình", "Chi bộ thôn Bắc"]);
    // Typed into the prepared cells as a secretary would: text, so the phone keeps its leading 0.
    expect(list!.getCell("D3").numFmt).toBe("@");

    const row = list!.getRow(3);
    ["1", "Lê Thị Hoa", "02/09/1975", "0987111222", "Chi bộ thôn Bắc", "", "03/02/2000", "03/02/2001"].forEach((value, i) => {
      if (value) row.getCell(i + 1).value = value;
    });
    await workbook.xlsx.writeFile(file);

    const dry = await run(["members", "import", file, "--org", "demo-xa", "--dry-run"]);
    expect(dry.stdout).toBe("Tệp hợp lệ. Nếu nhập sẽ: thêm 1, cập nhật 0, giữ nguyên 0 đảng viên. (Chưa lưu gì.)");
    expect(dry.code).toBe(0);
    const done = await run(["members", "import", file, "--org", "demo-xa"]);
    expect(done.stdout).toBe("Đã nhập: thêm 1, cập nhật 0, giữ nguyên 0 đảng viên.");
    expect(await database.prisma.member.findFirst({ where: { phone: "0987111222" }, include: { cell: true } }))
      .toMatchObject({ fullName: "Lê Thị Hoa", birthDate: "1975-09-02", status: "full", cell: { code: "demo-thon-bac" } });
    // The example row stayed in the file and was not imported.
    expect(await database.prisma.member.count({ where: { fullName: "Nguyễn Văn An" } })).toBe(0);
  });

  it("needs no database without --org, and never writes over a file unless --force", async () => {
    const file = path.join(dir, "mau.xlsx");
    const missing = `file:${path.join(dir, "khong-co.db")}`;
    expect((await chibo(["members", "template", file], { databaseUrl: missing })).code).toBe(0);
    expect(fs.existsSync(path.join(dir, "khong-co.db"))).toBe(false);
    const again = await chibo(["members", "template", file, "--lang", "en"], { databaseUrl: missing });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`The file ${file} already exists and was not overwritten. Choose another name, or add --force to overwrite it.`);
    expect((await chibo(["members", "template", file, "--force"], { databaseUrl: missing })).code).toBe(0);
  });
});

describe("admin CLI: an import's problems", () => {
  it("lists everything wrong with a row at once, the checks against the database included, column by column", async () => {
    await run(["demo"]);
    const someone = await database.prisma.member.findFirstOrThrow({ where: { phone: { not: null } }, orderBy: { id: "asc" } });
    const file = writeMemberCsv(dir, [
      { "Họ và tên": "Nguyễn Văn Sai", "Ngày sinh": "30/02/1960", "Số điện thoại": "abc", "Chi bộ": "Chi bộ không có", "Chức vụ": "Trưởng thôn", "Ngày vào Đảng": "01/01/1990", "Ngày chính thức": "01/01/1989" },
      { "Họ và tên": "Trần Văn Khác", "Ngày sinh": "01/01/1970", "Số điện thoại": someone.phone!, "Chi bộ": "Chi bộ cũng không có", "Chức vụ": "", "Ngày vào Đảng": "01/01/1995", "Ngày chính thức": "01/01/1996" },
    ]);
    const result = await run(["members", "import", file, "--org", "demo-xa", "--dry-run"]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")).toEqual([
      "Dòng 2, cột Ngày sinh: Ngày «30/02/1960» không có thật trên lịch (ví dụ tháng 2 không có ngày 30, 31).",
      "Dòng 2, cột Số điện thoại: Số điện thoại «abc» không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc số máy bàn bắt đầu bằng 02).",
      "Dòng 2, cột Chi bộ: Không tìm thấy chi bộ «Chi bộ không có» thuộc Đảng ủy xã Hòa Bình: hãy kiểm tra lại tên chi bộ.",
      "Dòng 2, cột Chức vụ: Không hiểu chức vụ «Trưởng thôn»: hãy ghi «Bí thư», «Phó Bí thư», «Chi ủy viên», hoặc để trống với đảng viên.",
      "Dòng 2, cột Ngày chính thức: Ngày chính thức «01/01/1989» phải sau ngày vào Đảng «01/01/1990» (thường sau 12 tháng dự bị).",
      `Dòng 3, cột Số điện thoại: Số điện thoại «${someone.phone}» đã được dùng cho một đảng viên khác (${someone.fullName}).`,
      "Dòng 3, cột Chi bộ: Không tìm thấy chi bộ «Chi bộ cũng không có» thuộc Đảng ủy xã Hòa Bình: hãy kiểm tra lại tên chi bộ.",
      "Tệp có 7 lỗi nên chưa nhập dòng nào. Sửa các dòng trên rồi nhập lại.",
    ]);
    expect(await database.prisma.member.count()).toBe(60);
  });
});
