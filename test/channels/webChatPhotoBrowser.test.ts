import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";

/** A photo chosen in the page goes with /gopy, and the reviewer's page shows it, under its own policy. */
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const STEP_TIMEOUT_MS = 10_000;
/** A real 1×1 PNG, so the browser can decode and draw it. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let app: LocalChibo;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`This test needs Chromium at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium), or CHROMIUM_PATH.`);
  app = await startChiboLocal();
  await loadDemo(app.chibo);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function open(fullName: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${app.baseUrl}/chat`);
  await page.locator(".member", { hasText: fullName }).first().click();
  await page.locator("#who", { hasText: fullName }).waitFor();
  return { page, problems };
}

/** The drawn width of the last image there: 1 once the 1×1 PNG has loaded and decoded, -1 while loading, 0 if broken. */
const naturalWidth = (page: Page, selector: string) =>
  page.locator(selector).last().evaluate((node) => {
    const img = node as unknown as { complete: boolean; naturalWidth: number };
    return img.complete ? img.naturalWidth : -1;
  });

describe("photos in the web chat page", () => {
  it("sends a chosen photo with the text in the box as its caption, and shows it to the reviewer", async () => {
    const { db } = app.chibo;
    const member = await db.member.findFirstOrThrow({ where: { cell: { code: "demo-thon-dong" }, exemption: "none", roles: { every: { role: "member" } } }, orderBy: { id: "asc" } });
    const reviewer = (await db.role.findFirstOrThrow({ where: { role: "reviewer", organization: { code: "demo-xa" } }, include: { member: true } })).member;

    const { page, problems } = await open(member.fullName);
    const say = async (text: string, expect: string) => {
      await page.locator("#text").fill(text);
      await page.keyboard.press("Enter");
      await page.locator(".msg.bot", { hasText: expect }).last().waitFor();
    };
    const press = async (label: string, expect: string) => {
      await page.locator(".msg.bot button", { hasText: label }).last().click();
      await page.locator(".msg.bot", { hasText: expect }).last().waitFor();
    };
    await say("/gopy", "Đồng chí gửi tới đâu?");
    await press("Ủy ban nhân dân xã", "Góp ý thuộc lĩnh vực nào?");
    await press("Môi trường", "Đồng chí viết nội dung phản ánh, góp ý");
    await page.locator("#text").fill("Cống thoát nước thôn Đông tắc");
    await page.locator("#photoFile").setInputFiles({ name: "cong.png", mimeType: "image/png", buffer: PNG });
    await page.locator(".msg.bot", { hasText: "Đồng chí muốn gửi ghi tên hay ẩn danh?" }).waitFor();
    expect(await naturalWidth(page, ".msg.me img.photo")).toBe(1);
    expect(await page.locator(".msg.me").last().textContent()).toContain("Cống thoát nước thôn Đông tắc");
    expect(await page.locator("#text").inputValue()).toBe("");
    await press("Ẩn danh", "Đồng chí xem lại trước khi gửi");
    await press("Gửi", "Số tham chiếu: GY-");
    const item = await db.feedback.findFirstOrThrow();

    const reviewing = await open(reviewer.fullName);
    await reviewing.page.locator("#text").fill(`/xem ${item.reference}`);
    await reviewing.page.keyboard.press("Enter");
    await reviewing.page.locator(".msg.bot", { hasText: `Ảnh kèm ${item.reference}` }).waitFor();
    await expect.poll(() => naturalWidth(reviewing.page, ".msg.bot img.photo")).toBe(1);
    expect([...problems, ...reviewing.problems]).toEqual([]);
  });
});
