import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { checkXlsxPackage, MAX_CELL_CHARS, MAX_CELLS, MAX_FILE_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES } from "../../src/importing/limits.ts";
import { readTable } from "../../src/importing/readTable.ts";
import { writeMemberCsv, writeMemberXlsx } from "../fixtures/memberFiles.ts";
import { readZip, sheetXml, writeZip } from "../fixtures/zipFiles.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase } from "../helpers/db.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-limits-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readError(file: string): Promise<DomainError> {
  const error = await readTable(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** A real workbook (as Excel's writer makes it) whose first sheet is replaced by `sheet`. */
async function workbookWithSheet(sheet: string, options: { declaredBytes?: number; fileName?: string } = {}): Promise<string> {
  const base = await writeMemberXlsx(dir, [{ "Họ và tên": "Nguyễn Văn An", "Chi bộ": "Thôn 1" }], { fileName: "base.xlsx" });
  const entries = readZip(fs.readFileSync(base)).map((entry) =>
    entry.name === "xl/worksheets/sheet1.xml"
      ? { name: entry.name, data: Buffer.from(sheet, "utf8"), ...(options.declaredBytes === undefined ? {} : { declaredBytes: options.declaredBytes }) }
      : entry,
  );
  const file = path.join(dir, options.fileName ?? "danh-sach.xlsx");
  fs.writeFileSync(file, writeZip(entries));
  return file;
}

/** A sheet with a 60 MB cell: it deflates to well under a megabyte. */
const HOSTILE_SHEET = sheetXml([["Họ và tên", "Chi bộ"], ["A".repeat(60 * 1024 * 1024), "Thôn 1"]]);

describe("member files past the limits", () => {
  it("refuses a small .xlsx whose sheet unpacks to 60 MB from its zip directory, before parsing it", async () => {
    const file = await workbookWithSheet(HOSTILE_SHEET);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const error = await readError(file);
    // Parsed, it would be refused for its long cell; refused unopened, it names the unpacked size.
    expect([error.code, error.params]).toEqual(["import:unpackedTooLarge", { file: "danh-sach.xlsx", maxMb: MAX_UNPACKED_BYTES / 1024 / 1024 }]);
  });

  it("refuses an .xlsx whose zip directory understates what an entry unpacks to", async () => {
    const file = await workbookWithSheet(HOSTILE_SHEET, { declaredBytes: 2048 });
    const bytes = fs.readFileSync(file);
    const error = (() => {
      try {
        checkXlsxPackage(bytes, "danh-sach.xlsx");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: "import:unreadable" });
    expect((await readError(file)).code).toBe("import:unreadable");
  });

  it("refuses a file larger than the size limit without reading it", async () => {
    const file = path.join(dir, "lon.csv");
    fs.writeFileSync(file, Buffer.alloc(MAX_FILE_BYTES + 1, "a"));
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:fileTooLarge", { file: "lon.csv", maxMb: 10 }]);
  });

  it("names the row and column of a cell longer than the limit, in a CSV and in a workbook", async () => {
    const long = "x".repeat(MAX_CELL_CHARS + 1);
    const csv = writeMemberCsv(dir, [{ "Họ và tên": "An", "Chi bộ": "Thôn 1", "Ghi chú": "" }, { "Họ và tên": "Bình", "Chi bộ": "Thôn 1", "Ghi chú": long }]);
    expect((await readError(csv)).params).toEqual({ file: "danh-sach.csv", line: 3, column: "C", max: MAX_CELL_CHARS });
    expect((await readError(csv)).code).toBe("import:cellTooLong");

    const xlsx = await writeMemberXlsx(dir, [{ "Họ và tên": "An", "Chi bộ": long }], { titleRows: ["DANH SÁCH"] });
    const error = await readError(xlsx);
    expect([error.code, error.params]).toEqual(["import:cellTooLong", { file: "danh-sach.xlsx", line: 3, column: "B", max: MAX_CELL_CHARS }]);
  });

  it("reads a cell exactly at the limit", async () => {
    const file = writeMemberCsv(dir, [{ "Họ và tên": "An", "Ghi chú": "y".repeat(MAX_CELL_CHARS) }]);
    expect((await readTable(file)).rows).toHaveLength(2);
  });

  it("refuses a list of more rows than the limit, in a CSV and in a workbook, and reads one at the limit", async () => {
    const rows = Array.from({ length: MAX_ROWS }, (_, i) => ({ "Họ và tên": `Người ${i}`, "Chi bộ": "Thôn 1" }));
    const atLimit = writeMemberCsv(dir, rows.slice(1), { fileName: "du.csv" });
    expect((await readTable(atLimit)).rows).toHaveLength(MAX_ROWS);
    const csv = writeMemberCsv(dir, rows, { fileName: "nhieu.csv" });
    const error = await readError(csv);
    expect([error.code, error.params]).toEqual(["import:tooManyRows", { file: "nhieu.csv", max: MAX_ROWS }]);

    const xlsx = await workbookWithSheet(sheetXml([["Họ và tên", "Chi bộ"], ...rows.map((row) => [row["Họ và tên"], "Thôn 1"])]), { fileName: "nhieu.xlsx" });
    expect((await readError(xlsx)).code).toBe("import:tooManyRows");
  });

  it("refuses a workbook of more cells and rows than the limit (empty ones too) before parsing it", async () => {
    const rows = Array.from({ length: MAX_CELLS + 1 }, (_, i) => `<row r="${i + 1}"/>`).join("");
    const file = await workbookWithSheet(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`);
    const error = await readError(file);
    // Parsed, it would be an empty table (blank rows are left out).
    expect([error.code, error.params]).toEqual(["import:tooManyCells", { file: "danh-sach.xlsx", max: MAX_CELLS }]);
  });

  it("stops a CSV at a runaway record (an unclosed quote) and says which line", async () => {
    const file = path.join(dir, "ngoac.csv");
    fs.writeFileSync(file, `Họ và tên,Chi bộ\nAn,Thôn 1\n"Bình,Thôn 1\n${"z,".repeat(40_000)}\n`);
    const error = await readError(file);
    expect([error.code, error.params]).toEqual(["import:rowTooLong", { file: "ngoac.csv", line: 3, max: 64_000 }]);
  });

  it("is said by `members import` in the secretary's language, without a stack trace", async () => {
    const database = await freshDatabase();
    try {
      const file = await workbookWithSheet(HOSTILE_SHEET);
      expect((await chibo(["org", "add-province", "Thành ủy Hải Phòng", "--code", "hai-phong"], { databaseUrl: database.url })).code).toBe(0);
      const result = await chibo(["members", "import", file, "--org", "hai-phong", "--dry-run"], { databaseUrl: database.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Tệp «danh-sach.xlsx» khi giải nén lớn quá 50 MB");
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await database.cleanup();
    }
  });
});
