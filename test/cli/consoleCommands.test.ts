import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

const NOW = "2026-12-03T03:00:00Z";
let database: TestDatabase;
let memberId: number;
const run = (args: string[], env: Record<string, string> = {}) => chibo(args, { databaseUrl: database.url, now: NOW, env });

beforeEach(async () => {
  database = await freshDatabase();
  const tree = await buildSmallTree(buildServices(database.prisma));
  memberId = (await database.prisma.member.create({ data: { fullName: "Trần Văn Bình", searchName: "tran van binh", phone: "0912345003", status: "full", cellId: tree.village.id } })).id;
});
afterEach(() => database.cleanup());

describe("console commands for the operator", () => {
  it("prints a one-time link for the first operator, on this machine without PUBLIC_URL", async () => {
    const { code, stdout } = await run(["console", "link", "0912 345 003"], { PORT: "8080" });
    expect(code).toBe(0);
    expect(stdout).toContain("Trần Văn Bình");
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:8080\/console\/signin\/[A-Za-z0-9_-]{43}/);
    expect(stdout).toContain("PUBLIC_URL");
    expect(stdout).toContain("03/12/2026 10:15");
    expect(await database.prisma.consoleSignIn.count({ where: { memberId, issuedVia: "cli", usedAt: null } })).toBe(1);
  });

  it("links under PUBLIC_URL when chibo has one", async () => {
    const { stdout } = await run(["console", "link", `#${memberId}`], { PUBLIC_URL: "https://chibo.example.vn" });
    expect(stdout).toMatch(/https:\/\/chibo\.example\.vn\/console\/signin\//);
    expect(stdout).not.toContain("127.0.0.1");
  });

  it("gives no link to a member who left the list", async () => {
    await database.prisma.member.update({ where: { id: memberId }, data: { deactivatedAt: new Date(NOW) } });
    const { code, stdout, stderr } = await run(["console", "link", `#${memberId}`]);
    expect(code).toBe(1);
    expect(`${stdout}${stderr}`).not.toMatch(/signin/);
    expect(await database.prisma.consoleSignIn.count()).toBe(0);
  });

  it("gives and takes back the administrator role at an organization, audited, once", async () => {
    expect((await run(["console", "admin", `#${memberId}`, "ha-ky"])).stdout).toContain("là người quản trị của Đảng ủy xã Hà Kỳ [ha-ky]");
    expect((await run(["console", "admin", `#${memberId}`, "ha-ky"])).stdout).toContain("đã là người quản trị");
    expect(await database.prisma.role.count({ where: { memberId, role: "administrator" } })).toBe(1);
    expect((await run(["console", "admin", `#${memberId}`, "ha-ky", "--remove"])).stdout).toContain("Đã thu lại");
    expect((await run(["console", "admin", `#${memberId}`, "ha-ky", "--remove"])).stdout).toContain("không giữ vai trò quản trị");
    expect(await database.prisma.role.count({ where: { memberId, role: "administrator" } })).toBe(0);
    expect(await database.prisma.auditLog.count({ where: { subjectType: "Role", subjectId: String(memberId) } })).toBe(2);
  });

  it("names an unknown organization or member in words", async () => {
    const org = await run(["console", "admin", `#${memberId}`, "khong-co"]);
    expect(org.code).toBe(1);
    expect(org.stderr).toContain("khong-co");
    const member = await run(["console", "link", "#9999"]);
    expect(member.code).toBe(1);
    expect(member.stderr).toContain("#9999");
  });
});
