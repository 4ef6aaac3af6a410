import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import { columnLetter, fieldOfHeader, findMemberHeader } from "../../src/importing/columns.ts";
import type { Table } from "../../src/importing/readTable.ts";

const table = (...rows: string[][]): Table => ({ rows: rows.map((cells, i) => ({ line: i + 1, cells })) });

function headerError(t: Table): DomainError {
  try {
    findMemberHeader(t);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("member list columns", () => {
  it.each([
    ["Họ và tên", "fullName"],
    ["  HO   TEN ", "fullName"],
    ["Tên đảng viên", "fullName"],
    ["Họ và tên (*)", "fullName"],
    ["Ngày sinh (dd/mm/yyyy)", "birthDate"],
    ["Ngày, tháng, năm sinh", "birthDate"],
    ["Năm sinh", "birthDate"],
    ["SĐT", "phone"],
    ["Số ĐT", "phone"],
    ["Điện thoại (Zalo)", "phone"],
    ["Di động", "phone"],
    ["Tên chi bộ", "cell"],
    ["chi bo", "cell"],
    ["Chức vụ Đảng", "position"],
    ["Ngày kết nạp", "admittedOn"],
    ["ngay vao dang", "admittedOn"],
    ["Ngày công nhận chính thức", "fullMembershipOn"],
    ["NGÀY CHÍNH THỨC", "fullMembershipOn"],
    ["Ngày chính thức".normalize("NFD"), "fullMembershipOn"],
    ["STT", "rowNumber"],
  ])("reads the header %j as %s", (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  it("ignores headers it does not know", () => {
    expect(fieldOfHeader("Quê quán")).toBeUndefined();
    expect(fieldOfHeader("Chức vụ chính quyền")).toBeUndefined();
  });

  it("finds the header below the letterhead and maps columns in any order", () => {
    const header = findMemberHeader(
      table(
        ["ĐẢNG BỘ XÃ TÂN LẬP", "", "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["DANH SÁCH ĐẢNG VIÊN"],
        ["STT", "Chi bộ", "Quê quán", "Họ và tên", "Ngày chính thức"],
        ["1", "Thôn 1", "Hà Nội", "Nguyễn Văn An", ""],
      ),
    );
    expect(header).toEqual({ rowIndex: 2, columns: { cell: 1, fullName: 3, fullMembershipOn: 4 }, rowNumberColumn: 0 });
  });

  it("does not take a title row that only mentions a name for the header", () => {
    const header = findMemberHeader(
      table(["Họ và tên"], ["Họ và tên", "Chi bộ", "Ngày chính thức"]),
    );
    expect(header.rowIndex).toBe(1);
  });

  it("names the missing required column of the header it found", () => {
    const error = headerError(table(["STT", "Ho va ten", "Ngay sinh", "Ngay chinh thuc"]));
    expect([error.code, error.params]).toEqual(["import:missingColumn", { column: "cell" }]);
  });

  it("asks for the full name column when the best header row lacks it", () => {
    const error = headerError(table(["Danh sách"], ["Đảng viên", "Chi bộ", "Ngày chính thức"]));
    expect([error.code, error.params]).toEqual(["import:missingColumn", { column: "fullName" }]);
  });

  it("requires the full membership column, which tells full members from probationary ones", () => {
    const error = headerError(table(["Họ và tên", "Chi bộ", "Ngày vào Đảng"]));
    expect([error.code, error.params]).toEqual(["import:missingColumn", { column: "fullMembershipOn" }]);
  });

  it("refuses a field named twice and says in which Excel columns", () => {
    const error = headerError(table(["Họ và tên", "Chi bộ", "SĐT", "Ngày chính thức", "Điện thoại"]));
    expect([error.code, error.params]).toEqual(["import:duplicateColumn", { column: "phone", first: "C", second: "E" }]);
  });

  it("says no header was found when no top row names a known column", () => {
    const error = headerError(table(["Danh sách"], ["a", "b"]));
    expect([error.code, error.params]).toEqual(["import:headerNotFound", { rows: 15 }]);
    expect(headerError(table()).code).toBe("import:headerNotFound");
  });

  it("names columns the way Excel does", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});
