import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { consoleHttp, type ConsoleSession } from "../helpers/consoleHttp.ts";

/**
 * The members area's rules by plain HTTP: another commune's or cell's member, cell or organization
 * is "not found" in the address and in a form, and changes nothing; forms without the session's
 * token, file forms included, are refused.
 */
let app: LocalChibo;
let demo: DemoMember[];
let other: { communeId: number; cellId: number; memberId: number };
let admin: Session;
let westSecretary: Session;
let plain: Session;

type Session = ConsoleSession;
const { sessionOf, get, post } = consoleHttp(() => app);
const upload = (session: Session, fields: Record<string, string>, file: { name: string; text: string | Buffer }) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([file.text], { type: "text/csv" }), file.name);
  return fetch(`${app.baseUrl}/console/members/import`, { method: "POST", headers: { cookie: session.cookie }, body: form, redirect: "manual" });
};

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  const { organizations, db } = app.chibo.services;
  const commune = await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "khac-xa", parentCode: "demo-tinh" });
  const cell = await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "khac-thon-bac", parentCode: "khac-xa" });
  const member = await db.member.create({ data: { fullName: "Đỗ Văn Khác", searchName: "do van khac", phone: "0909111222", status: "full", cellId: cell.id } });
  other = { communeId: commune.id, cellId: cell.id, memberId: member.id };
  admin = await sessionOf(demo.find((m) => m.roles.includes("administrator"))!.id);
  westSecretary = await sessionOf(demoSecretary(demo, "demo-thon-tay").id);
  plain = await sessionOf(demo.find((m) => m.roles.length === 1 && m.cellCode === "demo-thon-nam")!.id);
}, 60_000);
afterAll(() => app?.stop());

const codesOf = (memberId: number) => app.chibo.services.db.inviteCode.count({ where: { memberId } });
const exemptionOf = async (memberId: number) => (await app.chibo.services.db.member.findUniqueOrThrow({ where: { id: memberId } })).exemption;

