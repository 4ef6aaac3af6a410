import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServices } from "../../src/services/index.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

const NOW = new Date("2026-12-03T03:00:00Z");
const CLI = { kind: "cli" } as const;

let database: TestDatabase;
let services: ReturnType<typeof createServices>;
beforeEach(async () => {
  database = await freshDatabase();
  services = createServices({ db: database.prisma, inviteTtlDays: 14 });
});
afterEach(() => database.cleanup());

/** Names that appear more than once, compared as a search does (no case, no diacritics). */
async function repeatedNames(): Promise<string[]> {
  const members = await database.prisma.member.findMany({ select: { fullName: true, searchName: true } });
  const seen = new Map<string, string[]>();
  for (const m of members) seen.set(m.searchName, [...(seen.get(m.searchName) ?? []), m.fullName]);
  return [...seen.values()].filter((names) => names.length > 1).map((names) => names.join(" / "));
}

describe("demo names", () => {
  it("gives every member of the large demo and then the small one a name of their own", async () => {
    await services.demo.loadLarge(NOW, CLI);
    expect(await database.prisma.member.count()).toBeGreaterThan(2500);
    expect(await repeatedNames()).toEqual([]);
    await services.demo.load(NOW, CLI);
    expect(await repeatedNames()).toEqual([]);
    // Still names as people have them: family, middle and given name.
    const names = await database.prisma.member.findMany({ select: { fullName: true } });
    expect(names.every((m) => /^[A-ZĐ]\p{L}* \p{L}+ \p{L}+$/u.test(m.fullName))).toBe(true);
  });

  it("keeps the small demo as it was, and the large one built after it repeats none of its names", async () => {
    // Nobody was renamed where no name repeated: the demo people keep their names.
    const { members } = await services.demo.load(NOW, CLI);
    expect([...members.slice(0, 3), ...members.slice(-1)].map((m) => m.fullName)).toEqual(["Nguyễn Thị Ly", "Đỗ Trọng Cường", "Nguyễn Hồng Trang", "Khúc Kim Yến"]);
    await services.demo.loadLarge(NOW, CLI);
    expect(await repeatedNames()).toEqual([]);
  });
});
