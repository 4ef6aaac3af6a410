import { describe, expect, it } from "vitest";
import { isLeader, isReviewer, leadsCell, reviewsPath, seesAnyAttendance, seesAttendanceOf, type MemberRoles } from "../../src/core/authorization.ts";

// Province 1 → communes X (2) and Y (3); cells A (4) and B (5) under X, C (6) under Y.
const path = { province: "/1/", X: "/1/2/", Y: "/1/3/", A: "/1/2/4/", B: "/1/2/5/", C: "/1/3/6/" };
const role = (name: string, organizationId: number, orgPath: string) => ({ role: name, organizationId, orgPath });

const people: Record<string, MemberRoles> = {
  member: [role("member", 4, path.A)],
  secretaryA: [role("member", 4, path.A), role("secretary", 4, path.A)],
  deputyA: [role("member", 4, path.A), role("deputy_secretary", 4, path.A)],
  committeeA: [role("member", 4, path.A), role("committee_member", 4, path.A)],
  reviewerX: [role("member", 5, path.B), role("reviewer", 2, path.X)],
  reviewerProvince: [role("member", 6, path.C), role("reviewer", 1, path.province)],
};

describe("who may act on what", () => {
  it.each([
    // person, cell A's attendance, cell B's attendance, leads A, leads B
    ["member", false, false, false, false],
    ["secretaryA", true, false, true, false],
    ["deputyA", true, false, true, false],
    ["committeeA", true, false, false, false],
    ["reviewerX", false, false, false, false],
  ] as const)("%s: attendance and leadership of cells A and B", (who, seesA, seesB, leadsA, leadsB) => {
    const roles = people[who]!;
    expect([seesAttendanceOf(roles, 4), seesAttendanceOf(roles, 5), leadsCell(roles, 4), leadsCell(roles, 5)]).toEqual([seesA, seesB, leadsA, leadsB]);
  });

  it.each([
    // person, reviews A, B, C, commune X itself, commune Y, the province
    ["member", [false, false, false, false, false, false]],
    ["secretaryA", [false, false, false, false, false, false]],
    ["reviewerX", [true, true, false, true, false, false]],
    ["reviewerProvince", [true, true, true, true, true, true]],
  ] as const)("%s: which subtrees they review", (who, expected) => {
    const roles = people[who]!;
    expect([path.A, path.B, path.C, path.X, path.Y, path.province].map((p) => reviewsPath(roles, p))).toEqual(expected);
  });

  it("gates the commands by role", () => {
    const table = Object.fromEntries(Object.entries(people).map(([who, roles]) => [who, [isLeader(roles), seesAnyAttendance(roles), isReviewer(roles)]]));
    expect(table).toEqual({
      member: [false, false, false],
      secretaryA: [true, true, false],
      deputyA: [true, true, false],
      committeeA: [false, true, false],
      reviewerX: [false, false, true],
      reviewerProvince: [false, false, true],
    });
  });

  it("does not mistake a sibling whose path shares a prefix for a subtree", () => {
    // "/1/2/" must not cover "/1/20/": paths end with a slash for this reason.
    expect(reviewsPath(people.reviewerX!, "/1/20/7/")).toBe(false);
  });
});
