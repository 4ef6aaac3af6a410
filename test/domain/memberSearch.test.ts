import { describe, expect, it } from "vitest";
import { maskPhone, readMemberQuery } from "../../src/domain/memberSearch.ts";

describe("reading the members search box", () => {
  it("takes digits as a phone search, with +84 read as the leading 0", () => {
    expect(readMemberQuery("0912 345 678")).toEqual({ kind: "phone", digits: "0912345678" });
    expect(readMemberQuery("+84 912-345-678")).toEqual({ kind: "phone", digits: "0912345678" });
    expect(readMemberQuery("678")).toEqual({ kind: "phone", digits: "678" });
  });

  it("takes anything else as a name, without diacritics and in lower case", () => {
    expect(readMemberQuery("  Nguyễn   VĂN ")).toEqual({ kind: "name", key: "nguyen van" });
    expect(readMemberQuery("Đông")).toEqual({ kind: "name", key: "dong" });
    expect(readMemberQuery("12")).toEqual({ kind: "name", key: "12" });
    expect(readMemberQuery("   ")).toBeUndefined();
  });
});

describe("masking a phone number on a printed sheet", () => {
  it("keeps only the last three digits", () => {
    expect(maskPhone("0912345678")).toBe("•••••••678");
    expect(maskPhone("02438251234")).toBe("••••••••234");
    expect(maskPhone(null)).toBe("");
  });
});