describe("the members area by URL tampering", () => {
  it("answers 'not found' for another commune's member, cell and organization", async () => {
    for (const path of [
      `/console/members/${other.memberId}`, `/console/members?cell=${other.cellId}`, `/console/members/slips?cell=${other.cellId}`,
      `/console/members/unlinked?cell=${other.cellId}`, `/console/members/template.xlsx?org=${other.communeId}`, "/console/members/99999",
    ]) {
      const res = await get(admin, path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("không thuộc phạm vi");
    }
  });

  it("changes nothing when a form names another commune's member or cell", async () => {
    const ownCell = demo.find((m) => m.cellCode === "demo-thon-dong")!;
    const exemption = { kind: "temporary", reason: "Ốm dài ngày", until: "2027-01-31" };
    expect((await post(admin, `/console/members/${other.memberId}/exemption`, exemption)).status).toBe(404);
    expect((await post(admin, `/console/members/${other.memberId}/exemption/clear`, {})).status).toBe(404);
    expect(await exemptionOf(other.memberId)).toBe("none");
    const cellOfOwn = (await app.chibo.services.db.member.findUniqueOrThrow({ where: { id: ownCell.id } })).cellId;
    const before = await codesOf(ownCell.id);
    expect((await post(admin, "/console/members/slips", { cell: String(other.cellId), member: String(other.memberId) })).status).toBe(404);
    expect((await post(admin, "/console/members/slips", { cell: String(cellOfOwn), member: [String(ownCell.id), String(other.memberId)] })).status).toBe(404);
    expect(await codesOf(other.memberId)).toBe(0);
    expect(await codesOf(ownCell.id)).toBe(before);
    const imported = await upload(admin, { _csrf: admin.csrf, org: String(other.communeId) }, { name: "ds.csv", text: "Họ và tên,Chi bộ,Ngày chính thức\nA B,Chi bộ thôn Bắc,01/01/2000\n" });
    expect(imported.status).toBe(404);
    expect(await app.chibo.services.db.channelState.count({ where: { key: { startsWith: "console:memberImport:" } } })).toBe(0);
  });

  it("keeps a cell's secretary to their own cell, and the area from a member without a role", async () => {
    const eastMember = demo.find((m) => m.cellCode === "demo-thon-dong")!;
    expect((await get(westSecretary, `/console/members/${eastMember.id}`)).status).toBe(404);
    expect((await post(westSecretary, `/console/members/${eastMember.id}/exemption`, { kind: "exempt", reason: "x" })).status).toBe(404);
    const list = await (await get(westSecretary, "/console/members")).text();
    expect(list).toContain("Có 16 đảng viên.");
    expect(list).not.toContain(eastMember.fullName);
    expect((await get(plain, "/console/members")).status).toBe(404);
  });
});

describe("the members area's forms", () => {
  it("refuses a change without the session's token, a file form included, and changes nothing", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-nam" && m.roles.length === 1)!;
    expect(await exemptionOf(member.id)).toBe("none");
    const res = await post(admin, `/console/members/${member.id}/exemption`, { kind: "exempt", reason: "Tuổi cao" }, false);
    expect(res.status).toBe(403);
    expect(await exemptionOf(member.id)).toBe("none");
    const before = await codesOf(member.id);
    const cell = (await app.chibo.services.db.member.findUniqueOrThrow({ where: { id: member.id } })).cellId;
    expect((await post(admin, "/console/members/slips", { cell: String(cell), member: String(member.id) }, false)).status).toBe(403);
    expect(await codesOf(member.id)).toBe(before);
    const someone = demo.find((m) => m.roles.includes("administrator"))!;
    const communeId = (await app.chibo.services.organizations.findByCode("demo-xa")).id;
    const imported = await upload(admin, { org: String(communeId) }, { name: "ds.csv", text: `Họ và tên,Chi bộ,Ngày chính thức\n${someone.fullName},${someone.cell},01/01/2000\n` });
    expect(imported.status).toBe(403);
    expect(await app.chibo.services.db.channelState.count({ where: { key: { startsWith: "console:memberImport:" } } })).toBe(0);
  });

  it("keeps the search text out of the address: a GET ignores it, a POST searches", async () => {
    const member = demo.find((m) => m.cellCode === "demo-truong-th")!;
    const viaGet = await (await get(admin, `/console/members?query=${encodeURIComponent(member.fullName)}`)).text();
    expect(viaGet).toContain("Có 60 đảng viên.");
    const viaPost = await post(admin, "/console/members", { query: member.fullName });
    expect(viaPost.status).toBe(200);
    expect(await viaPost.text()).toContain(member.fullName);
    const filtersOnly = await post(admin, "/console/members", { query: "", status: "probationary" });
    expect(filtersOnly.status).toBe(303);
    expect(filtersOnly.headers.get("location")).toBe("/console/members?status=probationary");
  });

  it("prints slips with the Zalo instructions and no QR code when chibo has no Telegram bot", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-nam" && m.roles.length === 1)!;
    const cell = (await app.chibo.services.db.member.findUniqueOrThrow({ where: { id: member.id } })).cellId;
    const res = await post(admin, "/console/members/slips", { cell: String(cell), member: String(member.id) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain("Mở Zalo, tìm chibo và nhắn mã mời này cho chibo.");
    expect(text).not.toContain("<svg");
    const code = /class="members-slip-code">([A-Z0-9-]+)</.exec(text)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });

  it("drops a checked list on Cancel, after which Confirm imports nothing", async () => {
    const communeId = String((await app.chibo.services.organizations.findByCode("demo-xa")).id);
    const held = () => app.chibo.services.db.channelState.count({ where: { key: { startsWith: "console:memberImport:" } } });
    const text = "Họ và tên,Ngày sinh,Chi bộ,Ngày vào Đảng,Ngày chính thức\nMai Văn Thử,01/01/1970,Chi bộ thôn Nam,01/01/2000,01/01/2001\n";
    const checked = await upload(admin, { _csrf: admin.csrf, org: communeId }, { name: "them.csv", text });
    const page = await checked.text();
    expect(checked.status).toBe(200);
    expect(await held()).toBe(1);
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(page)![1]!;
    const cancelled = await post(admin, "/console/members/import/cancel", {});
    expect([cancelled.status, cancelled.headers.get("location")]).toEqual([303, "/console/members/import?ok=importCancelled"]);
    expect(await held()).toBe(0);
    const confirmed = await post(admin, "/console/members/import/confirm", { sha256 });
    expect(confirmed.status).toBe(400);
    expect(await confirmed.text()).toContain("Tệp đã kiểm tra không còn được giữ");
    expect(await app.chibo.services.db.member.count({ where: { fullName: "Mai Văn Thử" } })).toBe(0);
  });

  it("refuses a file over the importer's 10 MB before reading it", async () => {
    const communeId = String((await app.chibo.services.organizations.findByCode("demo-xa")).id);
    const res = await upload(admin, { _csrf: admin.csrf, org: communeId }, { name: "lon.csv", text: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Tệp lớn hơn 10 MB nên không nhập.");
  });
});
