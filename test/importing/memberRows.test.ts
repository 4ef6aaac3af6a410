import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseMemberRows, type MemberDraft } from "../../src/importing/memberRows.ts";
import { readTable } from "../../src/importing/readTable.ts";
import { writeMemberCsv, writeMemberXlsx } from "../fixtures/memberFiles.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-import-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const parseFile = async (file: string) => parseMemberRows(await readTable(file));

const draft = (fields: Partial<MemberDraft> & Pick<MemberDraft, "line" | "fullName">): MemberDraft => ({
  birthDate: null,
  phone: null,
  cellName: "Chi bộ thôn Đông",
  role: "member",
  status: "full",
  admittedOn: null,
  fullMembershipOn: null,
  ...fields,
});

describe("member lists from CSV", () => {
  it("reads a semicolon CSV with a BOM and headers typed without diacritics", async () => {
    const file = writeMemberCsv(
      dir,
      [
        { STT: "1", "Ho va ten": "Nguyễn  Văn An ", "Ngay sinh": "15/03/1955", SDT: "0912 345 678", "Chi bo": "Chi bộ thôn Đông", "Chuc vu": "Bí thư", "Ngay vao Dang": "10/05/1980", "Ngay chinh thuc": "10/05/1981", "Ghi chú": "x" },
        { STT: "2", "Ho va ten": "Trần Thị Bình", "Ngay sinh": "2.9.1990", SDT: "+84 987 654 321", "Chi bo": "Chi bộ thôn Đông", "Chuc vu": "", "Ngay vao Dang": "1-6-2025", "Ngay chinh thuc": "" },
        { STT: "3" },
      ],
      { delimiter: ";", bom: true },
    );
    expect((await parseFile(file))).toEqual({
      drafts: [
        draft({ line: 2, fullName: "Nguyễn Văn An", birthDate: "1955-03-15", phone: "0912345678", role: "secretary", admittedOn: "1980-05-10", fullMembershipOn: "1981-05-10" }),
        draft({ line: 3, fullName: "Trần Thị Bình", birthDate: "1990-09-02", phone: "0987654321", status: "probationary", admittedOn: "2025-06-01" }),
      ],
      problems: [],
    });
  });

  it("reads NFD text, capitalized spaced headers and a quoted comma, storing names in NFC", async () => {
    const file = writeMemberCsv(
      dir,
      [
        { "  HỌ VÀ TÊN ": "Lê Văn Cường, (Cường A)", " Chi  Bộ": "Chi bộ thôn Đông", "Chức vụ": "Phó Bí thư", "Ngày chính thức": "1970-01-02" },
        { "  HỌ VÀ TÊN ": "Phạm Thị Dung", " Chi  Bộ": "Chi bộ thôn Đông", "Chức vụ": "Chi ủy viên", "Ngày chính thức": "03/04/1975" },
      ],
      { normalization: "NFD", bom: false, titleRows: ["Danh sách đảng viên, năm 2026"] },
    );
    expect(fs.readFileSync(file, "utf8")).toContain("HO\u0323");
    const { drafts, problems } = await parseFile(file);
    expect(problems).toEqual([]);
    expect(drafts).toEqual([
      draft({ line: 3, fullName: "Lê Văn Cường, (Cường A)", role: "deputy_secretary", fullMembershipOn: "1970-01-02" }),
      draft({ line: 4, fullName: "Phạm Thị Dung", role: "committee_member", fullMembershipOn: "1975-04-03" }),
    ]);
    expect(drafts[0]?.fullName.normalize("NFC")).toBe(drafts[0]?.fullName);
  });
});

