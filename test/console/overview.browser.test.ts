import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";
import { launchBrowser, openPage, overflowsPhone, snap, type ConsolePage } from "../helpers/consoleBrowser.ts";

/**
 * The overview as the demo commune's administrator, a cell's secretary, a member with two cells
 * and a plain member see it, in a real browser, on Sunday 20 December 2026. The demo has no
 * history, so the test writes one: November's meetings held in thôn Đông (6 present) and thôn
 * Tây (4 present); in December thôn Đông held (5 present, 2 absent), thôn Tây not reported,
 * thôn Nam not held, the school's meeting moved to the 22nd; two feedback items, one overdue; a
 * notice two of four acknowledged; four members with a chat.
 */
const clock = runningClock("2026-12-20T03:00:00Z");
const local = (iso: string) => new Date(`${iso}+07:00`);
let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let admin: DemoMember;
let secretary: DemoMember;
let twoCells: DemoMember;
let plain: DemoMember;
let ids: { commune: number; dong: number; nam: number; otherCommune: number };

beforeAll(async () => {
  app = await startChiboLocal({}, { clock });
  demo = await loadDemo(app.chibo);
  admin = demo.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!;
  secretary = demoSecretary(demo, "demo-thon-dong");
  twoCells = demoSecretary(demo, "demo-thon-tay");
  plain = demo.find((m) => m.roles.length === 1 && m.roles[0] === "member" && m.cellCode === "demo-thon-nam")!;
  const { db, attendance, organizations } = app.chibo.services;
  const org = (code: string) => db.organization.findUniqueOrThrow({ where: { code } });
  const [commune, dong, tay, nam, school] = await Promise.all(["demo-xa", "demo-thon-dong", "demo-thon-tay", "demo-thon-nam", "demo-truong-th"].map(org));
  const membersOf = async (cellId: number) => (await db.member.findMany({ where: { cellId }, orderBy: { id: "asc" } })).map((m) => m.id);
  const [dongMembers, tayMembers] = await Promise.all([membersOf(dong!.id), membersOf(tay!.id)]);

  const meeting = (cellId: number, start: string, data: Record<string, unknown> = {}) =>
    db.meeting.create({ data: { cellId, scheduledAt: local(start), ...data } }).then((m) => m.id);
  const answer = async (meetingId: number, members: number[], present: boolean, before: string) => {
    for (const memberId of members) await attendance.record({ meetingId, memberId, answer: present ? "present" : "absent", source: "button", now: local(before) });
  };
  await answer(await meeting(dong!.id, "2026-11-09T19:30", { status: "held" }), dongMembers.slice(0, 6), true, "2026-11-08T10:00");
  await answer(await meeting(tay!.id, "2026-11-09T19:30", { status: "held" }), tayMembers.slice(0, 4), true, "2026-11-08T10:00");
  const december = await meeting(dong!.id, "2026-12-07T19:30", { status: "held" });
  await answer(december, dongMembers.slice(0, 5), true, "2026-12-06T10:00");
  await answer(december, dongMembers.slice(5, 7), false, "2026-12-06T10:00");
  await meeting(tay!.id, "2026-12-07T19:30");
  await meeting(nam!.id, "2026-12-07T19:00", { status: "not_held" });
  await meeting(school!.id, "2026-12-03T16:30", { postponedTo: local("2026-12-22T16:30"), postponeReason: "Trùng lịch thi học kỳ" });

  const submit = (authorId: number, now: Date) =>
    app.chibo.feedback.submit({ authorId, anonymous: false, addressee: "peoples_committee", category: "land", text: "Đường liên thôn bị sạt lở.", now });
  await submit(dongMembers[3]!, local("2026-12-01T09:00")); // due on the 15th: overdue
  await submit(tayMembers[3]!, local("2026-12-18T09:00"));

  const notice = await db.notice.create({ data: { organizationId: commune!.id, text: "Họp toàn Đảng bộ", createdAt: local("2026-12-10T08:00"), sentAt: local("2026-12-10T08:00") } });
  for (const [i, memberId] of dongMembers.slice(0, 4).entries()) {
    await db.noticeDelivery.create({ data: { noticeId: notice.id, memberId, status: "queued", acknowledgedAt: i < 2 ? local("2026-12-10T09:00") : null } });
  }
  for (const [i, memberId] of [...dongMembers.slice(0, 3), tayMembers[0]!].entries()) {
    await db.chatIdentity.create({ data: { memberId, channel: i < 3 ? "telegram" : "zalo_bot", externalUserId: `u${memberId}`, chatId: `u${memberId}` } });
  }
  await db.role.create({ data: { memberId: twoCells.id, organizationId: nam!.id, role: "committee_member" } });

  const otherCommune = await organizations.add({ level: "base", unitKind: "commune", name: "Đảng ủy xã Hòa Lạc", code: "khac-xa", parentCode: "demo-tinh" });
  await organizations.add({ level: "cell", cellKind: "village", name: "Chi bộ thôn Bắc", code: "khac-thon-bac", parentCode: "khac-xa", rule: { dayOfMonth: 7, time: "19:30" } });
  ids = { commune: commune!.id, dong: dong!.id, nam: nam!.id, otherCommune: otherCommune.id };
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Signed in at the test's clock (a link issued by the system clock would be from another day). */
async function signInAt(memberId: number): Promise<ConsolePage> {
  const opened = await openPage(browser);
  const { token } = await app.chibo.services.consoleSessions.issueLink(memberId, "cli", clock.now(), { kind: "cli" });
  await opened.page.goto(`${app.baseUrl}/console/signin/${token}`);
  await Promise.all([opened.page.waitForURL(/\/console\/(overview|me)/), opened.page.getByRole("button", { name: "Đăng nhập" }).click()]);
  return opened;
}

const rowText = (page: ConsolePage["page"], figure: string, first: string) =>
  page.locator(`#${figure} tbody tr`, { hasText: first }).first().locator("td").allTextContents();

describe("the overview in a real browser", () => {
  it("shows the commune's administrator every figure, each chart drawn over a table of the same numbers", async () => {
    const { page, problems, close } = await signInAt(admin.id);
    expect(page.url()).toBe(`${app.baseUrl}/console/overview`);
    await page.getByRole("heading", { name: "Tổng quan", level: 1 }).waitFor();
    expect(await page.locator(".overview-intro").textContent()).toContain("Đảng ủy xã Hòa Bình: 4 chi bộ, 60 đảng viên");

    const figures = await page.locator("#meetings .overview-figures li").allTextContents();
    expect(figures.map((f) => f.replace(/\s+/g, " ").trim())).toEqual(["1 Đã họp", "1 Không họp được", "1 Chưa báo đã họp", "1 Sắp họp", "1 Lùi lịch"]);
    const cells = page.locator("#meetings tbody tr");
    expect(await cells.count()).toBe(4);
    expect(await cells.first().textContent()).toContain("Chi bộ thôn Tây");
    expect((await page.locator("#meetings tbody tr", { hasText: "Trường Tiểu học" }).textContent())).toContain("Lùi đến 22/12/2026 16:30. Lý do: Trùng lịch thi học kỳ");

    // Every chart drawn by the script, over its table.
    const canvases = page.locator("canvas[data-chart]");
    expect(await canvases.count()).toBe(5);
    await page.locator("canvas[data-chart]:not([data-drawn])").first().waitFor({ state: "detached" });
    expect(await page.locator("figure.overview-drawn .chart canvas").count()).toBe(5);
    expect((await rowText(page, "attendance-by-month", "11/2026")).slice(0, 3)).toEqual(["11/2026", "2", "10"]);
    expect((await rowText(page, "attendance-by-month", "12/2026")).slice(0, 3)).toEqual(["12/2026", "1", "5"]);
    expect((await rowText(page, "answers-by-month", "12/2026")).slice(0, 3)).toEqual(["12/2026", "2", "7"]);
    expect((await rowText(page, "feedback-by-status", "14/12")).at(-1)).toBe("1");
    expect(await page.locator("#feedback .overview-figures").textContent()).toMatch(/2\s*phản ánh[\s\S]*1\s*đang quá hạn/);
    expect(await page.locator("#notices tbody td").allTextContents()).toEqual(["1", "4", "4", "2", "50%"]);
    expect(await page.locator("#reach tbody td").allTextContents()).toEqual(["Telegram", "3", "Zalo Bot", "1", "Zalo Official Account", "0", "Trò chuyện trên web", "0"]);
    expect(await page.locator("#reach .overview-figures").textContent()).toMatch(/56\s*đảng viên chưa liên kết chat nào \(trên tổng số 60\)/);
    expect(await page.getByRole("link", { name: "Xem danh sách đảng viên chưa liên kết" }).getAttribute("href")).toBe("/console/members/unlinked");
    await snap(page, "overview");
    expect(await overflowsPhone(page)).toBe(false);

    // A cell's own overview, from its name in the list.
    await page.locator("#meetings").getByRole("link", { name: "Chi bộ thôn Đông" }).click();
    await page.waitForURL(/\?org=/);
    expect(await page.locator(".overview-intro").textContent()).toContain("Chi bộ thôn Đông: 1 chi bộ, 17 đảng viên");
    expect(await page.getByLabel("Xem số liệu của").inputValue()).toBe(String(ids.dong));
    expect(problems).toEqual([]);
    await close();
  });

  it("shows a secretary their cell only, without the cell's feedback counts, and nothing of the commune", async () => {
    const { page, problems, close } = await signInAt(secretary.id);
    await page.getByRole("heading", { name: "Tổng quan", level: 1 }).waitFor();
    expect(await page.locator(".overview-intro").textContent()).toContain("Chi bộ thôn Đông: 1 chi bộ, 17 đảng viên");
    expect(await page.locator("#meetings tbody tr").allTextContents()).toHaveLength(1);
    expect(await page.locator("#feedback").textContent()).toContain("chỉ hiện từ cấp xã trở lên");
    expect(await page.locator("#overview-org").count()).toBe(0);
    expect((await rowText(page, "attendance-by-month", "11/2026")).slice(0, 3)).toEqual(["11/2026", "1", "6"]);
    await snap(page, "overview-cell");
    expect(await overflowsPhone(page)).toBe(false);
    expect(problems).toEqual([]);
    for (const org of [ids.commune, ids.nam, ids.otherCommune]) {
      const refused = await page.goto(`${app.baseUrl}/console/overview?org=${org}`);
      expect(refused?.status()).toBe(404);
      expect(await page.textContent("main")).not.toContain("Tổng quan");
    }
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
    await close();
  });

  it("lets a member with two cells pick one with the select, and refuses an organization outside them", async () => {
    const { page, problems, close } = await signInAt(twoCells.id);
    const select = page.getByLabel("Xem số liệu của");
    expect(await select.locator("option").allTextContents()).toEqual(["Chi bộ thôn Tây", "Chi bộ thôn Nam"]);
    await select.selectOption(String(ids.nam));
    await page.getByRole("button", { name: "Xem", exact: true }).click();
    await page.waitForURL(new RegExp(`org=${ids.nam}$`));
    expect(await page.locator(".overview-intro").textContent()).toContain("Chi bộ thôn Nam");
    expect(await page.locator("#meetings tbody tr").first().textContent()).toContain("Không họp được");
    expect(problems).toEqual([]);
    for (const org of [String(ids.dong), String(ids.otherCommune), "abc", "0"]) {
      expect((await page.goto(`${app.baseUrl}/console/overview?org=${org}`))?.status(), org).toBe(404);
    }
    // The browser logs each "not found" answer; nothing else may appear.
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
    await close();
  });

  it("answers a plain member 'not found' and sends them home to their own page", async () => {
    const { page, problems, close } = await signInAt(plain.id);
    expect(page.url()).toBe(`${app.baseUrl}/console/me`);
    expect((await page.goto(`${app.baseUrl}/console/overview`))?.status()).toBe(404);
    expect(await page.textContent("main")).toContain("không thuộc phạm vi");
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
    await close();
  });
});
