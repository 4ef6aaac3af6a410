import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInviteService } from "../../src/services/invites.ts";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
let run: (args: string[]) => ReturnType<typeof chibo>;
beforeEach(async () => {
  database = await freshDatabase();
  run = (args) => chibo(args, { databaseUrl: database.url, now: "2026-11-22T03:00:00Z" });
});
afterEach(() => database.cleanup());

interface DemoMember { id: number; fullName: string; cell: string; cellCode: string; roles: string[]; inviteCode: string; phone: string | null }

describe("admin CLI: the demo commune under a demo province", () => {
  it("loads about 60 members with a secretary per cell, reviewers, and working one-time codes", async () => {
    const result = await run(["demo", "--json"]);
    expect(result.code).toBe(0);
    const members = JSON.parse(result.stdout) as DemoMember[];
    expect(members).toHaveLength(60);
    expect(new Set(members.map((m) => m.cellCode))).toEqual(new Set(["demo-thon-dong", "demo-thon-tay", "demo-thon-nam", "demo-truong-th"]));
    for (const cell of new Set(members.map((m) => m.cellCode))) {
      expect(members.filter((m) => m.cellCode === cell && m.roles.includes("secretary"))).toHaveLength(1);
    }
    expect(members.filter((m) => m.roles.includes("reviewer"))).toHaveLength(2);
    expect(members.every((m) => /^[A-ZĐ][\p{L}]+( [\p{L}]+){2}$/u.test(m.fullName))).toBe(true);
    expect(new Set(members.map((m) => m.inviteCode)).size).toBe(60);

    const invites = createInviteService({ db: database.prisma, ttlDays: 14 });
    const first = members[0]!;
    const linked = await invites.redeem(first.inviteCode, { channel: "telegram", externalUserId: "42", chatId: "42" }, new Date("2026-11-22T04:00:00Z"));
    expect(linked.memberId).toBe(first.id);
  });

  it("does not load the demo twice, and a new run hands out fresh codes that replace the old ones", async () => {
    const first = JSON.parse((await run(["demo", "--json"])).stdout) as DemoMember[];
    const again = await run(["demo"]);
    expect(again.stdout).toContain("Dữ liệu mẫu đã có");
    expect(await database.prisma.member.count()).toBe(60);
    expect(await database.prisma.organization.count()).toBe(6);
    const invites = createInviteService({ db: database.prisma, ttlDays: 14 });
    await expect(invites.redeem(first[0]!.inviteCode, { channel: "telegram", externalUserId: "1", chatId: "1" }, new Date("2026-11-22T04:00:00Z")))
      .rejects.toMatchObject({ code: "invite:expired" });
  });

  it("lists the demo's next meetings: villages on the 7th, the school on the first Thursday", async () => {
    await run(["demo"]);
    const tree = await run(["org", "tree", "demo-tinh"]);
    expect(tree.stdout.split("\n").slice(0, 2)).toEqual(["Tỉnh ủy Hòa An (dữ liệu mẫu) (tỉnh)  [demo-tinh]", "  Đảng ủy xã Hòa Bình (xã)  [demo-xa]"]);
    expect(tree.stdout).not.toMatch(/huyện/i);
    const upcoming = await run(["meetings", "upcoming", "demo-tinh"]);
    expect(upcoming.stdout.split("\n")).toEqual([
      "Thứ Năm, 03/12/2026 16:30  Chi bộ Trường Tiểu học Hòa Bình — Phòng họp Trường Tiểu học Hòa Bình",
      "Thứ Hai, 07/12/2026 19:00  Chi bộ thôn Nam — Nhà văn hóa thôn Nam",
      "Thứ Hai, 07/12/2026 19:30  Chi bộ thôn Đông — Nhà văn hóa thôn Đông",
      "Thứ Hai, 07/12/2026 19:30  Chi bộ thôn Tây — Nhà văn hóa thôn Tây",
    ]);
  });
});