describe("member lists from XLSX", () => {
  it("finds the header below a title, in any column order, reading date, number and rich text cells", async () => {
    const file = await writeMemberXlsx(
      dir,
      [
        { "Chức vụ": "BT", "Ngày chính thức": new Date(Date.UTC(1981, 4, 10)), "Số điện thoại": 912345678, "Họ và tên": "placeholder", "Chi bộ": "Chi bộ thôn Đông", "Ngày vào Đảng": new Date(Date.UTC(1980, 4, 10)), "Ngày sinh": new Date(Date.UTC(1955, 2, 15)) },
        { "Chức vụ": "", "Ngày chính thức": "", "Số điện thoại": "", "Họ và tên": "Đỗ Thị Hoa", "Chi bộ": "Chi bộ thôn Đông", "Ngày vào Đảng": "01/06/2025", "Ngày sinh": "" },
      ],
      {
        titleRows: ["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN ĐÔNG"],
        customize: (sheet) => {
          sheet.getCell("D3").value = { richText: [{ text: "Nguyễn ", font: { bold: true } }, { text: "Văn An" }] };
        },
      },
    );
    expect(await parseFile(file)).toEqual({
      drafts: [
        draft({ line: 3, fullName: "Nguyễn Văn An", birthDate: "1955-03-15", phone: "0912345678", role: "secretary", admittedOn: "1980-05-10", fullMembershipOn: "1981-05-10" }),
        draft({ line: 4, fullName: "Đỗ Thị Hoa", status: "probationary", admittedOn: "2025-06-01" }),
      ],
      problems: [],
    });
  });

  it("reports every problem of every bad row, with its Excel line and column, and keeps the good rows", async () => {
    const row = (fields: Record<string, string | number | Date>) => ({
      "Họ và tên": "",
      "Ngày sinh": "",
      "SĐT": "",
      "Chi bộ": "Chi bộ thôn Đông",
      "Chức vụ": "",
      "Ngày vào Đảng": "01/01/1990",
      "Ngày chính thức": "01/01/1991",
      ...fields,
    });
    const file = await writeMemberXlsx(
      dir,
      [
        row({ STT: 1, "Họ và tên": "Nguyễn Văn An", "Ngày sinh": "15/03/1955", "SĐT": "0912 345 678", "Chức vụ": "Bí thư" }),
        row({ STT: 2, "Họ và tên": "Trần Văn Bảo", "SĐT": "0123456789" }),
        row({ STT: 3, "Họ và tên": "Lê Thị Cúc", "Ngày sinh": "31/02/1960" }),
        row({ STT: 4, "Họ và tên": "Phạm Văn Dũng", "Chức vụ": "Trưởng thôn" }),
        row({ STT: 5, "SĐT": "0977000111" }),
        row({ STT: 6, "Họ và tên": "Hoàng Thị Én", "SĐT": 912345678 }),
        row({ STT: 7, "Họ và tên": "Vũ Văn Phúc", "Ngày vào Đảng": "", "Ngày chính thức": "" }),
        row({ STT: 8, "Họ và tên": "Lý Văn Giang", "Ngày sinh": "1958", "SĐT": "09xx", "Chức vụ": "Chủ tịch", "Ngày chính thức": "01/01/1989" }),
        row({ STT: 9, "Chi bộ": "", "Ngày vào Đảng": "", "Ngày chính thức": "" }),
        row({ STT: 10, "Họ và tên": "Đỗ Thị Hoa", "Ngày vào Đảng": new Date(Date.UTC(2025, 5, 1)), "Ngày chính thức": "" }),
        row({ STT: 11, "Họ và tên": "NGUYỄN VĂN AN", "Ngày sinh": new Date(Date.UTC(1955, 2, 15)), "SĐT": "0988111222" }),
        row({ STT: 12, "Họ và tên": "Mai Văn Khoa", "Ngày sinh": "01/01/1970", "Ngày vào Đảng": "01/01/1965" }),
      ],
      {
        headers: ["STT", "Họ và tên", "Ngày sinh", "SĐT", "Chi bộ", "Chức vụ", "Ngày vào Đảng", "Ngày chính thức"],
        titleRows: ["ĐẢNG BỘ XÃ TÂN LẬP", "DANH SÁCH ĐẢNG VIÊN"],
      },
    );
    const { drafts, problems } = await parseFile(file);

    expect(drafts).toEqual([
      draft({ line: 4, fullName: "Nguyễn Văn An", birthDate: "1955-03-15", phone: "0912345678", role: "secretary", admittedOn: "1990-01-01", fullMembershipOn: "1991-01-01" }),
      draft({ line: 13, fullName: "Đỗ Thị Hoa", status: "probationary", admittedOn: "2025-06-01" }),
    ]);
    expect(problems.map(({ line, field, code }) => ({ line, field, code }))).toEqual([
      { line: 5, field: "phone", code: "import:invalidPhone" },
      { line: 6, field: "birthDate", code: "import:impossibleDate" },
      { line: 7, field: "position", code: "import:unknownPosition" },
      { line: 8, field: "fullName", code: "import:nameRequired" },
      { line: 9, field: "phone", code: "import:duplicatePhone" },
      { line: 10, field: "admittedOn", code: "import:probationaryNeedsAdmission" },
      { line: 11, field: "birthDate", code: "import:yearOnly" },
      { line: 11, field: "phone", code: "import:invalidPhone" },
      { line: 11, field: "position", code: "import:unknownPosition" },
      { line: 11, field: "fullMembershipOn", code: "import:fullMembershipBeforeAdmission" },
      { line: 14, field: "row", code: "import:duplicateMember" },
      { line: 15, field: "admittedOn", code: "import:admittedBeforeBirth" },
    ]);
    // The parameters fill the sentences the secretary reads.
    expect(problems.find((p) => p.code === "import:duplicatePhone")?.params).toEqual({ value: "912345678", otherLine: 4 });
    expect(problems.find((p) => p.code === "import:duplicateMember")?.params).toEqual({ name: "NGUYỄN VĂN AN", otherLine: 4 });
    expect(problems.find((p) => p.code === "import:impossibleDate")?.params).toEqual({ value: "31/02/1960" });
    expect(problems.find((p) => p.code === "import:fullMembershipBeforeAdmission")?.params).toEqual({
      value: "01/01/1989",
      admittedOn: "01/01/1990",
    });
  });
});

