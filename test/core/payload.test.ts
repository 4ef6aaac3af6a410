import { describe, expect, it } from "vitest";
import { parseId, parseIndex, payloadParts } from "../../src/core/payload.ts";

describe("parseId", () => {
  it("reads a positive id written in plain digits", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("2147483647")).toBe(2147483647);
  });

  it.each(["", "0", "-1", "+1", "01", "1.5", "1e3", "1e999", "NaN", "Infinity", "0x10", " 1", "1 ", "2147483648", "9007199254740993", "١"])(
    "refuses %j",
    (text) => expect(parseId(text)).toBeNull(),
  );

  it("refuses a missing part", () => expect(parseId(undefined)).toBeNull());
});

describe("parseIndex and payloadParts", () => {
  it("reads small indexes, refuses anything else", () => {
    expect(parseIndex("0")).toBe(0);
    expect(parseIndex("3")).toBe(3);
    for (const text of ["", "-0", "00", "1e1", "NaN", " 1", undefined]) expect(parseIndex(text)).toBeNull();
  });

  it("splits into exactly the expected number of parts", () => {
    expect(payloadParts("12:p", 2)).toEqual(["12", "p"]);
    expect(payloadParts("12:p:x", 2)).toBeNull();
    expect(payloadParts("12", 2)).toBeNull();
    expect(payloadParts(undefined, 1)).toEqual([""]);
  });
});
