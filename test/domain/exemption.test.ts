import { describe, expect, it } from "vitest";
import { checkExemption, isExemptOn, NO_EXEMPTION } from "../../src/domain/exemption.ts";
import { DomainError } from "../../src/domain/errors.ts";

const TODAY = { year: 2026, month: 11, day: 22 };

describe("exemption from party activities", () => {
  it("records a temporary exemption from today until its end date, with the reason cleaned", () => {
    expect(checkExemption({ kind: "temporary", reason: "  Ốm   dài ngày ", until: "2027-03-31" }, TODAY)).toEqual({
      exemption: "temporary", exemptionReason: "Ốm dài ngày", exemptionFrom: "2026-11-22", exemptionUntil: "2027-03-31",
    });
  });

  it("records a permanent exemption with no end", () => {
    expect(checkExemption({ kind: "exempt", reason: "Tuổi cao, sức yếu", from: "2026-01-01" }, TODAY).exemptionUntil).toBeNull();
  });

  it.each([
    [{ kind: "forever", reason: "x" }, "member:invalidExemptionKind"],
    [{ kind: "exempt", reason: "   " }, "member:exemptionReasonRequired"],
    [{ kind: "temporary", reason: "Ốm" }, "member:temporaryNeedsEnd"],
    [{ kind: "temporary", reason: "Ốm", from: "2026-12-01", until: "2026-11-30" }, "member:exemptionEndsBeforeStart"],
    [{ kind: "temporary", reason: "Ốm", until: "31/12/2026" }, "member:invalidDay"],
  ])("refuses %j with %s", (input, code) => {
    const error = (() => {
      try {
        checkExemption(input, TODAY);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
  });

  it("knows on which days a member is excused", () => {
    const temporary = checkExemption({ kind: "temporary", reason: "Ốm", from: "2026-12-01", until: "2026-12-31" }, TODAY);
    expect(isExemptOn(temporary, { year: 2026, month: 11, day: 30 })).toBe(false);
    expect(isExemptOn(temporary, { year: 2026, month: 12, day: 31 })).toBe(true);
    expect(isExemptOn(temporary, { year: 2027, month: 1, day: 1 })).toBe(false);
    expect(isExemptOn(NO_EXEMPTION, TODAY)).toBe(false);
  });
});
