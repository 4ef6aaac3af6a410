import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

/**
 * A member who can no longer chat (deactivated by a re-import, or without a phone) asks the
 * secretary for their copy: the operator writes it to a file with `members export`.
 */
const NOW = "2026-12-03T03:00:00Z";

let database: TestDatabase;
let dir: string;
let memberId: number;
const run = (args: string[]) => chibo(args, { databaseUrl: database.url, now: NOW });

beforeEach(async () => {
  database = await freshDatabase();
  dir = tempDir();
  const services = buildServices(database.prisma);
  const tree = await buildSmallTree(services);
  const db = database.prisma;
  memberId = (await db.member.create({ data: {
    fullName: "Trần Văn Bình", searchName: "tran van binh", phone: "0912345003", birthDate: "1958-02-11", status: "full", admittedOn: "1980-03-03",
    cellId: tree.village.id, deactivatedAt: new Date("2026-11-20T00:00:00Z"),
  } })).id;
  const meeting = await db.meeting.create({ data: { cellId: tree.village.id, scheduledAt: new Date("2026-11-07T12:30:00Z"), status: "held" } });
  await db.attendance.create({ data: { meetingId: meeting.id, memberId, answer: "absent", reason: "Đi viện khám mắt", source: "text", answeredAt: new Date("2026-11-06T01:00:00Z") } });
});
afterEach(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await database.cleanup();
});

describe("members export", () => {
  it("writes everything chibo holds about the member to a file only chibo's user can read, and records the export", async () => {
    const file = path.join(dir, "ban-sao.txt");
    const result = await run(["members", "export", "0912 345 003", "--out", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Trần Văn Bình (#${memberId})`);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("Trần Văn Bình");
    expect(text).toContain("0912345003");
    expect(text).toContain("Đi viện khám mắt");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rows = await database.prisma.auditLog.findMany({ where: { action: "export", subjectType: "Member", subjectId: String(memberId) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorKind: "cli", actorId: null });
    expect(rows[0]!.detail).not.toContain("Bình");
  });

  it("never overwrites a file, and names an unknown member clearly", async () => {
    const file = path.join(dir, "co-san.txt");
    fs.writeFileSync(file, "giữ nguyên");
    const exists = await run(["members", "export", `#${memberId}`, "--out", file]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain("chibo không ghi đè");
    expect(fs.readFileSync(file, "utf8")).toBe("giữ nguyên");

    const unknown = await run(["members", "export", "#99999", "--out", path.join(dir, "x.txt")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(fs.existsSync(path.join(dir, "x.txt"))).toBe(false);
  });
});