describe("member rows", () => {
  it("treats the same name twice without birth dates as one member listed twice", () => {
    const table = {
      rows: [
        { line: 1, cells: ["Họ và tên", "Chi bộ", "Ngày chính thức"] },
        { line: 2, cells: ["Nguyễn Văn An", "Thôn 1", "01/01/1990"] },
        { line: 3, cells: ["Nguyen Van An", "Thôn 2", "01/01/1990"] },
      ],
    };
    expect(parseMemberRows(table).problems).toEqual([
      { line: 3, field: "row", code: "import:duplicateMember", params: { name: "Nguyen Van An", otherLine: 2 } },
    ]);
  });

  it("refuses dates after today when told what day it is", () => {
    const table = {
      rows: [
        { line: 1, cells: ["Họ và tên", "Chi bộ", "Ngày vào Đảng", "Ngày chính thức"] },
        { line: 2, cells: ["Nguyễn Văn An", "Thôn 1", "01/06/2052", ""] },
      ],
    };
    expect(parseMemberRows(table, { today: { year: 2026, month: 3, day: 7 } }).problems).toEqual([
      { line: 2, field: "admittedOn", code: "import:dateInFuture", params: { value: "01/06/2052" } },
    ]);
  });

  it("refuses a name without letters and a name too long to be one", () => {
    const table = {
      rows: [
        { line: 1, cells: ["Họ và tên", "Chi bộ", "Ngày chính thức"] },
        { line: 2, cells: ["123", "Thôn 1", "01/01/1990"] },
        { line: 3, cells: ["A".repeat(101), "Thôn 1", "01/01/1990"] },
      ],
    };
    expect(parseMemberRows(table).problems).toEqual([
      { line: 2, field: "fullName", code: "import:nameWithoutLetters", params: { value: "123" } },
      { line: 3, field: "fullName", code: "import:nameTooLong", params: { max: 100, length: 101 } },
    ]);
  });
});
