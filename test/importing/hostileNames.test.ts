import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";

const ESC = "\u001b";
const row = { "Ngay sinh": "01/02/1960", "SDT": "", "Chi bo": "Chi bộ thôn Bắc", "Chuc vu": "", "Ngay vao Dang": "01/01/1990", "Ngay chinh thuc": "01/01/1991" };

let database: TestDatabase;
let run: (args: string[]) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  run = (args) => chibo(args, { databaseUrl: database.url, now: "2026-11-22T03:00:00Z" });
});
afterEach(() => database.cleanup());

describe("importing names with control characters, escape sequences and bidi overrides", () => {
  it("stores them clean, and `members list` writes no escape to the operator's terminal", async () => {
    await run(["demo"]);
    // A cell of their own: a list is the truth for the cells it names, and the demo's are full.
    await run(["org", "add-cell", "Chi bộ thôn Bắc", "--parent", "demo-xa", "--kind", "village", "--day", "7", "--time", "19:30", "--code", "demo-thon-bac"]);
    const file = writeMemberCsv(tempDir(), [
      { "Ho va ten": `${ESC}[31mNguyễn\u0000 Văn An${ESC}[0m`, ...row },
      { "Ho va ten": `${ESC}]0;pwned\u0007Lê Thị\u0085 Hoa`, ...row, "Ngay sinh": "02/02/1960" },
      { "Ho va ten": "\u202eTrần Văn Bình\u2066\u2069", ...row, "Ngay sinh": "03/02/1960" },
    ]);
    const imported = await run(["members", "import", file, "--org", "demo-xa"]);
    expect(imported.stdout).toBe("Đã nhập: thêm 3, cập nhật 0, giữ nguyên 0 đảng viên.");
    const stored = await database.prisma.member.findMany({ where: { birthDate: { startsWith: "1960-02" } }, select: { fullName: true }, orderBy: { id: "asc" } });
    expect(stored.map((m) => m.fullName)).toEqual(["Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình"]);

    const list = await run(["members", "list", "--org", "demo-thon-bac"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("Nguyễn Văn An");
    // eslint-disable-next-line no-control-regex
    expect(list.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
