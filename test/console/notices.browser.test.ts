import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";
import { type ConsolePage, launchBrowser, overflowsPhone, signIn as signInAs, snap } from "../helpers/consoleBrowser.ts";

const HOUR_MS = 3_600_000;
/**
 * 22:00 in Vietnam (15:00 UTC), inside the night's quiet hours (21:30–06:30). The evening lies at
 * least 9 hours back, so the calendar never runs ahead of the system's time (sign-in links are
 * issued at the system's time) even after the night is over.
 */
function quietEvening(): Date {
  const latest = new Date(Date.now() - 9 * HOUR_MS);
  const evening = new Date(Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth(), latest.getUTCDate(), 15, 0));
  return evening.getTime() <= latest.getTime() ? evening : new Date(evening.getTime() - 24 * HOUR_MS);
}
const evening = quietEvening();
const morning = new Date(evening.getTime() + 8 * HOUR_MS + 31 * 60_000);
const clock = runningClock(evening);

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;
let secretary: DemoMember;
let linked: DemoMember[];
let onZalo: DemoMember[];

beforeAll(async () => {
  // The page is followed across the night: a session left open that long stays open.
  app = await startChiboLocal({ CONSOLE_IDLE_MINUTES: "1440" }, { clock });
  demo = await loadDemo(app.chibo);
  secretary = demoSecretary(demo);
  // Five members of the cell use the web chat, which delivers at any hour. Two linked Zalo, which
  // this chibo is not connected to: at night their messages wait for the morning, then fail. The
  // others have no chat chibo can reach.
  const others = demo.filter((m) => m.cellCode === "demo-thon-dong" && m.id !== secretary.id);
  linked = others.slice(0, 5);
  onZalo = others.slice(5, 7);
  for (const member of linked) expect((await chat("pick", { memberId: member.id })).status).toBe(200);
  for (const member of onZalo) {
    await app.chibo.db.chatIdentity.create({ data: { memberId: member.id, channel: "zalo_bot", externalUserId: `z${member.id}`, chatId: `z${member.id}`, reachable: true, linkedAt: clock.now() } });
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The web chat's own API, as its page calls it. */
const chat = (path: string, body: object) =>
  fetch(`${app.baseUrl}/chat/api/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(form), redirect: "manual", headers: { origin: app.baseUrl, ...headers } });
const get = (path: string, cookie: string) => fetch(`${app.baseUrl}${path}`, { redirect: "manual", headers: { cookie } });

/** Signs a member in over HTTP: the session cookie and the CSRF token its pages carry. */
async function session(memberId: number): Promise<{ cookie: string; csrf: string }> {
  const { token } = await app.chibo.services.consoleSessions.issueLink(memberId, "cli", clock.now(), { kind: "cli" });
  const res = await post("/console/signin", { token });
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get("/console/account", cookie)).text())![1]!;
  return { cookie, csrf };
}

const cellOf = (code: string) => app.chibo.db.organization.findUniqueOrThrow({ where: { code } });

/** Signed in as a person does, through a one-time link and the button. */
const signIn = (memberId: number): Promise<ConsolePage> => signInAs(browser, app.chibo, app.baseUrl, memberId);

describe("notices in the console, in a real browser", () => {
  it("composes, previews and sends a cell's notice, then follows its delivery and who acknowledged", async () => {
    const cellMembers = demo.filter((m) => m.cellCode === "demo-thon-dong").length;
    const { page, problems, close } = await signIn(secretary.id);
    // The page signing in lands on is the overview's, checked by its own test: these are the notices pages' problems.
    problems.length = 0;
    await page.goto(`${app.baseUrl}/console/notices`);
    await page.getByRole("link", { name: "Soạn thông báo mới" }).click();
    await page.getByRole("heading", { name: "Soạn thông báo" }).waitFor();
    // A secretary sends to their own cell only.
    expect(await page.getByLabel("Gửi tới").locator("option").allTextContents()).toEqual(["Chi bộ thôn Đông"]);
    await snap(page, "notices-compose");

    await page.getByLabel("Nội dung thông báo").fill("Họp chi bộ bất thường tối thứ Sáu.\nMang theo sổ tay.");
    await page.getByRole("button", { name: "Xem trước" }).click();
    await page.getByRole("heading", { name: "Xem trước thông báo" }).waitFor();
    expect(await page.locator(".notices-message .notices-text").textContent()).toBe("📢 Thông báo của Chi bộ thôn Đông:\nHọp chi bộ bất thường tối thứ Sáu.\nMang theo sổ tay.");
    expect(await page.locator(".notices-recipients").textContent()).toBe(`Gửi tới ${cellMembers - 1} đảng viên`);
    expect(await app.chibo.db.notice.count()).toBe(0);
    await snap(page, "notices-preview");

    await page.getByRole("button", { name: "Gửi thông báo" }).click();
    await page.waitForURL(/\/console\/notices\/\d+\?ok=sent$/);
    const noticeId = Number(/notices\/(\d+)/.exec(page.url())![1]);
    await page.getByRole("heading", { name: "Kết quả gửi thông báo tới Chi bộ thôn Đông" }).waitFor();
    expect(await page.locator(".flash").textContent()).toContain("Đã xếp gửi thông báo");
    // What went out is what the preview showed, line breaks and all.
    expect(await page.locator(".notices-text").textContent()).toBe("📢 Thông báo của Chi bộ thôn Đông:\nHọp chi bộ bất thường tối thứ Sáu.\nMang theo sổ tay.");
    const count = async (key: string) => Number(await page.locator(`[data-count="${key}"]`).first().textContent());
    // Night: the Zalo messages wait for the morning; the web chat's go at once.
    expect(await count("waiting")).toBeGreaterThanOrEqual(2);
    expect(await count("sent") + await count("waiting")).toBe(7);
    expect(await count("failed")).toBe(0);
    expect(await page.locator("h2", { hasText: "Chưa liên kết chibo" }).textContent()).toBe(`Chưa liên kết chibo (${cellMembers - 1 - 7})`);

    // The page follows the messages without being reloaded: the web chat's are sent, and in the
    // morning the worker takes the held ones and fails them (no Zalo here).
    await page.evaluate("window.stillTheSamePage = true");
    await expect.poll(() => count("sent"), { timeout: 20_000 }).toBe(5);
    expect(await count("waiting")).toBe(2);
    clock.set(morning);
    await expect.poll(() => count("failed"), { timeout: 20_000 }).toBe(2);
    expect(await count("waiting")).toBe(0);
    expect(await page.locator("progress").evaluate((bar) => (bar as unknown as { value: number }).value)).toBe(7);
    expect(await page.locator(".notices-done").textContent()).toBe("Đã xong 7/7 tin nhắn");
    expect(await page.evaluate("window.stillTheSamePage")).toBe(true);

    // A member presses «Đã nhận» under the notice in their chat.
    const reader = linked[0]!;
    expect((await chat("send", { memberId: reader.id, button: { payload: `nr:${noticeId}`, label: "Đã nhận" } })).status).toBe(202);
    await expect.poll(async () => (await app.chibo.db.noticeDelivery.findUniqueOrThrow({ where: { noticeId_memberId: { noticeId, memberId: reader.id } } })).acknowledgedAt, { timeout: 10_000 }).not.toBeNull();
    await page.getByRole("link", { name: "Cập nhật" }).click();
    await page.locator(".notices-acked li", { hasText: reader.fullName }).waitFor();
    expect(await page.locator("h2#notices-ack").textContent()).toBe("Đã báo nhận: 1/7");
    expect((await page.locator(".notices-problems li").allTextContents()).sort()).toEqual(onZalo.map((m) => m.fullName).sort());
    await snap(page, "notices-progress");
    expect(await overflowsPhone(page)).toBe(false);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.baseUrl}/console/notices`);
    const row = page.locator(".notices-list tbody tr").first();
    expect(await row.textContent()).toContain("Chi bộ thôn Đông");
    expect(await row.textContent()).toContain(secretary.fullName);
    expect(await row.textContent()).toContain("Đã gửi 5 · Đang chờ 0 · Lỗi 2 · Không tới được 0");
    expect(await row.locator("td").nth(5).textContent()).toBe("1/7");
    await snap(page, "notices-list");
    expect(await overflowsPhone(page)).toBe(false);
    expect(problems).toEqual([]);
    await close();

    // The progress counts the page's script reads are the report's numbers.
    const { cookie } = await session(secretary.id);
    expect(await (await get(`/console/notices/${noticeId}/progress.json`, cookie)).json()).toEqual({ total: 7, sent: 5, waiting: 0, failed: 2, unreachable: 0, acknowledged: 1, reached: 7 });
  });

  it("says what is wrong with the text and sends nothing", async () => {
    const { cookie, csrf } = await session(secretary.id);
    const cell = await cellOf("demo-thon-dong");
    const before = await app.chibo.db.notice.count();
    const empty = await post("/console/notices/preview", { _csrf: csrf, orgId: String(cell.id), text: "   " }, { cookie });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Đồng chí gõ nội dung thông báo bằng chữ.");
    const long = await post("/console/notices", { _csrf: csrf, orgId: String(cell.id), text: "a".repeat(2001) }, { cookie });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("Thông báo dài 2001 ký tự, quá mức 2000.");
    expect(await app.chibo.db.notice.count()).toBe(before);
  });

  it("answers «not found» for another commune's or another cell's notice, and sends nothing there", async () => {
    // Another commune, with a cell, its secretary and a member, and a notice of theirs.
    const { organizations } = app.chibo.services;
    await organizations.add({ level: "base", name: "Đảng ủy xã Khác", code: "xa-khac", parentCode: "demo-tinh" });
    const otherCell = await organizations.add({ level: "cell", name: "Chi bộ thôn Khác", code: "thon-khac", parentCode: "xa-khac", cellKind: "village" });
    const person = (fullName: string) => app.chibo.db.member.create({ data: { fullName, searchName: fullName.toLowerCase(), cellId: otherCell.id, status: "full", createdAt: clock.now() } });
    const otherSecretary = await person("Lê Văn Khác");
    await person("Trần Thị Khác");
    await app.chibo.db.role.create({ data: { memberId: otherSecretary.id, organizationId: otherCell.id, role: "secretary" } });
    const foreign = await app.chibo.services.notices.send({
      orgId: otherCell.id, text: "Thông báo của xã khác", now: clock.now(),
      actor: { memberId: otherSecretary.id, roles: [{ role: "secretary", organizationId: otherCell.id, orgPath: otherCell.path }] },
    });
    // A notice of the demo's other village cell, by its own secretary.
    const westCell = await cellOf("demo-thon-tay");
    const west = demoSecretary(demo, "demo-thon-tay");
    const westNotice = await app.chibo.services.notices.send({
      orgId: westCell.id, text: "Thông báo thôn Tây", now: clock.now(), actor: { memberId: west.id, roles: [{ role: "secretary", organizationId: westCell.id, orgPath: westCell.path }] },
    });

    const { cookie, csrf } = await session(secretary.id);
    for (const id of [foreign.notice.id, westNotice.notice.id, 999_999]) {
      expect((await get(`/console/notices/${id}`, cookie)).status, `notice ${id}`).toBe(404);
      expect((await get(`/console/notices/${id}/progress.json`, cookie)).status, `progress ${id}`).toBe(404);
    }
    const list = await (await get("/console/notices", cookie)).text();
    expect(list).not.toContain("Chi bộ thôn Khác");
    expect(list).not.toContain("Chi bộ thôn Tây");

    const before = await app.chibo.db.notice.count();
    for (const org of [otherCell, westCell]) {
      expect((await post("/console/notices/preview", { _csrf: csrf, orgId: String(org.id), text: "Xin chào" }, { cookie })).status).toBe(404);
      expect((await post("/console/notices", { _csrf: csrf, orgId: String(org.id), text: "Xin chào" }, { cookie })).status).toBe(404);
    }
    expect(await app.chibo.db.notice.count()).toBe(before);

    // The commune's reviewer follows the cells' notices of the commune, not another commune's.
    const reviewer = demo.find((m) => m.roles.includes("reviewer") && m.roles.includes("administrator"))!;
    const theirs = await session(reviewer.id);
    expect((await get(`/console/notices/${westNotice.notice.id}`, theirs.cookie)).status).toBe(200);
    expect((await get(`/console/notices/${foreign.notice.id}`, theirs.cookie)).status).toBe(404);
  });

  it("refuses a send without the form's token and sends nothing", async () => {
    const { cookie, csrf } = await session(secretary.id);
    const cell = await cellOf("demo-thon-dong");
    const before = await app.chibo.db.notice.count();
    const form = { orgId: String(cell.id), text: "Không có mã biểu mẫu" };
    expect((await post("/console/notices", form, { cookie })).status).toBe(403);
    expect((await post("/console/notices", { ...form, _csrf: "x".repeat(43) }, { cookie })).status).toBe(403);
    expect((await post("/console/notices", { ...form, _csrf: csrf }, { cookie, origin: "http://evil.example" })).status).toBe(403);
    expect(await app.chibo.db.notice.count()).toBe(before);
  });

  it("keeps a plain member out of the notices", async () => {
    const plain = demo.find((m) => m.roles.length === 1 && m.roles[0] === "member")!;
    const { cookie } = await session(plain.id);
    expect((await get("/console/notices", cookie)).status).toBe(404);
    expect((await get("/console/notices/new", cookie)).status).toBe(404);
  });
});
