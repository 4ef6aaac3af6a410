import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { launchBrowser, openPage, overflowsPhone, PHONE, realProblems, snap } from "../helpers/consoleBrowser.ts";

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;

beforeAll(async () => {
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("signing in to the console from the chat, in a real browser", () => {
  it("asks for /web in the chat, follows the link, presses the button and lands on the console", async () => {
    const admin = demo.find((m) => m.roles.includes("administrator"))!;
    const { page, problems, close } = await openPage(browser);
    await page.goto(`${app.baseUrl}/chat`);
    await page.locator("section.cell", { hasText: "Chi bộ thôn Đông" }).locator(".member", { hasText: admin.fullName }).click();
    await page.locator("#text").fill("/web");
    await page.keyboard.press("Enter");
    const reply = page.locator(".msg.bot", { hasText: "/console/signin/" });
    await reply.waitFor();
    const url = /(http:\/\/\S+\/console\/signin\/[A-Za-z0-9_-]{43})/.exec((await reply.textContent()) ?? "")![1]!;

    await page.goto(url);
    await page.getByRole("heading", { name: "Đăng nhập trang điều hành chibo" }).waitFor();
    await snap(page, "signin");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(/\/console\/overview/);
    const menu = page.getByRole("navigation", { name: "Mục lục" });
    for (const entry of ["Tổng quan", "Đảng viên", "Tổ chức", "Thông báo", "Phản ánh, góp ý", "Của tôi"]) {
      await menu.getByRole("link", { name: entry }).waitFor();
    }
    expect(await page.locator(".who").textContent()).toContain(admin.fullName);

    // The same link a second time: used up, and it says what to do.
    await page.goto(url);
    expect(await page.locator(".error").textContent()).toContain("gửi /web");

    await page.goto(`${app.baseUrl}/console/account`);
    await page.getByRole("heading", { name: "Tài khoản" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Quản trị trang điều hành — Đảng ủy xã Hòa Bình");
    await snap(page, "account");
    expect(await overflowsPhone(page)).toBe(false);

    // The keyboard reaches the skip link first, and it leads to the page's content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Bỏ qua mục lục");

    await page.getByRole("button", { name: "Đăng xuất", exact: true }).click();
    await page.getByRole("heading", { name: "Đã đăng xuất" }).waitFor();
    await snap(page, "signed-out");
    await page.goto(`${app.baseUrl}/console/account`);
    await page.waitForURL(/signed-out/);
    expect(realProblems(problems)).toEqual([]);
    await close();
  });

  it("shows a plain member only their own page, on a phone", async () => {
    const member = demo.find((m) => m.roles.length === 1 && m.roles[0] === "member")!;
    const { token } = await app.chibo.services.consoleSessions.issueLink(member.id, "cli", new Date(), { kind: "cli" });
    const { page, problems, close } = await openPage(browser, PHONE);
    await page.goto(`${app.baseUrl}/console/signin/${token}`);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(/\/console\/me/);
    const entries = await page.getByRole("navigation", { name: "Mục lục" }).getByRole("link").allTextContents();
    expect(entries).toEqual(["Của tôi"]);
    for (const area of ["overview", "feedback", "members", "organization", "notices", "meetings"]) {
      const res = await page.goto(`${app.baseUrl}/console/${area}`);
      expect(res?.status(), area).toBe(404);
    }
    expect(realProblems(problems)).toEqual([]);
    await close();
  });
});
