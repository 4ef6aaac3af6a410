import ExcelJS from "exceljs";
import fs from "node:fs";
import QRCode from "qrcode";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { DESKTOP, launchBrowser, overflowsPhone, signIn, snap, type ConsolePage } from "../helpers/consoleBrowser.ts";

/**
 * The members area as a commune's administrator and a cell's secretary use it, in a real browser:
 * search and filters, an import checked with its problems shown and then confirmed, the template,
 * an exemption, invite slips with QR codes that open the bot, and the sheet of who is not linked.
 * chibo talks to a fake Telegram, so it knows its bot's name and the slips carry t.me links.
 */
let telegram: FakeTelegram;
let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let admin: DemoMember;
let asAdmin: ConsolePage;
let asSecretary: ConsolePage;

const ROLE_WORDS: Record<string, string> = { secretary: "Bí thư", deputy_secretary: "Phó Bí thư", committee_member: "Chi ủy viên" };
const day = (iso: string | null) => (iso ? iso.split("-").reverse().join("/") : "");

beforeAll(async () => {
  telegram = await startFakeTelegram();
  app = await startChiboLocal({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot });
  demo = await loadDemo(app.chibo);
  admin = demo.find((m) => m.roles.includes("administrator"))!;
  browser = await launchBrowser();
  // One sign-in each, kept across the tests: signing in is a page of its own, tested elsewhere.
  asAdmin = await signIn(browser, app.chibo, app.baseUrl, admin.id);
  asSecretary = await signIn(browser, app.chibo, app.baseUrl, demoSecretary(demo).id);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await telegram?.close();
});

/** The signed-in person on the given page of the members area, with earlier pages' problems set aside. */
async function open(as: ConsolePage, path: string): Promise<ConsolePage> {
  as.problems.length = 0;
  await as.page.setViewportSize(DESKTOP);
  await as.page.goto(`${app.baseUrl}${path}`);
  return as;
}

/**
 * The page's own problems. A form answered "400 Bad Request" (a refused exemption, a list with
 * problems) is what the console is meant to do, but Chromium reports it as a failed resource.
 */
const unexpected = (problems: string[]) => problems.filter((p) => !p.includes("status of 400 (Bad Request)"));

const cellId = async (code: string) => (await app.chibo.db.organization.findUniqueOrThrow({ where: { code } })).id;
const rowCount = (page: Page) => page.locator("main table tbody tr").count();

/** The cell's list as a secretary keeps it, from what chibo holds: the file a re-import starts from. */
async function cellRows(code: string): Promise<Record<string, string>[]> {
  const members = await app.chibo.db.member.findMany({ where: { cell: { code }, deactivatedAt: null }, include: { cell: true, roles: true }, orderBy: { id: "asc" } });
  return members.map((m) => ({
    "Họ và tên": m.fullName, "Ngày sinh": day(m.birthDate), "Số điện thoại": m.phone ?? "", "Chi bộ": m.cell.name,
    "Chức vụ": m.roles.map((r) => ROLE_WORDS[r.role]).find(Boolean) ?? "", "Ngày vào Đảng": day(m.admittedOn), "Ngày chính thức": day(m.fullMembershipOn),
  }));
}

function csv(rows: Record<string, string>[]): Buffer {
  const headers = Object.keys(rows[0]!);
  return Buffer.from(`\uFEFF${[headers.join(","), ...rows.map((r) => headers.map((h) => r[h] ?? "").join(","))].join("\r\n")}\r\n`);
}

