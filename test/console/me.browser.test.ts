import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromLocal, toLocal } from "../../src/domain/localTime.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { type ConsolePage, launchBrowser, overflowsPhone, signIn as signInAs, snap } from "../helpers/consoleBrowser.ts";

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let member: DemoMember;
let neighbour: DemoMember;

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  const plain = demo.filter((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1 && m.roles[0] === "member");
  [member, neighbour] = [plain[0]!, plain[1]!];
  // The cell's secretary uses the web chat, so an erase request reaches them.
  const picked = await fetch(`${app.baseUrl}/chat/api/pick`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ memberId: demoSecretary(demo).id }),
  });
  expect(picked.status).toBe(200);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A past meeting of the member's cell they were absent from, their answer to the next one, and feedback. */
async function memberHistory() {
  const { db, services, feedback } = app.chibo;
  const now = new Date();
  const cell = await db.organization.findUniqueOrThrow({ where: { code: "demo-thon-dong" } });
  const twoMonthsAgo = toLocal(new Date(now.getTime() - 60 * 86_400_000));
  const past = await db.meeting.create({
    data: { cellId: cell.id, scheduledAt: fromLocal({ year: twoMonthsAgo.year, month: twoMonthsAgo.month, day: 7, hour: 19, minute: 30 }), status: "held", place: "Nhà văn hóa thôn Đông" },
  });
  await db.attendance.create({ data: { meetingId: past.id, memberId: member.id, answer: "absent", reason: "Đi công tác tỉnh", source: "text", answeredAt: now } });
  await db.attendance.create({ data: { meetingId: past.id, memberId: neighbour.id, answer: "absent", reason: "Lý do của người khác", source: "text", answeredAt: now } });
  const { ahead } = await services.attendance.nextMeetingOfCell(cell.id, now);
  await services.attendance.record({ meetingId: ahead!.meeting.id, memberId: member.id, answer: "present", source: "button", now });
  const signed = await feedback.submit({ authorId: member.id, anonymous: false, addressee: "peoples_committee", category: "environment", text: "Đề nghị nạo vét mương thoát nước xóm 3.", now });
  await feedback.submit({ authorId: member.id, anonymous: true, addressee: "party_committee", category: "cadres", text: "Góp ý kín về cán bộ thôn.", now });
  await feedback.submit({ authorId: neighbour.id, anonymous: false, addressee: "peoples_committee", category: "land", text: "Góp ý của người hàng xóm.", now });
  await db.feedback.update({ where: { id: signed.id }, data: { status: "answered", answer: "UBND xã sẽ nạo vét trong tháng tới.", answeredAt: now } });
}

/** Signed in as a person does, through a one-time link and the button. */
const signIn = (memberId: number): Promise<ConsolePage> => signInAs(browser, app.chibo, app.baseUrl, memberId);

describe("the member's own page, in a real browser", () => {
  it("shows a plain member only their page: meetings, feedback, the data download and the erase request", async () => {
    await memberHistory();
    const { page, problems, close } = await signIn(member.id);
    await page.getByRole("heading", { name: "Trang của tôi" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Mục lục" }).getByRole("link").allTextContents()).toEqual(["Của tôi"]);

    const upcoming = page.locator("table", { has: page.locator("caption", { hasText: "Buổi sinh hoạt sắp tới" }) });
    expect(await upcoming.locator("tbody tr").first().textContent()).toContain("Có mặt");
    const past = page.locator("table", { has: page.locator("caption", { hasText: "Các buổi đã qua (12 tháng)" }) });
    const absent = past.locator("tbody tr", { hasText: "Vắng" });
    expect(await absent.textContent()).toContain("Lý do: Đi công tác tỉnh");
    expect(await absent.textContent()).toContain("Đã họp");

    const items = page.locator(".me-feedback-item");
    expect(await items.count()).toBe(2);
    const anonymous = items.filter({ hasText: "Cán bộ, đảng viên" });
    expect(await anonymous.textContent()).toContain("Ẩn danh: chỉ đồng chí thấy mình là người gửi");
    const answered = items.filter({ hasText: "Môi trường" });
    expect(await answered.textContent()).toContain("Đã trả lời");
    expect(await answered.textContent()).toContain("UBND xã sẽ nạo vét trong tháng tới.");
    const main = (await page.locator("main").textContent()) ?? "";
    for (const theirs of ["Góp ý của người hàng xóm.", "Lý do của người khác"]) expect(main).not.toContain(theirs);
    await snap(page, "me");
    expect(await overflowsPhone(page)).toBe(false);

    // The data: the same copy as /dulieu, as a file, logged as an export.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Tải dữ liệu của tôi" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^du-lieu-chibo-${member.id}-\\d{4}-\\d{2}-\\d{2}\\.txt$`));
    const copy = fs.readFileSync(await download.path(), "utf8");
    expect(copy).toContain(member.fullName);
    expect(copy).toContain("Đề nghị nạo vét mương thoát nước xóm 3.");
    expect(copy).not.toContain("Góp ý của người hàng xóm.");
    const exported = await app.chibo.db.auditLog.findMany({ where: { action: "export", subjectType: "Member", subjectId: String(member.id) } });
    expect(exported.map((row) => [row.actorKind, row.actorId])).toEqual([["console", member.id]]);

    // Asking to be erased: a confirmation first, then the request is recorded and the secretary told.
    await page.getByRole("link", { name: "Yêu cầu xóa dữ liệu" }).click();
    await page.getByRole("heading", { name: "Yêu cầu xóa dữ liệu" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Đồng chí muốn chibo xóa dữ liệu của mình?");
    await snap(page, "me-erase");
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).eraseRequestedAt).toBeNull();
    await page.getByRole("button", { name: "Xác nhận yêu cầu xóa" }).click();
    await page.waitForURL(/\/console\/me\?ok=eraseRequested$/);
    expect(await page.locator(".flash").textContent()).toContain("Đã ghi nhận yêu cầu xóa dữ liệu");
    expect(await page.locator(".warning").textContent()).toContain("Đồng chí đã yêu cầu xóa dữ liệu lúc");
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: member.id } })).eraseRequestedAt).not.toBeNull();
    const told = await app.chibo.db.outboxMessage.findMany({ where: { chatId: `web-${demoSecretary(demo).id}`, dedupeKey: { startsWith: `erase-request:${member.id}:` } } });
    expect(told).toHaveLength(1);
    expect(problems).toEqual([]);
    await close();
  });

  it("refuses the download and the erase request without the form's token", async () => {
    const { token } = await app.chibo.services.consoleSessions.issueLink(neighbour.id, "cli", new Date(), { kind: "cli" });
    const signedIn = await fetch(`${app.baseUrl}/console/signin`, { method: "POST", body: new URLSearchParams({ token }), redirect: "manual", headers: { origin: app.baseUrl } });
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const exportsBefore = await app.chibo.db.auditLog.count({ where: { action: "export" } });
    for (const path of ["/console/me/export", "/console/me/erase"]) {
      const res = await fetch(`${app.baseUrl}${path}`, { method: "POST", body: new URLSearchParams({}), redirect: "manual", headers: { origin: app.baseUrl, cookie } });
      expect(res.status, path).toBe(403);
    }
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: neighbour.id } })).eraseRequestedAt).toBeNull();
    expect(await app.chibo.db.auditLog.count({ where: { action: "export" } })).toBe(exportsBefore);
  });
});
