import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTranslator, LOCALES_DIR } from "../../src/i18n.ts";
import { MEMBER_FIELDS } from "../../src/importing/columns.ts";

const SRC_DIR = path.resolve(import.meta.dirname, "../../src");
const load = (language: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, language, "import.json"), "utf8"));

/** Every "import:…" code written anywhere in src, so a code without a sentence fails here. */
function codesUsedInSource(): string[] {
  const files = fs.readdirSync(SRC_DIR, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const codes = new Set<string>();
  for (const file of files) {
    for (const match of fs.readFileSync(path.join(SRC_DIR, file), "utf8").matchAll(/"import:(\w+)"/g)) {
      codes.add(match[1] ?? "");
    }
  }
  return [...codes].sort();
}

const SAMPLE_PARAMS = {
  file: "danh-sach.xlsx",
  line: 7,
  rows: 15,
  column: "phone",
  first: "C",
  second: "F",
  value: "31/02/1960",
  max: 100,
  length: 120,
  year: 1900,
  birthDate: "15/03/1955",
  admittedOn: "10/05/1980",
  otherLine: 4,
  name: "Nguyễn Văn An",
  org: "Đảng bộ xã Tân Lập",
  maxMb: 10,
};

describe("import sentences", () => {
  it("has a Vietnamese and an English sentence for every import code in the source", () => {
    const codes = codesUsedInSource();
    expect(codes).toContain("invalidPhone");
    for (const language of ["vi", "en"]) {
      const missing = codes.filter((code) => !(code in load(language)));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it("has the same keys in both languages and a label for every field", () => {
    const vi = load("vi");
    expect(Object.keys(load("en")).sort()).toEqual(Object.keys(vi).sort());
    for (const field of [...MEMBER_FIELDS, "row"]) expect(vi[`field_${field}`]).toBeTruthy();
  });

  it("renders every sentence with its parameters filled and the column label nested", () => {
    const translator = createTranslator();
    for (const language of ["vi", "en"] as const) {
      const t = translator.t(language);
      for (const key of Object.keys(load(language))) {
        const text = t(`import:${key}`, SAMPLE_PARAMS);
        expect(text, `${language} ${key}`).not.toMatch(/\{\{|\$t\(|import:/);
      }
    }
    expect(translator.t("vi")("import:missingColumn", { column: "fullMembershipOn" })).toContain("«Ngày chính thức»");
    expect(translator.t("en")("import:duplicateColumn", SAMPLE_PARAMS)).toContain("«Phone number» column appears twice (columns C and F)");
    expect(translator.t("vi")("import:invalidPhone", { value: "0123/456" })).toBe(
      "Số điện thoại «0123/456» không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc số máy bàn bắt đầu bằng 02).",
    );
  });
});
