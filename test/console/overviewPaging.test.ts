import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { listPager, pageOf, PAGE_SIZE } from "../../src/console/pages/overview/format.ts";
import type { Viewer } from "../../src/console/context.ts";
import { createTranslator } from "../../src/i18n.ts";

const viewer = { t: createTranslator().t("vi"), language: "vi" } as unknown as Viewer;

describe("the overview's long lists", () => {
  it("shows a province's cells a page at a time, an asked page past the end as the last", () => {
    const cells = Array.from({ length: 2 * PAGE_SIZE + 3 }, (_, i) => i);
    expect(pageOf(cells, 1)).toMatchObject({ page: 1, pageCount: 3, items: cells.slice(0, PAGE_SIZE) });
    expect(pageOf(cells, 9)).toMatchObject({ page: 3, pageCount: 3, items: cells.slice(2 * PAGE_SIZE) });
    expect(pageOf([], 1)).toMatchObject({ page: 1, pageCount: 1, items: [] });
  });

  it("pages each list by its own parameter, keeping the scope and the other list's page, and nothing else", () => {
    const req = { query: { org: "12", mpage: "2", apage: "1", "x-y": "<b>", name: "Nguyễn" } } as unknown as Request;
    const links = listPager(req, viewer, "apage", "attendance-by-cell", 1, 3).toString();
    expect(links).toContain('href="?org=12&amp;mpage=2&amp;apage=2#attendance-by-cell"');
    expect(links).toContain("Trang 1/3");
    expect(links).not.toContain("rel=\"prev\"");
    expect(listPager(req, viewer, "apage", "x", 1, 1).toString()).toBe("");
  });
});
