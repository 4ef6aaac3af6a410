import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices, buildSmallTree } from "../helpers/services.ts";

let database: TestDatabase;
let run: (...args: string[]) => ReturnType<typeof chibo>;
let secretary: number;
let other: number;
const NOW = "2026-09-25T03:00:00Z"; // Friday 25 September 2026, 10:00 in Vietnam

beforeEach(async () => {
  database = await freshDatabase();
  run = (...args) => chibo(args, { databaseUrl: database.url, now: NOW });
  const db = database.prisma;
  const { village } = await buildSmallTree(buildServices(db));
  const member = async (fullName: string, phone: string) => (await db.member.create({ data: { fullName, searchName: fullName.toLowerCase(), status: "full", cellId: village.id, phone } })).id;
  secretary = await member("Đỗ Thị Tám", "0912345678");
  other = await member("Phạm Văn Mười", "0987654321");
});
afterEach(() => database.cleanup());

/** Four rows over four days: reads by two members, one sent by the system, an export from the CLI. */
async function seed() {
  const row = (at: string, data: { actorKind: string; actorId?: number; action: string; subjectType: string; subjectId?: string; detail?: string }) =>
    database.prisma.auditLog.create({ data: { ...data, at: new Date(at) } });
  await row("2026-09-20T03:00:00Z", { actorKind: "member", actorId: secretary, action: "read", subjectType: "Roster", subjectId: "5", detail: "present 3, absent 1 (1 with a reason), not answered 0, exempt 0" });
  await row("2026-09-23T16:30:00Z", { actorKind: "system", actorId: secretary, action: "read", subjectType: "FeedbackDigest", subjectId: "2", detail: "weekly" }); // 23/09 23:30 local
  await row("2026-09-23T17:30:00Z", { actorKind: "cli", action: "export", subjectType: "Feedback", detail: "digest ha-ky: 4" }); // 24/09 00:30 local
  await row("2026-09-24T03:00:00Z", { actorKind: "member", actorId: other, action: "read", subjectType: "Roster", subjectId: "6" });
}
const listings = () => database.prisma.auditLog.findMany({ where: { subjectType: "AuditLog" }, orderBy: { id: "asc" } });

