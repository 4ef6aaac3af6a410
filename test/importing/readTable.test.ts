import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { readTable } from "../../src/importing/readTable.ts";
import { writeMemberCsv, writeMemberXlsx } from "../fixtures/memberFiles.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-import-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readError(file: string): Promise<DomainError> {
  const error = await readTable(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("readTable on CSV", () => {
  it("drops the UTF-8 byte order mark so the first header reads clean", async () => {
    const file = writeMemberCsv(dir, [{ "Họ và tên": "Nguyễn Văn An", "Chi bộ": "Thôn 1" }]);
    expect(fs.readFileSync(file)[0]).toBe(0xef);
    const table = await readTable(file);
    expect(table.rows).toEqual([
      { line: 1, cells: ["Họ và tên", "Chi bộ"] },
      { line: 2, cells: ["Nguyễn Văn An", "Thôn 1"] },
    ]);
  });

  it("detects a semicolon delimiter even below a title line with commas", async () => {
    const file = writeMemberCsv(dir, [{ "Họ và tên": "Lê Thị Bình", "Chi bộ": "Thôn 2", "Ngày sinh": "01/02/1970" }], {
      delimiter: ";",
      titleRows: ["Đảng bộ xã Tân Lập, chi bộ thôn 2"],
    });
    const table = await readTable(file);
    expect(table.rows.map((row) => row.cells)).toEqual([
      ["Đảng bộ xã Tân Lập, chi bộ thôn 2"],
      ["Họ và tên", "Chi bộ", "Ngày sinh"],
      ["Lê Thị Bình", "Thôn 2", "01/02/1970"],
    ]);
  });

  it("keeps a quoted comma inside a name and counts lines of a multi-line cell", async () => {
    const file = writeMemberCsv(dir, [
      { "Họ và tên": "Trần Văn Cường, con", "Chi bộ": "Thôn 1" },
      { "Họ và tên": "Phạm Thị\r\nDung", "Chi bộ": "Thôn 1" },
      { "Họ và tên": "Hoàng Văn Em", "Chi bộ": "Thôn 1" },
    ]);
    const table = await readTable(file);
    expect(table.rows).toEqual([
      { line: 1, cells: ["Họ và tên", "Chi bộ"] },
      { line: 2, cells: ["Trần Văn Cường, con", "Thôn 1"] },
      { line: 3, cells: ["Phạm Thị\nDung", "Thôn 1"] },
      { line: 5, cells: ["Hoàng Văn Em", "Thôn 1"] },
    ]);
  });

  it("leaves out blank lines but keeps the line numbers of the rows after them", async () => {
    const file = path.join(dir, "blank.csv");
    fs.writeFileSync(file, "Danh sách\n\n,,\nHọ và tên,Chi bộ\nAn,Thôn 1\n");
    const table = await readTable(file);
    expect(table.rows.map((row) => row.line)).toEqual([1, 4, 5]);
  });

  it("refuses a CSV saved in a Windows code page instead of garbling names", async () => {
    const file = path.join(dir, "cp1258.csv");
    fs.writeFileSync(file, Buffer.from([0x48, 0xe4, 0x20, 0x4e, 0x6f, 0x69, 0x0d, 0x0a]));
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:notUtf8", { file: "cp1258.csv" }]);
  });

  it("reports the line where an unclosed quote opens, not the end of the file", async () => {
    const file = path.join(dir, "quote.csv");
    fs.writeFileSync(file, 'Họ và tên,Chi bộ\nAn,Thôn 1\n"Bình,Thôn 2\nChi,Thôn 3\n');
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:malformedCsv", { file: "quote.csv", line: 3 }]);
  });
});

describe("readTable on XLSX", () => {
  it("reads the first sheet as the text a secretary sees, with Excel row numbers", async () => {
    const file = await writeMemberXlsx(
      dir,
      [{ "Họ và tên": "Nguyễn Văn An", "Ngày sinh": new Date(Date.UTC(1955, 2, 15)), "SĐT": 912345678, "Hệ số": 2.5 }],
      {
        titleRows: ["DANH SÁCH ĐẢNG VIÊN"],
        customize: (sheet) => {
          sheet.getCell("A4").value = { richText: [{ text: "Lê Thị ", font: { bold: true } }, { text: "Bình" }] };
          sheet.getCell("B4").value = { formula: "DATE(1960,1,31)", result: new Date(Date.UTC(1960, 0, 31)) };
          sheet.getCell("C4").value = { text: "0987654321", hyperlink: "tel:0987654321" };
          sheet.getCell("D4").value = { formula: "1/0", result: { error: "#DIV/0!" } };
          sheet.workbook.addWorksheet("Ghi chú").addRow(["not read"]);
        },
      },
    );
    const table = await readTable(file);
    expect(table.rows).toEqual([
      { line: 1, cells: ["DANH SÁCH ĐẢNG VIÊN"] },
      { line: 2, cells: ["Họ và tên", "Ngày sinh", "SĐT", "Hệ số"] },
      { line: 3, cells: ["Nguyễn Văn An", "1955-03-15", "912345678", "2.5"] },
      { line: 4, cells: ["Lê Thị Bình", "1960-01-31", "0987654321", "#DIV/0!"] },
    ]);
  });

  it("gives every row the value of a cell merged down over several rows", async () => {
    const file = await writeMemberXlsx(
      dir,
      [
        { "Họ và tên": "An", "Chi bộ": "Thôn 1" },
        { "Họ và tên": "Bình", "Chi bộ": "" },
      ],
      { customize: (sheet) => sheet.mergeCells("B2:B3") },
    );
    const table = await readTable(file);
    expect(table.rows.map((row) => row.cells)).toEqual([
      ["Họ và tên", "Chi bộ"],
      ["An", "Thôn 1"],
      ["Bình", "Thôn 1"],
    ]);
  });

  it("says a damaged workbook is unreadable", async () => {
    const file = path.join(dir, "hong.xlsx");
    fs.writeFileSync(file, "this is not a zip file");
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:unreadable", { file: "hong.xlsx" }]);
  });
});

describe("readTable on other files", () => {
  it("refuses an old .xls or any other extension", async () => {
    const file = path.join(dir, "danh-sach.xls");
    fs.writeFileSync(file, "x");
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:unsupportedFormat", { file: "danh-sach.xls" }]);
  });

  it("names only the file, not its folder, when it does not exist", async () => {
    const error = await readError(path.join(dir, "khong-co.csv"));
    expect([error.code, error.params]).toEqual(["import:fileNotFound", { file: "khong-co.csv" }]);
  });
});
