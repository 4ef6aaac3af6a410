import { describe, expect, it } from "vitest";
import { parseMemberRows } from "../../src/importing/memberRows.ts";
import type { Table } from "../../src/importing/table.ts";

const HEADER = ["Họ và tên", "Chi bộ", "Ngày vào Đảng", "Ngày chính thức"];
const member = (name: string) => [name, "Chi bộ thôn Đông", "01/01/1990", "01/01/1991"];
const table = (rows: string[][]): Table => ({ rows: rows.map((cells, i) => ({ line: i + 1, cells })) });

describe("the template's example row", () => {
  it("is skipped when its STT column says so, however it is spelled", () => {
    const { drafts, problems } = parseMemberRows(table([
      ["STT", ...HEADER],
      ["Ví dụ", ...member("Nguyễn Văn An")],
      ["VD", ...member("Trần Văn Mẫu")],
      ["1", ...member("Lê Thị Hoa")],
    ]));
    expect(problems).toEqual([]);
    expect(drafts.map((d) => [d.line, d.fullName])).toEqual([[4, "Lê Thị Hoa"]]);
  });

  it("is an ordinary row in a list without an STT column, and a member named like the mark is a member", () => {
    const { drafts } = parseMemberRows(table([HEADER, member("Ví dụ"), member("Lê Thị Hoa")]));
    expect(drafts.map((d) => d.fullName)).toEqual(["Ví dụ", "Lê Thị Hoa"]);
  });
});