describe("npm run chibo -- audit", () => {
  it("lists the rows newest first with the actor's name, in Vietnamese, and logs the listing itself once", async () => {
    await seed();
    const all = await run("audit");
    expect(all.code).toBe(0);
    expect(all.stdout.split("\n")).toEqual([
      `24/09/2026 10:00  Phạm Văn Mười (#${other})  xem  Roster:6`,
      "24/09/2026 00:30  dòng lệnh  xuất tệp  Feedback  digest ha-ky: 4",
      `23/09/2026 23:30  hệ thống gửi tới Đỗ Thị Tám (#${secretary})  xem  FeedbackDigest:2  weekly`,
      `20/09/2026 10:00  Đỗ Thị Tám (#${secretary})  xem  Roster:5  present 3, absent 1 (1 with a reason), not answered 0, exempt 0`,
      "4 dòng, mới nhất trước.",
    ]);
    expect(await listings()).toMatchObject([{ actorKind: "cli", actorId: null, action: "read", detail: "4 rows; limit=50", at: new Date(NOW) }]);
    // The next listing shows the first one's row, not its own.
    const again = await run("audit", "--limit", "1");
    expect(again.stdout.split("\n")).toEqual(["25/09/2026 10:00  dòng lệnh  xem  AuditLog  4 rows; limit=50", "1 dòng, mới nhất trước."]);
    expect(await listings()).toHaveLength(2);
  });

  it("filters by member (phone or id), kind of actor, action, subject and local days", async () => {
    await seed();
    const subjects = async (...args: string[]) => {
      const { code, stdout, stderr } = await run("audit", ...args, "--json");
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      return (JSON.parse(stdout) as { rows: { subjectType: string; subjectId: string | null }[] }).rows.map((r) => `${r.subjectType}${r.subjectId ? `:${r.subjectId}` : ""}`);
    };
    expect(await subjects("--actor", "0912 345 678")).toEqual(["FeedbackDigest:2", "Roster:5"]);
    expect(await subjects("--actor", `#${other}`)).toEqual(["Roster:6"]);
    expect(await subjects("--actor", "system")).toEqual(["FeedbackDigest:2"]);
    expect(await subjects("--action", "export")).toEqual(["Feedback"]);
    expect(await subjects("--subject", "Roster")).toEqual(["Roster:6", "Roster:5"]);
    expect(await subjects("--subject", "Roster:5")).toEqual(["Roster:5"]);
    // Days are Vietnam's: 23:30 on the 23rd is the 23rd, 00:30 on the 24th the 24th.
    expect(await subjects("--until", "2026-09-23", "--action", "read")).toEqual(["FeedbackDigest:2", "Roster:5"]);
    expect(await subjects("--since", "2026-09-24", "--until", "2026-09-24")).toEqual(["Roster:6", "Feedback"]);
    expect(await subjects("--since", "2026-09-21", "--until", "2026-09-23", "--actor", `#${secretary}`)).toEqual(["FeedbackDigest:2"]);
    // Each listing is logged with its filters, a member named by id, never by phone.
    const logged = (await listings()).map((r) => r.detail);
    expect(logged[0]).toBe(`2 rows; actor=#${secretary} limit=50`);
    expect(logged[8]).toBe(`1 rows; actor=#${secretary} since=2026-09-20T17:00:00.000Z until=2026-09-23T17:00:00.000Z limit=50`);
    expect(JSON.stringify(logged)).not.toContain("0912");
  });

  it("prints JSON for machines, with the actor's kind, id and name", async () => {
    await seed();
    const { stdout } = await run("audit", "--subject", "FeedbackDigest", "--json");
    expect(JSON.parse(stdout)).toEqual({
      rows: [{
        id: expect.any(Number) as number,
        at: "2026-09-23T16:30:00.000Z",
        actor: { kind: "system", id: secretary, name: "Đỗ Thị Tám" },
        action: "read",
        subjectType: "FeedbackDigest",
        subjectId: "2",
        detail: "weekly",
      }],
    });
  });

  it("speaks English when asked, and says when nothing matches", async () => {
    await seed();
    const english = await run("audit", "--lang", "en", "--subject", "Roster:5");
    expect(english.stdout.split("\n")).toEqual([
      `20/09/2026 10:00  Đỗ Thị Tám (#${secretary})  read  Roster:5  present 3, absent 1 (1 with a reason), not answered 0, exempt 0`,
      "1 row, newest first.",
    ]);
    expect((await run("audit", "--subject", "Roster:99")).stdout).toBe("Không có dòng nhật ký nào khớp.");
  });

  it.each([
    [["--action", "peek"], "Không có hành động «peek»; dùng một trong: read, create, update, delete, import, export, link."],
    [["--subject", "Roster:"], "«Roster:» không đúng dạng loại[:mã], ví dụ Roster hoặc Roster:12."],
    [["--since", "2026-02-30"], "Tùy chọn --since cần một ngày dạng YYYY-MM-DD, nhận được «2026-02-30»."],
    [["--since", "2026-09-24", "--until", "2026-09-20"], "Ngày --since (2026-09-24) ở sau ngày --until (2026-09-20)."],
    [["--limit", "0"], "Tùy chọn --limit cần một số từ 1 đến 1000, nhận được «0»."],
    [["--limit", "ten"], "Tùy chọn --limit cần một số nguyên, nhận được «ten»."],
    [["--actor", "0999 999 999"], "Không tìm thấy đảng viên «0999 999 999» (tìm theo số điện thoại hoặc mã số như #12)."],
  ])("refuses %j with a clear message and lists nothing", async (args, message) => {
    const refused = await run("audit", ...args);
    expect(refused).toEqual({ code: 1, stdout: "", stderr: message });
    expect(await listings()).toEqual([]);
  });
});

describe("CLI reads of member data", () => {
  it("members list is logged once, as a read by the command line, with the organization and a count", async () => {
    const list = await run("members", "list", "--org", "ha-ky");
    expect(list.stdout).toContain("Đỗ Thị Tám");
    const log = await database.prisma.auditLog.findMany();
    expect(log).toMatchObject([{ actorKind: "cli", actorId: null, action: "read", subjectType: "Member", detail: "list ha-ky: 2" }]);
    expect(JSON.stringify(log)).not.toContain("Đỗ Thị Tám");
    expect((await run("audit", "--action", "read", "--subject", "Member")).stdout.split("\n")[0]).toBe("25/09/2026 10:00  dòng lệnh  xem  Member  list ha-ky: 2");
  });
});
