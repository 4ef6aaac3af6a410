import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toLocal } from "../../src/domain/localTime.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { formatMeetingTime } from "../../src/formatTime.ts";
import { createTranslator } from "../../src/i18n.ts";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { launchBrowser, overflowsPhone, signIn, snap } from "../helpers/consoleBrowser.ts";
import { consoleHttp, type ConsoleSession } from "../helpers/consoleHttp.ts";

/**
 * The organization area as the commune's administrator uses it, in a real browser: the tree, a
 * cell's meeting rule, settings set at the commune and inherited below, days off, feedback
 * addressees, roles given and taken back, a cell added; then its rules by plain HTTP: another
 * commune's organizations are "not found" and a form sent to them changes nothing, a form without
 * the session's token is refused.
 */
let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let admin: DemoMember;
let other: { communeId: number; cellId: number };
const t = createTranslator().t("vi");

const org = (code: string) => app.chibo.db.organization.findUniqueOrThrow({ where: { code } });
const year = () => toLocal(new Date()).year;

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  admin = demo.find((m) => m.roles.includes("administrator"))!;
  const { organizations } = app.chibo.services;
  const commune = await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "khac-xa", parentCode: "demo-tinh" });
  const cell = await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "khac-thon-bac", parentCode: "khac-xa", rule: { dayOfMonth: 5, time: "19:00" } });
  other = { communeId: commune.id, cellId: cell.id };
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The settings item of a key on the page. */
const setting = (page: Page, key: string) => page.locator(`#setting-${key}`);

/** A refused form answers 400, which the browser reports as a failed load: expected, not a problem of the page. */
const withoutRefusals = (problems: string[]) => problems.filter((p) => !p.includes("status of 400"));

