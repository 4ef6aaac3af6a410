import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOLD_MINUTES, safeFileName } from "../../src/services/memberImportUploads.ts";
import { writeMemberCsv } from "../fixtures/memberFiles.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let services: ReturnType<typeof buildServices>;
let communeId: number;
let dir: string;
const NOW = new Date("2026-11-01T03:00:00Z");
const LATER = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const ACTOR = { kind: "console", memberId: 1 };

const ROW = (name: string, phone: string, cell = "Chi bộ thôn Đông") =>
  ({ "Họ và tên": name, "Ngày sinh": "12/03/1958", "Số điện thoại": phone, "Chi bộ": cell, "Chức vụ": "", "Ngày vào Đảng": "03/02/1985", "Ngày chính thức": "03/02/1986" });
const THREE = [ROW("Nguyễn Văn Hùng", "0912345678"), ROW("Trần Thị Lan", "0912345679"), ROW("Lê Minh Tuấn", "0912345670")];

beforeEach(async () => {
  database = await freshDatabase();
  services = buildServices(database.prisma);
  communeId = (await buildSmallTree(services)).commune.id;
  dir = tempDir();
});
afterEach(() => database.cleanup());

const bytesOf = (rows: Record<string, string>[], fileName = "danh-sach.csv") => fs.readFileSync(writeMemberCsv(dir, rows, { fileName }));
const check = (bytes: Buffer, sessionId = 7, now = NOW, fileName = "danh-sach.csv") => services.memberImportUploads.preview({
  sessionId, memberId: 1, orgCode: "ha-ky", organizationId: communeId, fileName, bytes, now, actor: ACTOR,
});
const confirm = (sha256: string, options: { sessionId?: number; memberId?: number; now?: Date; allowDeactivate?: boolean } = {}) => services.memberImportUploads.confirm({
  sessionId: options.sessionId ?? 7, memberId: options.memberId ?? 1, orgCode: "ha-ky", sha256, allowDeactivate: options.allowDeactivate ?? false, now: options.now ?? NOW, actor: ACTOR,
});

describe("a member list checked in the console, then confirmed", () => {
  it("keeps a clean file after the check, saving no member, and imports exactly it on confirmation", async () => {
    const checked = await check(bytesOf(THREE));
    expect(checked.pending?.summary).toMatchObject({ created: 3, updated: 0, unchanged: 0, leaving: [] });
    expect(await database.prisma.member.count()).toBe(0);
    const outcome = await confirm(checked.pending!.sha256);
    expect(outcome.kind).toBe("done");
    expect((await database.prisma.member.findMany({ orderBy: { id: "asc" } })).map((m) => m.fullName)).toEqual(["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn"]);
    const run = await database.prisma.importRun.findFirstOrThrow();
    expect(run).toMatchObject({ fileName: "danh-sach.csv", fileSha256: checked.pending!.sha256, created: 3 });
    expect(await database.prisma.auditLog.count({ where: { action: "import", actorKind: "console", actorId: 1 } })).toBe(1);
    // The file is no longer kept: a second press imports nothing more.
    expect(await confirm(checked.pending!.sha256)).toEqual({ kind: "gone" });
    expect(await database.prisma.channelState.count()).toBe(0);
  });

  it("keeps nothing for a file with problems, and reports them in the importer's words", async () => {
    const checked = await check(bytesOf([ROW("Nguyễn Văn Hùng", "12345"), ROW("Trần Thị Lan", "0912345679", "Chi bộ thôn Bắc")]));
    expect(checked.pending).toBeUndefined();
    expect(checked.report.problems.map((p) => [p.line, p.field, p.code])).toEqual([[2, "phone", "import:invalidPhone"], [3, "cell", "import:unknownCell"]]);
    expect(await database.prisma.channelState.count()).toBe(0);
  });

  it("imports nothing for another file's hash, another member, or after the time it is kept", async () => {
    const { pending } = await check(bytesOf(THREE));
    expect(await confirm("0".repeat(64))).toEqual({ kind: "gone" });
    expect(await confirm(pending!.sha256, { memberId: 2 })).toEqual({ kind: "gone" });
    expect(await confirm(pending!.sha256, { sessionId: 8 })).toEqual({ kind: "gone" });
    expect(await confirm(pending!.sha256, { now: LATER(HOLD_MINUTES + 1) })).toEqual({ kind: "gone" });
    expect(await database.prisma.member.count()).toBe(0);
    expect(await services.memberImportUploads.sweep(LATER(HOLD_MINUTES + 1))).toBe(1);
    expect(await database.prisma.channelState.count()).toBe(0);
  });

  it("a second file checked in the same session replaces the first, whose button then imports nothing", async () => {
    const first = await check(bytesOf(THREE));
    const second = await check(bytesOf(THREE.slice(0, 1), "mot.csv"));
    expect(await confirm(first.pending!.sha256)).toEqual({ kind: "gone" });
    expect((await confirm(second.pending!.sha256)).kind).toBe("done");
    expect(await database.prisma.member.count()).toBe(1);
  });

  it("shows the new result instead of importing when the members changed since the check", async () => {
    const { pending } = await check(bytesOf(THREE));
    const cell = await services.organizations.findByCode("thon-dong");
    await database.prisma.member.create({ data: { fullName: "Nguyễn Văn Hùng", searchName: "nguyen van hung", phone: "0912345678", birthDate: "1958-03-12", status: "full", admittedOn: "1985-02-03", fullMembershipOn: "1986-02-03", cellId: cell.id } });
    const outcome = await confirm(pending!.sha256);
    expect(outcome.kind).toBe("changed");
    if (outcome.kind !== "changed") return;
    expect(outcome.pending?.summary).toMatchObject({ created: 2, updated: 1 });
    expect(await database.prisma.member.count()).toBe(1);
    // Confirmed again, the new result is what gets imported.
    expect((await confirm(pending!.sha256)).kind).toBe("done");
    expect(await database.prisma.member.count()).toBe(3);
  });

  it("asks for the tick when more than half the cells' members would leave, and deactivates them once ticked", async () => {
    expect((await confirm((await check(bytesOf(THREE))).pending!.sha256)).kind).toBe("done");
    const { pending } = await check(bytesOf(THREE.slice(0, 1), "chi-mot.csv"));
    expect(pending?.summary).toMatchObject({ unchanged: 1, needsAllowDeactivate: true, activeInCells: 3 });
    expect(pending?.summary.leaving.map((m) => m.fullName)).toEqual(["Trần Thị Lan", "Lê Minh Tuấn"]);
    expect(await confirm(pending!.sha256)).toMatchObject({ kind: "needsAllow" });
    expect(await database.prisma.member.count({ where: { deactivatedAt: null } })).toBe(3);
    const done = await confirm(pending!.sha256, { allowDeactivate: true });
    expect(done.kind).toBe("done");
    expect((await database.prisma.member.findMany({ where: { deactivatedAt: { not: null } } })).map((m) => m.fullName).sort()).toEqual(["Lê Minh Tuấn", "Trần Thị Lan"]);
  });

  it("reads the file's own name as a plain base name, keeping its extension", () => {
    expect(safeFileName("C:\\Users\\bi thu\\Danh sách.xlsx")).toBe("Danh sách.xlsx");
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("..")).toBe("upload");
    expect(safeFileName(`${"a".repeat(300)}.csv`)).toMatch(/^a{116}\.csv$/);
  });
});
