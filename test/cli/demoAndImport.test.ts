import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInviteService } from "../../src/services/invites.ts";
import { createWebChatService } from "../../src/services/webChat.ts";
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
    // A new cell: the file is the truth for the cells it lists, and the demo's cells are full.
    await run(["org", "add-cell", "Chi bộ thôn Bắc", "--parent", "demo-xa", "--kind", "village", "--day", "7", "--time", "19:30", "--code", "demo-thon-bac"]);
    const file = writeMemberCsv(tempDir(), [{ ...rows[0]!, "Chi bo": "Chi bo thon Bac" }]);
    expect((await run(["members", "import", file, "--org", "demo-xa", "--dry-run"])).stdout).toContain("thêm 1, cập nhật 0, giữ nguyên 0");
    expect(await database.prisma.member.count()).toBe(60);
    expect((await run(["members", "import", file, "--org", "demo-xa"])).stdout).toBe("Đã nhập: thêm 1, cập nhật 0, giữ nguyên 0 đảng viên.");
    expect((await run(["members", "import", file, "--org", "demo-xa"])).stdout).toBe("Đã nhập: thêm 0, cập nhật 0, giữ nguyên 1 đảng viên.");
    const invite = await run(["invite", "0912 000 111"]);
    expect(invite.stdout).toMatch(/^Mã mời cho đồng chí Nguyen Van Binh: [A-Z2-9]{4}-[A-Z2-9]{4}/);
  });
});

const POSITIONS: Record<string, string> = { secretary: "Bí thư", deputy_secretary: "Phó bí thư", committee_member: "Chi ủy viên" };
const dayMonthYear = (iso: string | null) => (iso ? iso.split("-").reverse().join("/") : "");

/** A demo cell's list as its secretary keeps it in Excel, one row per member, with each member's id. */
async function cellList(code: string) {
  const members = await database.prisma.member.findMany({ where: { cell: { code } }, include: { roles: true, cell: true }, orderBy: { id: "asc" } });
  return members.map((m) => ({
    id: m.id,
    fullName: m.fullName,
    phone: m.phone,
    row: {
      "Họ và tên": m.fullName, "Ngày sinh": dayMonthYear(m.birthDate), "Số điện thoại": m.phone ?? "", "Chi bộ": m.cell.name,
      "Chức vụ": POSITIONS[m.roles.find((r) => r.organizationId === m.cellId && r.role !== "member")?.role ?? ""] ?? "",
      "Ngày vào Đảng": dayMonthYear(m.admittedOn), "Ngày chính thức": dayMonthYear(m.fullMembershipOn),
    },
  }));
}

describe("admin CLI: a member who left the list", () => {
  it("names them on a dry run, then takes their access on the import; no invite, no place in the web chat", async () => {
    await run(["demo"]);
    const list = await cellList("demo-thon-nam");
    const leaver = list.find((m, i) => i >= 3 && m.phone)!;
    const file = writeMemberCsv(tempDir(), list.filter((m) => m !== leaver).map((m) => m.row));
    const webChat = createWebChatService({ db: database.prisma });
    expect((await webChat.listDemoMembers()).map((m) => m.id)).toContain(leaver.id);

    const dry = await run(["members", "import", file, "--org", "demo-xa", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split("\n")).toEqual([
      "Tệp hợp lệ. Nếu nhập sẽ: thêm 0, cập nhật 0, giữ nguyên 14 đảng viên. (Chưa lưu gì.)",
      "Sẽ thôi quyền 1 đảng viên không còn trong danh sách của chi bộ có trong tệp (không còn vai trò, liên kết chat, mã mời; không nhận tin):",
      `  #${leaver.id} ${leaver.fullName} (Chi bộ thôn Nam)`,
    ]);
    expect(await database.prisma.member.count({ where: { deactivatedAt: { not: null } } })).toBe(0);

    const done = await run(["members", "import", file, "--org", "demo-xa"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Đã thôi quyền 1 đảng viên không còn trong danh sách của chi bộ có trong tệp:");
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: leaver.id } })).toMatchObject({ deactivatedAt: new Date("2026-11-22T03:00:00Z") });
    expect(await database.prisma.role.count({ where: { memberId: leaver.id } })).toBe(0);
    const listed = (await run(["members", "list", "--org", "demo-thon-nam"])).stdout.split("\n");
    expect(listed.find((line) => line.startsWith(`#${leaver.id} `))).toMatch(/\[đã thôi trong danh sách\]$/);
    expect(listed.filter((line) => line.includes("[đã thôi"))).toHaveLength(1);

    const invite = await run(["invite", leaver.phone!]);
    expect(invite.code).toBe(1);
    expect(invite.stderr).toBe(`Đồng chí ${leaver.fullName} (#${leaver.id}) không còn trong danh sách đảng viên (theo lần nhập gần nhất) nên không được cấp mã mời. Nếu đồng chí trở lại, hãy nhập danh sách có tên đồng chí trước.`);
    expect((await webChat.listDemoMembers()).map((m) => m.id)).not.toContain(leaver.id);
    await expect(webChat.demoMember(leaver.id)).rejects.toMatchObject({ code: "web:unknownMember" });
  });

  it("refuses a list that takes away more than half of a cell, naming everyone, unless --allow-deactivate", async () => {
    await run(["demo"]);
    const list = await cellList("demo-thon-nam");
    const file = writeMemberCsv(tempDir(), list.slice(0, 3).map((m) => m.row));
    const refused = await run(["members", "import", file, "--org", "demo-xa"]);
    expect(refused.code).toBe(1);
    const lines = refused.stdout.split("\n");
    expect(lines.filter((line) => /^ {2}#\d+ .+ \(Chi bộ thôn Nam\)$/.test(line))).toHaveLength(12);
    expect(lines.at(-1)).toBe("Tệp này thôi quyền 12 trong 15 đảng viên đang hoạt động của các chi bộ có trong tệp, quá nửa: có thể nhầm tệp. Chưa nhập gì. Nếu đúng là vậy, chạy lại với --allow-deactivate.");
    expect(await database.prisma.member.count({ where: { deactivatedAt: { not: null } } })).toBe(0);

    const dry = await run(["members", "import", file, "--org", "demo-xa", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split("\n").at(-1)).toBe("Tệp này thôi quyền 12 trong 15 đảng viên đang hoạt động của các chi bộ có trong tệp, quá nửa: có thể nhầm tệp. Khi nhập thật cần thêm --allow-deactivate.");

    const allowed = await run(["members", "import", file, "--org", "demo-xa", "--allow-deactivate"]);
    expect(allowed.code).toBe(0);
    expect(await database.prisma.member.count({ where: { deactivatedAt: { not: null } } })).toBe(12);
    // The other cells were not in the file: untouched.
    expect(await database.prisma.member.count({ where: { deactivatedAt: null } })).toBe(48);
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