describe("admin CLI: the large demo, a merged commune of realistic size", () => {
  it("builds once a commune of every kind of cell with thousands of members, and says what exists when run again", async () => {
    const first = await run(["demo", "--large", "--json"]);
    expect(first.code).toBe(0);
    const made = JSON.parse(first.stdout) as { created: boolean; cells: number; members: number; withoutPhone: number; probationary: number; exempt: number; officers: number };
    expect(made.created).toBe(true);
    expect(made.cells).toBeGreaterThanOrEqual(40);
    expect(made.members).toBeGreaterThanOrEqual(2500);
    expect(made.withoutPhone).toBeGreaterThan(50);
    expect(made.probationary).toBeGreaterThanOrEqual(40);
    expect(made.exempt).toBeGreaterThan(20);
    const db = database.prisma;
    const kinds = await db.organization.groupBy({ by: ["cellKind"], where: { code: { startsWith: "demo-lon-" }, level: "cell" }, _count: { _all: true } });
    expect(new Set(kinds.map((k) => k.cellKind))).toEqual(new Set(["village", "school", "agency", "enterprise"]));
    expect(await db.organization.count({ where: { level: "sub_branch" } })).toBe(1);
    const reviewers = await db.role.findMany({ where: { role: "reviewer" }, include: { organization: true } });
    expect(new Set(reviewers.map((r) => r.organization.level))).toEqual(new Set(["base", "province"]));
    // Every cell has a secretary; the sub-branch's cells report to the sub-branch, which has one.
    const cells = await db.organization.findMany({ where: { code: { startsWith: "demo-lon-" }, level: "cell" }, include: { roles: { where: { role: "secretary" } } } });
    expect(cells.every((c) => c.roles.length === 1)).toBe(true);

    const before = await db.member.count();
    const again = await run(["demo", "--large"]);
    expect(again.stdout.split("\n")[0]).toBe("Dữ liệu mẫu lớn đã có: Tỉnh ủy Hòa An (dữ liệu mẫu) → Đảng ủy xã Hòa Phú (dữ liệu mẫu lớn); không tạo thêm.");
    expect(await db.member.count()).toBe(before);
    // The small demo joins the same province.
    await run(["demo"]);
    expect(await db.organization.count({ where: { level: "province" } })).toBe(1);
    const province = await run(["meetings", "upcoming", "demo-tinh"]);
    expect(province.code).toBe(0);
    expect(province.stdout.split("\n").length).toBeGreaterThanOrEqual(made.cells + 4);
  });
});

describe("admin CLI: member import", () => {
  const rows = [
    { "Ho va ten": "Nguyen Van Binh", "Ngay sinh": "01/02/1960", "SDT": "0912000111", "Chi bo": "Chi bộ thôn Đông", "Chuc vu": "", "Ngay vao Dang": "01/01/1990", "Ngay chinh thuc": "01/01/1991" },
    { "Ho va ten": "Tran Thi C", "Ngay sinh": "30/02/1961", "SDT": "abc", "Chi bo": "Chi bộ thôn Đông", "Chuc vu": "", "Ngay vao Dang": "", "Ngay chinh thuc": "" },
  ];

  it("reports each bad row in Vietnamese on a dry run, imports nothing, and exits with 1", async () => {
    await run(["demo"]);
    const file = writeMemberCsv(tempDir(), rows);
    const result = await run(["members", "import", file, "--org", "demo-xa", "--dry-run"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Dòng 3, cột Ngày sinh:");
    expect(result.stdout).toContain("Dòng 3, cột Số điện thoại:");
    expect(result.stdout).toContain("chưa nhập dòng nào");
    expect(await database.prisma.member.count()).toBe(60);
  });

  it("imports a good file, then says nothing changed on the second run", async () => {
    await run(["demo"]);
    const file = writeMemberCsv(tempDir(), [{ ...rows[0]!, "Chi bo": "Chi bo thon Dong" }]);
    expect((await run(["members", "import", file, "--org", "demo-xa", "--dry-run"])).stdout).toContain("thêm 1, cập nhật 0, giữ nguyên 0");
    expect(await database.prisma.member.count()).toBe(60);
    expect((await run(["members", "import", file, "--org", "demo-xa"])).stdout).toBe("Đã nhập: thêm 1, cập nhật 0, giữ nguyên 0 đảng viên.");
    expect((await run(["members", "import", file, "--org", "demo-xa"])).stdout).toBe("Đã nhập: thêm 0, cập nhật 0, giữ nguyên 1 đảng viên.");
    const invite = await run(["invite", "0912 000 111"]);
    expect(invite.stdout).toMatch(/^Mã mời cho đồng chí Nguyen Van Binh: [A-Z2-9]{4}-[A-Z2-9]{4}/);
  });
});

describe("admin CLI: exemption from activities", () => {
  it("records a temporary exemption with a reason, refuses one without, and lifts it", async () => {
    await run(["demo"]);
    const ok = await run(["members", "exempt", "#5", "--reason", "Điều trị dài ngày", "--until", "2027-02-28"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("tạm miễn công tác và sinh hoạt đảng");
    expect(ok.stdout).toContain("từ 2026-11-22 đến 2027-02-28");
    const member = await database.prisma.member.findUnique({ where: { id: 5 } });
    expect(member).toMatchObject({ exemption: "temporary", exemptionReason: "Điều trị dài ngày", exemptionUntil: "2027-02-28" });

    const refused = await run(["members", "exempt", "#6", "--kind", "exempt"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("Miễn hoặc tạm miễn sinh hoạt phải có lý do chính đáng.");
    expect((await database.prisma.member.findUnique({ where: { id: 6 } }))?.exemption).toBe("none");

    await run(["members", "exempt", "#5", "--clear"]);
    expect((await database.prisma.member.findUnique({ where: { id: 5 } }))?.exemption).toBe("none");
    const log = await database.prisma.auditLog.findMany({ where: { action: "update" } });
    expect(log).toHaveLength(2);
  });
});
