import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";

/** Debian's Chromium by default; CHROMIUM_PATH points at another Chromium or Chrome. */
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const STEP_TIMEOUT_MS = 10_000;

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`The web chat browser test needs Chromium at ${CHROMIUM}. Install Debian's chromium package (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH to a Chromium or Chrome.`);
  }
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  // launch() gives the browser a fresh temporary profile (--user-data-dir) and removes it on close.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Problems the page itself reports: script errors and blocked resources (a policy violation too). */
function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return problems;
}

describe("the web chat page in a real browser", () => {
  it("picks a demo member, answers /lich, switches the member to English with a button, and offers a file", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const problems = collectPageProblems(page);
    const secretary = demoSecretary(demo);

    await page.goto(`${app.baseUrl}/chat`);
    const cell = page.locator("section.cell", { hasText: "Chi bộ thôn Đông" });
    await cell.locator(".member", { hasText: secretary.fullName }).click();
    await page.locator("#who", { hasText: `Đồng chí ${secretary.fullName} · Chi bộ thôn Đông` }).waitFor();

    await page.locator("#text").fill("/lich");
    await page.keyboard.press("Enter");
    await page.locator(".msg.me", { hasText: "/lich" }).waitFor();
    const schedule = page.locator(".msg.bot", { hasText: "Buổi sinh hoạt tới của Chi bộ thôn Đông" });
    await schedule.waitFor();
    expect(await schedule.textContent()).toContain("Địa điểm: Nhà văn hóa thôn Đông.");

    await page.locator("#text").fill("/ngonngu");
    await page.locator("#send").click();
    const menu = page.locator(".msg.bot", { hasText: "Choose your language" });
    await menu.getByRole("button", { name: "English", exact: true }).click();
    await page.locator(".msg.bot", { hasText: "chibo will now answer you in English." }).waitFor();
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: secretary.id } })).language).toBe("en");

    // A file chibo sends (a digest, say) is offered as a download.
    await app.chibo.outbox.enqueue([{
      dedupeKey: "test:web-file", channel: "web", chatId: `web-${secretary.id}`, memberId: secretary.id,
      message: { text: "Bản tổng hợp tuần", attachment: { fileName: "tong-hop.csv", mimeType: "text/csv", base64: Buffer.from("a,b\n1,2\n").toString("base64") } },
    }]);
    const link = page.locator(".msg.bot", { hasText: "Bản tổng hợp tuần" }).locator("a.file");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("tong-hop.csv");
    expect(fs.readFileSync(await download.path(), "utf8")).toBe("a,b\n1,2\n");

    // The page's own words switch too, without a request.
    await page.locator("#lang").click();
    await page.locator("#change", { hasText: "Change member" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    expect(problems).toEqual([]);
    await page.close();
  });

  it("says so when the server cannot be reached", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${app.baseUrl}/chat`);
    await page.locator(".member").first().click();
    await page.locator("#chat").waitFor();
    await app.stop();
    const banner = page.locator("#offline");
    await banner.waitFor();
    expect(await banner.textContent()).toContain("Không kết nối được với máy chủ chibo");
    await page.close();
  });
});
