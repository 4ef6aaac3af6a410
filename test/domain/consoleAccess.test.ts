import { describe, expect, it } from "vitest";
import { administers, allows, scopePaths, visibleAreas } from "../../src/domain/consoleAccess.ts";

const PROVINCE = "/1/";
const COMMUNE_X = "/1/2/";
const COMMUNE_Y = "/1/3/";
const CELL_A = "/1/2/4/";
const CELL_B = "/1/2/5/";
const CELL_C = "/1/3/6/";
const role = (r: string, orgPath: string) => ({ role: r, organizationId: Number(orgPath.split("/").at(-2)), orgPath });

describe("who may do what in the console", () => {
  it("shows a plain member no area but their own page", () => {
    expect(visibleAreas([role("member", CELL_A)])).toEqual([]);
  });

  it("lets a cell's secretary run their own cell and nothing next to it", () => {
    const roles = [role("member", CELL_A), role("secretary", CELL_A)];
    expect(visibleAreas(roles)).toEqual(["overview", "meetings", "members", "notices"]);
    expect(allows(roles, "meetings", CELL_A, "manage")).toBe(true);
    expect(allows(roles, "meetings", CELL_B, "see")).toBe(false);
    expect(allows(roles, "feedback", CELL_A, "see")).toBe(false);
    expect(allows(roles, "organization", CELL_A, "see")).toBe(false);
  });

  it("lets a commune's reviewer handle feedback of the commune's cells, see their meetings, change none", () => {
    const roles = [role("member", CELL_B), role("reviewer", COMMUNE_X)];
    expect(allows(roles, "feedback", CELL_A, "manage")).toBe(true);
    expect(allows(roles, "feedback", CELL_C, "see")).toBe(false);
    expect(allows(roles, "meetings", CELL_A, "see")).toBe(true);
    expect(allows(roles, "meetings", CELL_A, "manage")).toBe(false);
    expect(allows(roles, "members", CELL_A, "see")).toBe(false);
  });

  it("lets an administrator manage members and settings of their subtree only", () => {
    const roles = [role("administrator", COMMUNE_X)];
    expect(administers(roles, COMMUNE_X)).toBe(true);
    expect(administers(roles, CELL_A)).toBe(true);
    expect(administers(roles, COMMUNE_Y)).toBe(false);
    expect(administers(roles, PROVINCE)).toBe(false);
    expect(allows(roles, "members", CELL_B, "manage")).toBe(true);
    expect(allows(roles, "feedback", CELL_A, "see")).toBe(false);
  });

  it("does not take a path that merely starts with the same digits for a subtree", () => {
    // "/1/2/" is not above "/1/23/": paths end with a slash for this reason.
    expect(allows([role("administrator", COMMUNE_X)], "members", "/1/23/", "see")).toBe(false);
  });

  it("lists each subtree once, the widest first, dropping those inside another", () => {
    const roles = [role("reviewer", CELL_A), role("reviewer", COMMUNE_X), role("reviewer", COMMUNE_Y), role("secretary", CELL_C)];
    expect(scopePaths(roles, "feedback")).toEqual([COMMUNE_X, COMMUNE_Y]);
    expect(scopePaths(roles, "meetings")).toEqual([COMMUNE_X, COMMUNE_Y]);
    expect(scopePaths(roles, "meetings", "manage")).toEqual([CELL_C]);
  });
});