describe("the organization area in a real browser", () => {
  let page: Page;
  let problems: string[];
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ page, problems, close } = await signIn(browser, app.chibo, app.baseUrl, admin.id));
    // Taking a role or a day off away asks first (console.js); the administrator says yes.
    page.on("dialog", (dialog) => void dialog.accept());
  });
  afterAll(() => close());
  beforeEach(() => {
    // The page signing in lands on is the overview's, checked by its own test.
    problems.length = 0;
  });
  afterEach(() => {
    expect(withoutRefusals(problems)).toEqual([]);
  });

  it("shows the administrator's tree, changes a cell's meeting rule and the next meeting follows it", async () => {
    await page.goto(`${app.baseUrl}/console/organization`);
    const tree = page.locator(".organization-tree");
    await tree.getByRole("link", { name: "Đảng ủy xã Hòa Bình" }).waitFor();
    // The commune and its four cells, each with its kind, code, members and rule; nothing above or beside it.
    for (const name of ["Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ thôn Nam", "Chi bộ Trường Tiểu học Hòa Bình"]) {
      await tree.getByRole("link", { name, exact: true }).waitFor();
    }
    const west = tree.locator("li.organization-leaf", { has: page.getByRole("link", { name: "Chi bộ thôn Tây" }) });
    expect(await west.textContent()).toContain("demo-thon-tay");
    expect(await west.textContent()).toContain("16 đảng viên");
    expect(await west.textContent()).toContain("Ngày 7 hằng tháng, lúc 19:30, tại Nhà văn hóa thôn Tây");
    expect(await tree.textContent()).toContain("60 đảng viên, 4 chi bộ");
    expect(await tree.textContent()).not.toContain("Hòa Lạc");
    expect(await tree.textContent()).not.toContain("Tỉnh ủy");
    await snap(page, "organization-tree");
    expect(await overflowsPhone(page)).toBe(false);

    await tree.getByRole("link", { name: "Chi bộ thôn Tây" }).click();
    await page.getByRole("heading", { name: "Chi bộ thôn Tây", level: 1 }).waitFor();
    const rule = page.locator("#rule");
    await rule.getByLabel("Theo thứ trong tuần").check();
    await rule.getByLabel("Tuần", { exact: true }).selectOption({ label: "thứ hai" });
    await rule.getByLabel("Thứ", { exact: true }).selectOption({ label: "Thứ Ba" });
    await rule.getByLabel("Giờ họp").fill("18:00");
    await rule.getByLabel(/ngày làm việc kế tiếp/).uncheck();
    await rule.getByRole("button", { name: "Lưu lịch sinh hoạt" }).click();
    await page.locator(".flash", { hasText: "Đã lưu lịch sinh hoạt thường kỳ." }).waitFor();
    expect(await rule.textContent()).toContain("Thứ Ba thứ hai của tháng, lúc 18:00, tại Nhà văn hóa thôn Tây");

    // What /lich answers a member of the cell now comes from the new rule: the second Tuesday at 18:00.
    const cell = await org("demo-thon-tay");
    const { next } = await app.chibo.services.schedules.nextMeeting({ cellId: cell.id, now: new Date() });
    const local = toLocal(next!.startsAt);
    expect(local).toMatchObject({ weekday: 2, hour: 18, minute: 0 });
    expect(local.day).toBeGreaterThanOrEqual(8);
    expect(local.day).toBeLessThanOrEqual(14);
    expect(await rule.textContent()).toContain(`Buổi sinh hoạt tới: ${formatMeetingTime(t, next!.startsAt)}.`);
    await snap(page, "organization-cell");
    expect(await overflowsPhone(page)).toBe(false);
  });

  it("sets a value at the commune, shows it inherited at a cell, refuses a bad one and inherits again", async () => {
    const commune = await org("demo-xa");
    const cell = await org("demo-thon-dong");
    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    const limit = setting(page, "maxPostponeDays");
    expect(await limit.textContent()).toContain("2 ngày");
    expect(await limit.locator(".badge").textContent()).toBe("mặc định");
    await limit.getByText("Sửa ở cấp này").click();
    await limit.getByLabel("Số ngày").fill("4");
    await limit.getByRole("button", { name: "Lưu cho cấp này" }).click();
    await page.locator(".flash", { hasText: "Đã lưu thiết lập" }).waitFor();
    expect(await setting(page, "maxPostponeDays").locator(".badge").textContent()).toBe("đặt ở đây");

    // Quiet hours that start and end at the same time are refused, in words, and nothing is saved.
    const quiet = setting(page, "quietHours");
    await quiet.getByText("Sửa ở cấp này").click();
    await quiet.getByLabel("Từ").fill("22:00");
    await quiet.getByLabel("Đến").fill("22:00");
    const refused = page.waitForResponse((r) => r.url().endsWith("/settings/quietHours"));
    await quiet.getByRole("button", { name: "Lưu cho cấp này" }).click();
    expect((await refused).status()).toBe(400);
    const alert = setting(page, "quietHours").getByRole("alert");
    expect(await alert.textContent()).toContain("Giá trị của «Giờ yên lặng ban đêm» không hợp lệ");
    expect((await app.chibo.services.organizations.settings("demo-xa")).settings.source.quietHours).toBeNull();
    await setting(page, "quietHours").getByLabel("Đến").fill("06:00");
    await setting(page, "quietHours").getByRole("button", { name: "Lưu cho cấp này" }).click();
    await page.locator(".flash", { hasText: "Đã lưu thiết lập" }).waitFor();
    expect(await setting(page, "quietHours").textContent()).toContain("Từ 22:00 đến 06:00");
    await snap(page, "organization-commune");
    expect(await overflowsPhone(page)).toBe(false);

    await page.goto(`${app.baseUrl}/console/organization/${cell.id}`);
    expect(await setting(page, "maxPostponeDays").textContent()).toContain("4 ngày");
    expect(await setting(page, "maxPostponeDays").locator(".badge").textContent()).toBe("theo Đảng ủy xã Hòa Bình");
    // Nothing set at the cell: no "inherit again" there.
    expect(await setting(page, "maxPostponeDays").getByRole("button", { name: /Bỏ thiết lập riêng/ }).count()).toBe(0);

    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    await setting(page, "maxPostponeDays").getByRole("button", { name: /Bỏ thiết lập riêng/ }).click();
    await page.locator(".flash", { hasText: "Đã bỏ thiết lập riêng" }).waitFor();
    await page.goto(`${app.baseUrl}/console/organization/${cell.id}`);
    expect(await setting(page, "maxPostponeDays").textContent()).toContain("2 ngày");
    expect(await setting(page, "maxPostponeDays").locator(".badge").textContent()).toBe("mặc định");
    expect((await app.chibo.services.organizations.settings("demo-thon-dong")).settings.maxPostponeDays).toBe(2);
  });

  it("adds a day off at the commune, seen below with who decided it, then removes it; adds an addressee", async () => {
    const commune = await org("demo-xa");
    const date = `${year()}-10-15`;
    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    const days = page.locator("#holidays");
    await days.getByLabel("Ngày", { exact: true }).fill(date);
    await days.getByLabel("Tên ngày nghỉ").fill("Lễ hội làng");
    await days.getByRole("button", { name: "Thêm ngày nghỉ" }).click();
    await page.locator(".flash", { hasText: "Đã ghi ngày nghỉ." }).waitFor();
    const row = page.locator("#holidays li", { hasText: "Lễ hội làng" });
    expect(await row.textContent()).toContain("quyết định: cấp này");
    const atCell = await app.chibo.services.organizations.holidays("demo-thon-nam", year());
    expect(atCell.find((d) => d.date === date)).toMatchObject({ name: "Lễ hội làng", dayOff: true, decidedBy: { code: "demo-xa" } });

    await page.goto(`${app.baseUrl}/console/organization/${(await org("demo-thon-nam")).id}#holidays`);
    expect(await page.locator("#holidays li", { hasText: "Lễ hội làng" }).textContent()).toContain("Đảng ủy xã Hòa Bình");
    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    await page.locator("#holidays li", { hasText: "Lễ hội làng" }).getByRole("button", { name: "Cho làm việc" }).click();
    await page.locator(".flash", { hasText: "Đã bỏ ngày nghỉ." }).waitFor();
    expect(await page.locator("#holidays").textContent()).not.toContain("Lễ hội làng");
    expect((await app.chibo.services.organizations.holidays("demo-xa", year())).some((d) => d.date === date)).toBe(false);

    const addressees = page.locator("#addressees");
    await addressees.getByLabel("Tên cơ quan, đoàn thể cần thêm").fill("Hội Nông dân xã");
    await addressees.getByRole("button", { name: "Thêm nơi nhận" }).click();
    await page.locator(".flash", { hasText: "Đã thêm nơi nhận." }).waitFor();
    expect(await page.locator("#addressees li", { hasText: "Hội Nông dân xã" }).count()).toBe(1);
    expect(await page.locator("#addressees .badge").textContent()).toBe("đặt ở đây");
    const { settings } = await app.chibo.services.organizations.settings("demo-thon-dong");
    expect(settings.addressees.map((a) => a.name)).toContain("Hội Nông dân xã");
  });

  it("gives a member a reviewer role by search and takes it back; an administrator keeps their own last role", async () => {
    const commune = await org("demo-xa");
    const member = demo.find((m) => m.cellCode === "demo-thon-nam" && m.roles.length === 1)!;
    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    const officers = page.locator("#officers");
    await officers.getByLabel(/Tìm đảng viên theo tên/).fill(member.fullName);
    await officers.getByRole("button", { name: "Tìm" }).click();
    // The name went in the form's body; the address holds the organization's number only.
    expect(page.url()).toBe(`${app.baseUrl}/console/organization/${commune.id}/officers/search#officers`);
    const found = page.locator("#officers li", { hasText: member.fullName }).filter({ hasText: "Chi bộ thôn Nam" });
    await found.getByLabel("Vai trò", { exact: true }).selectOption("reviewer");
    await found.getByRole("button", { name: "Giao vai trò" }).click();
    await page.locator(".flash", { hasText: "Đã giao vai trò." }).waitFor();
    const held = { memberId: member.id, organizationId: commune.id, role: "reviewer" };
    expect(await app.chibo.db.role.count({ where: held })).toBe(1);
    const line = page.locator("#officers li", { hasText: member.fullName });
    expect(await line.textContent()).toContain("Cán bộ tiếp nhận phản ánh");
    await line.getByRole("button", { name: "Bỏ vai trò" }).click();
    await page.locator(".flash", { hasText: "Đã bỏ vai trò." }).waitFor();
    expect(await app.chibo.db.role.count({ where: held })).toBe(0);

    const own = page.locator("#officers li", { hasText: admin.fullName }).filter({ hasText: "Quản trị trang điều hành" });
    await own.getByRole("button", { name: "Bỏ vai trò" }).click();
    await page.locator("#officers [role=alert]", { hasText: "Không bỏ được" }).waitFor();
    expect(await app.chibo.db.role.count({ where: { memberId: admin.id, organizationId: commune.id, role: "administrator" } })).toBe(1);
  });

  it("adds a cell under the commune and lands on its page, with a refusal for a taken code first", async () => {
    const commune = await org("demo-xa");
    await page.goto(`${app.baseUrl}/console/organization/${commune.id}`);
    const children = page.locator("#children");
    await children.locator("summary", { hasText: "Thêm chi bộ" }).click();
    await children.getByLabel("Tên chi bộ").fill("Chi bộ thôn Bắc");
    await children.getByLabel("Mã (không bắt buộc)").first().fill("demo-thon-dong");
    await children.getByRole("button", { name: "Thêm chi bộ" }).click();
    await page.locator("#children [role=alert]", { hasText: "Mã «demo-thon-dong» đã được dùng" }).waitFor();
    await page.locator("#children").getByLabel("Mã (không bắt buộc)").first().fill("demo-thon-bac");
    await page.locator("#children").getByRole("button", { name: "Thêm chi bộ" }).click();
    await page.locator(".flash", { hasText: "Đã thêm tổ chức." }).waitFor();
    const created = await org("demo-thon-bac");
    expect(created).toMatchObject({ level: "cell", cellKind: "village", parentId: commune.id, name: "Chi bộ thôn Bắc" });
    expect(page.url()).toContain(`/console/organization/${created.id}?ok=added`);
    const audit = await app.chibo.db.auditLog.findFirst({ where: { subjectType: "Organization", subjectId: String(created.id), action: "create" } });
    expect(audit).toMatchObject({ actorKind: "console", actorId: admin.id });
  });
});

