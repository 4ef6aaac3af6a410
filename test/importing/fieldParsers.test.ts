import { describe, expect, it } from "vitest";
import { parseImportDate } from "../../src/importing/dates.ts";
import { normalizePhone } from "../../src/importing/phone.ts";
import { parsePosition } from "../../src/importing/position.ts";

describe("date cells", () => {
  it.each([
    ["15/03/1960", "1960-03-15"],
    ["5/3/1960", "1960-03-05"],
    ["15-03-1960", "1960-03-15"],
    ["15.03.1960", "1960-03-15"],
    ["1960-03-15", "1960-03-15"],
    ["15/03/1960 0:00", "1960-03-15"],
    ["29/02/2000", "2000-02-29"],
    ["", null],
  ])("reads %j as %j", (text, iso) => {
    expect(parseImportDate(text)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ["31/02/1960", "import:impossibleDate"],
    ["29/02/1900", "import:impossibleDate"],
    ["15/13/1960", "import:impossibleDate"],
    ["1955", "import:yearOnly"],
    ["15/3/60", "import:invalidDate"],
    ["03/1960", "import:invalidDate"],
    ["15/03-1960", "import:invalidDate"],
    ["mười lăm tháng ba", "import:invalidDate"],
    ["01/01/1899", "import:dateTooEarly"],
  ])("refuses %j with %s", (text, code) => {
    expect(parseImportDate(text)).toMatchObject({ ok: false, code, params: { value: text } });
  });

  it("refuses a date after today only when today is given", () => {
    const today = { year: 2026, month: 3, day: 7 };
    expect(parseImportDate("07/03/2026", today)).toEqual({ ok: true, value: "2026-03-07" });
    expect(parseImportDate("08/03/2026", today)).toMatchObject({ ok: false, code: "import:dateInFuture" });
    expect(parseImportDate("08/03/2026")).toEqual({ ok: true, value: "2026-03-08" });
  });
});

describe("phone cells", () => {
  it.each([
    ["0912345678", "0912345678"],
    ["0912 345 678", "0912345678"],
    ["091.234.5678", "0912345678"],
    ["091-234-5678", "0912345678"],
    ["912345678", "0912345678"],
    ["+84 912 345 678", "0912345678"],
    ["+84 (0) 912 345 678", "0912345678"],
    ["84912345678", "0912345678"],
    ["0084912345678", "0912345678"],
    ["(024) 3825 1234", "02438251234"],
    ["2438251234", "02438251234"],
    ["", null],
  ])("normalizes %j to %j", (text, phone) => {
    expect(normalizePhone(text)).toEqual({ ok: true, value: phone });
  });

  it.each([
    ["0123456789", "import:invalidPhone"],
    ["01662345678", "import:invalidPhone"],
    ["091234567", "import:invalidPhone"],
    ["09123456789", "import:invalidPhone"],
    ["9.12346E+08", "import:invalidPhone"],
    ["chưa có", "import:invalidPhone"],
    ["0912345678 / 0987654321", "import:severalPhones"],
    ["0912345678 - 0987654321", "import:severalPhones"],
  ])("refuses %j with %s", (text, code) => {
    expect(normalizePhone(text)).toEqual({ ok: false, code, params: { value: text } });
  });
});

describe("position cells", () => {
  it.each([
    ["Bí thư", "secretary"],
    ["BÍ THƯ CHI BỘ", "secretary"],
    ["bi thu", "secretary"],
    ["BT", "secretary"],
    ["Phó Bí thư", "deputy_secretary"],
    ["Phó bí thư chi bộ".normalize("NFD"), "deputy_secretary"],
    ["P.Bí thư", "deputy_secretary"],
    ["PBT", "deputy_secretary"],
    ["Chi ủy viên", "committee_member"],
    ["Chi uỷ viên", "committee_member"],
    ["Cấp ủy viên", "committee_member"],
    ["CUV", "committee_member"],
    ["", "member"],
    ["Đảng viên", "member"],
    ["dang vien", "member"],
    ["Đảng viên dự bị", "member"],
  ])("reads %j as %s", (text, role) => {
    expect(parsePosition(text)).toEqual({ ok: true, value: role });
  });

  it.each(["Trưởng thôn", "Chi bộ", "Bí thư, Trưởng thôn", "Phó"])("refuses %j", (text) => {
    expect(parsePosition(text)).toEqual({ ok: false, code: "import:unknownPosition", params: { value: text } });
  });
});
