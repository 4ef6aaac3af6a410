import ExcelJS from "exceljs";
import JSZip from "jszip";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";
import { DESKTOP, launchBrowser, overflowsPhone, signIn, snap, type ConsolePage } from "../helpers/consoleBrowser.ts";

/**
 * The meetings area as a cell's secretary and a commune's reviewer use it, in a real browser, on
 * the day after the demo village's December meeting (Monday 7 December 2026, 19:30): the month's
 * calendar, the meeting with its roll call corrected, "not held" and the postponement within and
 * beyond the limit, the year's attendance and the minutes draft; then scope, window and CSRF by HTTP.
 */
const clock = runningClock("2026-12-08T03:00:00Z"); // Tuesday 8 December 2026, 10:00 in Vietnam
let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let secretary: DemoMember;
let reviewer: DemoMember;

beforeAll(async () => {
  app = await startChiboLocal({}, { clock });
  demo = await loadDemo(app.chibo);
  secretary = demoSecretary(demo);
  reviewer = demo.find((m) => m.roles.includes("reviewer") && m.cellCode === "demo-thon-dong")!;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Signed in at the test's clock (a link issued by the system clock would have expired on its calendar). */
async function signInAt(memberId: number): Promise<ConsolePage> {
  const opened = await signIn(browser, app.chibo, app.baseUrl, memberId, DESKTOP, clock.now());
  opened.problems.length = 0;
  return opened;
}

const cellOf = (code: string) => app.chibo.db.organization.findUniqueOrThrow({ where: { code } });

describe("meetings in the console, in a real browser", () => {
  it("lets the secretary see the month, correct the roll call, postpone within the limit and download the year and the minutes", async () => {
    const { page, problems, close } = await signInAt(secretary.id);
    await page.goto(`${app.baseUrl}/console/meetings?month=2026-12`);
    await page.getByRole("heading", { name: "Lịch sinh hoạt chi bộ" }).waitFor();
    const row = page.locator("table.meetings-calendar tbody tr", { hasText: "Chi bộ thôn Đông" });
    expect(await row.textContent()).toContain("Thứ Hai, 07/12/2026 19:30");
    expect(await row.textContent()).toContain("Chưa báo đã họp");
    await snap(page, "meetings-calendar");
    expect(await overflowsPhone(page)).toBe(false);

    await row.getByRole("link", { name: /Mở buổi sinh hoạt/ }).click();
    await page.getByRole("heading", { name: "Chi bộ thôn Đông — sinh hoạt ngày 07/12/2026" }).waitFor();
    const meetingUrl = page.url();

    // Who came: a member recorded absent, with the reason, inside the roll-call window.
    const member = demo.find((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1 && m.phone !== null)!;
    await page.getByLabel("Đảng viên", { exact: true }).selectOption({ label: `${member.fullName} (Chưa trả lời)` });
    await page.getByLabel("Vắng", { exact: true }).check();
    await page.getByLabel("Lý do vắng (nếu có)").fill("Đi công tác tỉnh");
    await page.getByRole("button", { name: "Lưu điểm danh" }).click();
    await page.getByText("Đã lưu điểm danh.").waitFor();
    expect(await page.locator("main table tbody tr", { hasText: member.fullName }).textContent()).toContain("Đi công tác tỉnh");
    await snap(page, "meetings-meeting");
    expect(await overflowsPhone(page)).toBe(false);

    // "Not held" while it can still move points to the postponement.
    await page.getByRole("button", { name: "Không họp được" }).click();
    await page.getByText("vẫn còn lùi lịch được").waitFor();

    // Beyond the limit: the rule's own sentence, nothing moved.
    await page.getByLabel("Ngày họp mới").fill("2026-12-10");
    await page.getByLabel("Lý do lùi").fill("Mưa bão");
    const refused = page.waitForResponse((r) => r.url().endsWith("/postpone"));
    await page.getByRole("button", { name: "Lùi buổi sinh hoạt" }).click();
    expect((await refused).status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("tối đa 2 ngày sau ngày quy định (07/12/2026); ngày muộn nhất là 09/12/2026");
    expect(await page.getByLabel("Lý do lùi").inputValue()).toBe("Mưa bão");
    // The browser notes the refused page's status; that one is expected.
    expect(problems).toEqual(["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    problems.length = 0;

    await page.getByLabel("Ngày họp mới").fill("2026-12-09");
    await page.getByRole("button", { name: "Lùi buổi sinh hoạt" }).click();
    await page.getByText("Đã lùi buổi sinh hoạt.").waitFor();
    expect(await page.locator(".meetings-summary").textContent()).toContain("Lý do: Mưa bão");
    expect(await page.locator("main").textContent()).toContain("Thứ Tư, 09/12/2026 19:30");

    const [sheet] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Bảng điểm danh năm 2026 (Excel)" }).click()]);
    expect(sheet.suggestedFilename()).toBe("diem-danh-demo-thon-dong-2026.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync((await sheet.path())!) as unknown as ArrayBuffer);
    const names = workbook.getWorksheet("Điểm danh 2026")!.getColumn(2).values.map(String);
    expect(names).toContain(member.fullName);

    const [minutes] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải dự thảo biên bản (Word)" }).click()]);
    expect(minutes.suggestedFilename()).toBe("bien-ban-demo-thon-dong-2026-12.docx");
    const xml = await (await JSZip.loadAsync(fs.readFileSync((await minutes.path())!))).file("word/document.xml")!.async("string");
    const text = xml.replace(/<[^>]+>/g, "");
    for (const expected of ["BIÊN BẢN SINH HOẠT CHI BỘ", "CHI BỘ THÔN ĐÔNG", "Hòa Bình, ngày 09 tháng 12 năm 2026", `Đồng chí ${member.fullName}: Đi công tác tỉnh`, "Lý do: Mưa bão"]) {
      expect(text, expected).toContain(expected);
    }
    expect(page.url()).toBe(`${meetingUrl}?ok=postponed`);
    expect(problems).toEqual([]);
    await close();
  });

  it("shows a commune's reviewer another cell's meeting without any form to change it", async () => {
    const { page, problems, close } = await signInAt(reviewer.id);
    await page.goto(`${app.baseUrl}/console/meetings?month=2026-12`);
    const rows = await page.locator("table.meetings-calendar tbody tr").allTextContents();
    expect(rows.filter((r) => r.includes("Chi bộ"))).toHaveLength(4);
    await page.locator("table.meetings-calendar tbody tr", { hasText: "Chi bộ thôn Tây" }).getByRole("link", { name: /Mở buổi sinh hoạt/ }).click();
    await page.getByRole("heading", { name: /Chi bộ thôn Tây — sinh hoạt ngày 07\/12\/2026/ }).waitFor();
    await page.getByRole("heading", { name: "Điểm danh" }).waitFor();
    expect(await page.locator("main form[method=post]").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Tải dự thảo biên bản (Word)" }).count()).toBe(1);
    expect(problems).toEqual([]);
    await close();
  });
});

describe("meetings by HTTP: scope, the roll-call window and the form's token", () => {
  const post = (path: string, form: Record<string, string>, cookie: string) =>
    fetch(`${app.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(form), redirect: "manual", headers: { origin: app.baseUrl, cookie } });
  const get = (path: string, cookie: string) => fetch(`${app.baseUrl}${path}`, { redirect: "manual", headers: { cookie } });

  async function session(memberId: number): Promise<{ cookie: string; csrf: string }> {
    const { token } = await app.chibo.services.consoleSessions.issueLink(memberId, "cli", clock.now(), { kind: "cli" });
    const res = await fetch(`${app.baseUrl}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual", headers: { origin: app.baseUrl } });
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await get("/console/account", cookie)).text();
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
  }

  it("answers 'not found' for another commune's meeting and cell, and a POST there changes nothing", async () => {
    const { organizations } = app.chibo.services;
    await organizations.add({ level: "base", name: "Đảng ủy xã Hòa Lạc", code: "test-hoa-lac", parentCode: "demo-tinh" });
    const foreignCell = await organizations.add({ level: "cell", name: "Chi bộ thôn Lạc", code: "test-thon-lac", parentCode: "test-hoa-lac", cellKind: "village", rule: { dayOfMonth: 7, time: "19:30" } });
    const foreign = await app.chibo.db.meeting.create({ data: { cellId: foreignCell.id, scheduledAt: new Date("2026-12-07T12:30:00Z") } });
    const { cookie, csrf } = await session(secretary.id);
    for (const path of [`/console/meetings/${foreign.id}`, `/console/meetings/${foreign.id}/minutes.docx`, `/console/meetings/attendance.xlsx?cell=${foreignCell.id}&year=2026`,
      `/console/meetings/open?cell=${foreignCell.id}&date=2026-12-07`, "/console/meetings/999999"]) {
      expect((await get(path, cookie)).status, path).toBe(404);
    }
    const moved = await post(`/console/meetings/${foreign.id}/postpone`, { _csrf: csrf, date: "2026-12-09", time: "19:30", reason: "Thử" }, cookie);
    expect(moved.status).toBe(404);
    expect((await post(`/console/meetings/${foreign.id}/held`, { _csrf: csrf, held: "yes" }, cookie)).status).toBe(404);
    expect(await app.chibo.db.meeting.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ status: "planned", postponedTo: null });
    expect(await app.chibo.db.meeting.count({ where: { cellId: foreignCell.id } })).toBe(1);
  });

  it("refuses a change without the form's token, and a reviewer's change, leaving the meeting as it was", async () => {
    const tay = await cellOf("demo-thon-tay");
    const { cookie: reviewerCookie, csrf: reviewerCsrf } = await session(reviewer.id);
    const opened = await get(`/console/meetings/open?cell=${tay.id}&date=2026-12-07`, reviewerCookie);
    const meetingId = Number(/\/console\/meetings\/(\d+)$/.exec(opened.headers.get("location")!)![1]);
    const { cookie } = await session(demoSecretary(demo, "demo-thon-tay").id);
    expect((await post(`/console/meetings/${meetingId}/held`, { held: "no" }, cookie)).status).toBe(403);
    const refused = await post(`/console/meetings/${meetingId}/postpone`, { _csrf: reviewerCsrf, date: "2026-12-09", time: "19:30", reason: "Thử" }, reviewerCookie);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Đồng chí chỉ được xem buổi sinh hoạt này.");
    expect(await app.chibo.db.meeting.findUniqueOrThrow({ where: { id: meetingId } })).toMatchObject({ status: "planned", postponedTo: null });
  });

  it("offers no correction once the roll call is final, and refuses one posted anyway with the chat's sentence", async () => {
    const { cookie, csrf } = await session(secretary.id);
    const dong = await cellOf("demo-thon-dong");
    // 7 November 2026 is a Saturday: the demo cells then meet on Monday the 9th.
    const opened = await get(`/console/meetings/open?cell=${dong.id}&date=2026-11-09`, cookie);
    const path = opened.headers.get("location")!;
    const page = await (await get(path, cookie)).text();
    expect(page).toContain("Điểm danh đã chốt");
    expect(page).not.toContain(`action="${path}/attendance"`);
    const member = demo.find((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1)!;
    const res = await post(`${path}/attendance`, { _csrf: csrf, member: String(member.id), answer: "present", reason: "" }, cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Đã quá 7 ngày sau buổi sinh hoạt nên điểm danh đã chốt");
    expect(await app.chibo.db.attendance.count({ where: { meetingId: Number(path.split("/").at(-1)), memberId: member.id } })).toBe(0);
    expect((await get(`/console/meetings/attendance.xlsx?cell=${dong.id}&year=20x6`, cookie)).status).toBe(400);
  });
});