type Session = ConsoleSession;
const { sessionOf, get, post } = consoleHttp(() => app);

describe("the organization area's scope and forms", () => {
  it("answers 'not found' for another commune's organizations and the province above, and a form sent to them changes nothing", async () => {
    const session = await sessionOf(admin.id);
    const province = await org("demo-tinh");
    for (const id of [other.communeId, other.cellId, province.id, 999_999]) {
      expect((await get(session, `/console/organization/${id}`)).status).toBe(404);
    }
    expect((await post(session, `/console/organization/${other.communeId}/name`, { name: "Đã đổi" })).status).toBe(404);
    // A form's address opened again leads back to its organization's page, only within the scope.
    const commune = await org("demo-xa");
    const back = await get(session, `/console/organization/${commune.id}/settings/quietHours`);
    expect([back.status, back.headers.get("location")]).toEqual([303, `/console/organization/${commune.id}`]);
    expect((await get(session, `/console/organization/${other.communeId}/settings/quietHours`)).status).toBe(404);
    expect((await post(session, `/console/organization/${other.cellId}/rule`, { kind: "dayOfMonth", dayOfMonth: "9", time: "08:00" })).status).toBe(404);
    expect((await post(session, `/console/organization/${province.id}/settings/maxPostponeDays`, { value: "9" })).status).toBe(404);
    expect((await post(session, `/console/organization/${other.communeId}/holidays`, { date: `${year()}-11-11`, name: "Nghỉ" })).status).toBe(404);
    expect((await org("khac-xa")).name).toBe("Đảng ủy xã Hòa Lạc");
    expect(await app.chibo.db.meetingRule.findUnique({ where: { cellId: other.cellId } })).toMatchObject({ dayOfMonth: 5, time: "19:00" });
    expect((await org("demo-tinh")).maxPostponeDays).toBeNull();
    expect(await app.chibo.db.holiday.count({ where: { organizationId: other.communeId } })).toBe(0);
    // A role for a member of another commune, given at the administrator's own commune, is refused.
    const outsider = await app.chibo.db.member.create({ data: { fullName: "Đỗ Văn Khác", searchName: "do van khac", status: "full", cellId: other.cellId } });
    const refused = await post(session, `/console/organization/${(await org("demo-xa")).id}/officers/grant`, { memberId: String(outsider.id), role: "reviewer" });
    expect(refused.status).toBe(400);
    expect(await app.chibo.db.role.count({ where: { memberId: outsider.id } })).toBe(0);
  });

  it("refuses a form without the session's token and keeps the area from members who do not administer", async () => {
    const session = await sessionOf(admin.id);
    const commune = await org("demo-xa");
    const res = await post(session, `/console/organization/${commune.id}/name`, { name: "Tên mới" }, false);
    expect(res.status).toBe(403);
    expect((await org("demo-xa")).name).toBe("Đảng ủy xã Hòa Bình");

    const secretary = await sessionOf(demo.find((m) => m.roles.includes("secretary"))!.id);
    expect((await get(secretary, "/console/organization")).status).toBe(404);
    expect((await get(secretary, `/console/organization/${commune.id}`)).status).toBe(404);
    expect((await post(secretary, `/console/organization/${commune.id}/name`, { name: "Tên mới" })).status).toBe(404);
    expect((await org("demo-xa")).name).toBe("Đảng ủy xã Hòa Bình");
  });

  it("re-renders a refused rename with the domain's sentence and writes an audit row for each change", async () => {
    const session = await sessionOf(admin.id);
    const commune = await org("demo-xa");
    const refused = await post(session, `/console/organization/${commune.id}/name`, { name: "   " });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Cần có tên tổ chức.");
    const before = await app.chibo.db.auditLog.count({ where: { subjectType: "Organization", subjectId: String(commune.id) } });
    const done = await post(session, `/console/organization/${commune.id}/name`, { name: "Đảng ủy xã Hòa Bình mới" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/console/organization/${commune.id}?ok=renamed#identity`);
    expect(await app.chibo.db.auditLog.count({ where: { subjectType: "Organization", subjectId: String(commune.id), actorId: admin.id } })).toBe(before + 1);
    await post(session, `/console/organization/${commune.id}/name`, { name: "Đảng ủy xã Hòa Bình" });
  });
});