describe("the members area in a real browser", () => {
  it("searches by name without diacritics and filters by cell, status, link and exemption", async () => {
    const { page, problems } = await open(asAdmin, "/console/members");
    await page.getByText("Có 60 đảng viên.").waitFor();
    expect(await rowCount(page)).toBe(50);
    await snap(page, "members-list");
    expect(await overflowsPhone(page)).toBe(false);

    const someone = demo.find((m) => m.cellCode === "demo-truong-th" && m.roles.length === 1)!;
    const folded = someone.fullName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toUpperCase();
    await page.getByLabel("Tìm theo tên hoặc số điện thoại").fill(folded);
    await page.getByRole("button", { name: "Tìm", exact: true }).click();
    await page.getByRole("link", { name: someone.fullName }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/console/members`);

    await page.getByLabel("Tìm theo tên hoặc số điện thoại").fill("");
    await page.getByLabel("Chi bộ", { exact: true }).selectOption({ label: "Chi bộ thôn Tây" });
    await page.getByLabel("Loại đảng viên").selectOption("probationary");
    await page.getByRole("button", { name: "Tìm", exact: true }).click();
    await page.waitForURL(/status=probationary/);
    const probationary = await app.chibo.db.member.count({ where: { cell: { code: "demo-thon-tay" }, status: "probationary" } });
    await page.getByText(`Có ${probationary} đảng viên.`).waitFor();
    expect(probationary).toBeGreaterThan(0);

    await page.goto(`${app.baseUrl}/console/members?exemption=exempt`);
    const exempt = await app.chibo.db.member.count({ where: { cell: { code: { startsWith: "demo-" } }, exemption: "exempt" } });
    expect(await rowCount(page)).toBe(exempt);
    await page.goto(`${app.baseUrl}/console/members?linked=yes`);
    await page.getByText("Không có đảng viên nào như vậy.").waitFor();
    expect(unexpected(problems)).toEqual([]);
  });

  it("shows every problem of a list as a table, then imports the corrected file once confirmed", async () => {
    const { page, problems } = await open(asAdmin, "/console/members/import");
    const rows = await cellRows("demo-thon-nam");
    const [leaving, changed] = [rows[rows.length - 1]!, rows.find((r) => r["Số điện thoại"] !== "")!];
    const kept = rows.slice(0, -1).map((r) => (r === changed ? { ...r, "Số điện thoại": "0988777666" } : r));
    const newcomers = [
      { ...kept[0]!, "Họ và tên": "Hà Thị Mới", "Ngày sinh": "02/02/1990", "Số điện thoại": "0988000111", "Chức vụ": "" },
      { ...kept[0]!, "Họ và tên": "Vi Văn Mới", "Ngày sinh": "03/03/1991", "Số điện thoại": "", "Chức vụ": "" },
    ];
    const wrong = [...kept, { ...newcomers[0]!, "Số điện thoại": "12345" }, { ...newcomers[1]!, "Chi bộ": "Chi bộ thôn Bắc" }];

    await page.getByLabel("Tệp danh sách").setInputFiles({ name: "thon-nam.csv", mimeType: "text/csv", buffer: csv(wrong) });
    await page.getByRole("button", { name: "Kiểm tra tệp (chưa lưu)" }).click();
    await page.getByText("Tệp «thon-nam.csv» có 2 lỗi nên chưa nhập gì.", { exact: false }).waitFor();
    const problemRows = await page.locator("table.members-problems tbody tr").allInnerTexts();
    expect(problemRows.map((r) => r.split("\t").slice(0, 2))).toEqual([[String(kept.length + 2), "Số điện thoại"], [String(kept.length + 3), "Chi bộ"]]);
    expect(problemRows[0]).toContain("Số điện thoại «12345» không hợp lệ");
    expect(problemRows[1]).toContain("Không tìm thấy chi bộ «Chi bộ thôn Bắc»");

    await page.getByLabel("Tệp danh sách").setInputFiles({ name: "thon-nam.csv", mimeType: "text/csv", buffer: csv([...kept, ...newcomers]) });
    await page.getByRole("button", { name: "Kiểm tra tệp (chưa lưu)" }).click();
    await page.getByRole("button", { name: "Xác nhận nhập danh sách" }).waitFor();
    const summary = await page.locator("table.members-summary tbody tr").allInnerTexts();
    expect(summary.map((r) => r.replace(/\s+/g, " "))).toEqual([
      "Đảng viên mới thêm 2", "Đảng viên có thay đổi 1", `Đảng viên giữ nguyên ${kept.length - 1}`, "Đảng viên ra khỏi danh sách 1",
    ]);
    await page.getByRole("cell", { name: leaving["Họ và tên"], exact: true }).waitFor();
    expect(await app.chibo.db.member.count({ where: { fullName: { in: ["Hà Thị Mới", "Vi Văn Mới"] } } })).toBe(0);
    await snap(page, "members-import-preview");
    expect(await overflowsPhone(page)).toBe(false);

    await page.getByRole("button", { name: "Xác nhận nhập danh sách" }).click();
    await page.getByText("Đã nhập danh sách: thêm 2, thay đổi 1").waitFor();
    expect(await app.chibo.db.member.count({ where: { fullName: { in: ["Hà Thị Mới", "Vi Văn Mới"] }, cell: { code: "demo-thon-nam" } } })).toBe(2);
    expect((await app.chibo.db.member.findFirstOrThrow({ where: { fullName: changed["Họ và tên"], cell: { code: "demo-thon-nam" } } })).phone).toBe("0988777666");
    expect((await app.chibo.db.member.findFirstOrThrow({ where: { fullName: leaving["Họ và tên"], cell: { code: "demo-thon-nam" } } })).deactivatedAt).not.toBeNull();
    expect(await app.chibo.db.importRun.count()).toBe(1);
    expect(unexpected(problems)).toEqual([]);
  });

  it("downloads the list template with the commune's cells", async () => {
    const { page } = await open(asAdmin, "/console/members");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải mẫu danh sách (Excel)" }).click()]);
    expect(download.suggestedFilename()).toBe("mau-danh-sach-dang-vien.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const [list, help] = workbook.worksheets;
    expect(list!.getRow(1).values).toEqual([undefined, "STT", "Họ và tên", "Ngày sinh", "Số điện thoại", "Chi bộ", "Chức vụ", "Ngày vào Đảng", "Ngày chính thức"]);
    const helpText = help!.getColumn(1).values.map(String).join("\n");
    for (const cell of ["Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ thôn Nam", "Chi bộ Trường Tiểu học Hòa Bình"]) expect(helpText).toContain(cell);
  });

  it("sets a temporary exemption with its end date, and lifts it", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1)!;
    const { page, problems } = await open(asSecretary, `/console/members/${member.id}`);
    await page.getByRole("heading", { name: member.fullName }).waitFor();
    await page.getByLabel("Loại").selectOption("temporary");
    await page.getByLabel("Lý do (bắt buộc)").fill("Đi làm ăn xa");
    await page.getByRole("button", { name: "Lưu việc miễn sinh hoạt" }).click();
    await page.getByText("Tạm miễn cần có ngày kết thúc: điền ô «Đến ngày».").waitFor();
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).exemption).toBe("none");
    await page.getByLabel("Đến ngày (bắt buộc khi tạm miễn)").fill("2099-06-30");
    await page.getByRole("button", { name: "Lưu việc miễn sinh hoạt" }).click();
    await page.getByText("Đã lưu việc miễn sinh hoạt.").waitFor();
    expect(await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ exemption: "temporary", exemptionReason: "Đi làm ăn xa", exemptionUntil: "2099-06-30" });
    await page.getByText("Tạm miễn đến 30/06/2099").waitFor();
    await page.getByRole("button", { name: "Bỏ miễn, sinh hoạt lại bình thường" }).click();
    await page.getByText("Đã bỏ miễn").waitFor();
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).exemption).toBe("none");
    expect(unexpected(problems)).toEqual([]);
  });

  it("prints invite slips for the members not linked yet, each with a QR code opening the bot with its code", async () => {
    const cell = demo.filter((m) => m.cellCode === "demo-thon-dong");
    const early = cell.find((m) => m.roles.length === 1)!;
    await app.chibo.services.invites.redeem(early.inviteCode, { channel: "zalo_bot", externalUserId: "z-early", chatId: "z-early" }, new Date());
    const { page, problems } = await open(asSecretary, `/console/members/slips?cell=${await cellId("demo-thon-dong")}`);
    expect(await page.getByLabel(early.fullName, { exact: false }).isChecked()).toBe(false);
    expect(await page.locator("input[name=member]:checked").count()).toBe(cell.length - 1);
    await page.getByRole("button", { name: "Cấp mã và in giấy mời" }).click();
    await page.getByText(`Đã cấp ${cell.length - 1} mã mời mới.`).waitFor();

    const slips = page.locator(".members-slip");
    expect(await slips.count()).toBe(cell.length - 1);
    expect(await page.locator(".members-slip svg.members-qr").count()).toBe(cell.length - 1);
    expect(await page.locator(".members-sheet").count()).toBe(Math.ceil((cell.length - 1) / 8));
    const first = slips.first();
    const name = (await first.locator(".members-slip-name").textContent())!;
    const code = (await first.locator(".members-slip-code").textContent())!;
    // The QR code is the t.me link with this slip's code: the modules drawn are those of that link.
    const expected = await QRCode.toString(`https://t.me/chibo_test_bot?start=${code}`, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    expect(await first.locator("svg.members-qr path[stroke]").getAttribute("d")).toBe(/<path stroke="#000000" d="([^"]+)"/.exec(expected)![1]);
    const linked = await app.chibo.services.invites.redeem(code, { channel: "telegram", externalUserId: "tg-slip", chatId: "tg-slip" }, new Date());
    expect(linked.memberId).toBe(cell.find((m) => m.fullName === name)!.id);

    await snap(page, "members-slips");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.top").isVisible()).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(Math.ceil((cell.length - 1) / 8));
    await page.emulateMedia({ media: "screen" });
    expect(unexpected(problems)).toEqual([]);
  });

  it("prints the secretary's sheet of who has not linked yet, phones masked", async () => {
    const { page, problems } = await open(asSecretary, `/console/members/unlinked?cell=${await cellId("demo-thon-dong")}`);
    const unlinked = await app.chibo.db.member.count({ where: { cell: { code: "demo-thon-dong" }, deactivatedAt: null, identities: { none: {} } } });
    expect(unlinked).toBe(demo.filter((m) => m.cellCode === "demo-thon-dong").length - 2);
    await page.getByText(`${unlinked} đồng chí chưa kết nối`, { exact: false }).waitFor();
    const rows = await page.locator("table.members-unlinked tbody tr").allInnerTexts();
    expect(rows).toHaveLength(unlinked);
    for (const row of rows) expect(row.split("\t")[2]).toMatch(/^(•+\d{3}|—)$/);
    await snap(page, "members-unlinked");
    expect(await overflowsPhone(page)).toBe(false);
    expect(unexpected(problems)).toEqual([]);
  });
});
