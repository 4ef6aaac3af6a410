import { chromium, type Browser, type Page } from "playwright-core";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";

/**
 * The web chat's commands and long texts: /huongdan offers only what works there, the page shows
 * a text's length against the limit instead of cutting a paste, and a text chibo does not take
 * (a /gopy text over 3,000 characters) comes back into the box.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const STEP_TIMEOUT_MS = 10_000;

interface BotMessage {
  id: number;
  text: string;
  buttons?: { label: string; payload: string }[][];
  replyTo?: string;
}

let app: LocalChibo;
let demo: DemoMember[];
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`This test needs Chromium at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium) or CHROMIUM_PATH.`);
  app = await startChiboLocal();
  demo = await loadDemo(app.chibo);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${app.baseUrl}/chat/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

/** Picks the member, then returns a function that sends as the page does and reads the next `count` answers. */
async function talkAs(memberId: number) {
  let cursor = Number((await call("POST", "/pick", { memberId })).cursor ?? 0);
  return async (message: { text: string; clientId?: string } | { button: { payload: string; label: string } }, count = 1): Promise<BotMessage[]> => {
    await call("POST", "/send", { memberId, ...message });
    const got: BotMessage[] = [];
    for (let tries = 0; got.length < count && tries < 5; tries++) {
      const json = await call("GET", `/messages?memberId=${memberId}&after=${cursor}&wait=10`);
      got.push(...(json.messages as BotMessage[]));
      cursor = Number(json.cursor);
    }
    return got;
  };
}

const press = (message: BotMessage | undefined, index = 0) => ({ button: message!.buttons!.flat()[index]! });

describe("web chat: the commands offered there", () => {
  it("/huongdan lists every command of a secretary that works in the web chat, none that does not", async () => {
    const say = await talkAs(demoSecretary(demo).id);
    const [help] = await say({ text: "/huongdan" });
    const commands = help!.text.split("\n").slice(1).map((line) => line.split(" — ")[0]);
    expect(commands).toEqual(["/start", "/lich", "/gopy", "/gopycuatoi", "/diemdanh", "/doilich", "/datlich", "/noidung", "/diadiem", "/thongbao", "/ngonngu", "/dulieu", "/quyenriengtu", "/web", "/huy", "/huongdan"]);
    // Refused here, so not offered; and a near miss does not suggest it either.
    const [near] = await say({ text: "/maketnoj" });
    expect(near!.text).toBe("chibo không có lệnh /maketnoj. Gửi /huongdan để xem các lệnh dùng được.");
    const [words] = await say({ text: "Lịch họp" });
    expect(words!.text).toMatch(/^Buổi sinh hoạt tới của Chi bộ thôn Đông: /);
  });

  it("tells the page the longest text it takes, and which text of its own chibo did not take", async () => {
    const member = demo.find((m) => m.cellCode === "demo-thon-dong" && m.roles.length === 1)!;
    expect((await call("POST", "/pick", { memberId: member.id })).textLimit).toBe(4000);
    const say = await talkAs(member.id);
    const [, addressee] = await say({ text: "/gopy" }, 2);
    const [category] = await say(press(addressee));
    const [askText] = await say(press(category));
    expect(askText!.text).toMatch(/^Đồng chí viết nội dung phản ánh, góp ý/);
    const [refused] = await say({ text: "ạ".repeat(3500), clientId: "too-long-0001" }, 2);
    expect(refused).toMatchObject({ text: "Nội dung phản ánh, góp ý chỉ được dài tối đa 3000 ký tự, hiện có 3500 ký tự.", replyTo: "too-long-0001" });
    const [taken] = await say({ text: "Đường liên thôn sụt lún", clientId: "taken-0001" });
    expect(taken!.text).toMatch(/^Đồng chí muốn gửi ghi tên hay ẩn danh\?/);
    expect(taken!.replyTo).toBeUndefined();
  });
});

describe("web chat page: long texts", () => {
  async function openAs(page: Page, member: DemoMember) {
    await page.goto(`${app.baseUrl}/chat`);
    await page.locator("section.cell", { hasText: member.cell }).locator(".member", { hasText: member.fullName }).click();
    await page.locator("#who", { hasText: member.fullName }).waitFor();
  }

  it("shows a pasted text's length against the limit, cuts nothing, and keeps a text over it in the box", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const member = demo.find((m) => m.cellCode === "demo-thon-tay" && m.roles.length === 1)!;
    await openAs(page, member);
    const box = page.locator("#text");
    await box.focus();
    await page.keyboard.insertText("x".repeat(4500));
    expect(await box.inputValue()).toHaveLength(4500);
    const count = page.locator("#count");
    expect(await count.textContent()).toBe("4500/4000 ký tự");
    expect(await count.getAttribute("class")).toContain("over");
    await page.keyboard.press("Enter");
    await page.locator("#error", { hasText: "Tin nhắn dài 4500 ký tự, quá giới hạn 4000." }).waitFor();
    expect(await box.inputValue()).toHaveLength(4500);
    expect(await page.locator(".msg.me").count()).toBe(0);
    await page.close();
  });

  it("puts a /gopy text chibo refused back into the box, with its length", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const member = demo.find((m) => m.cellCode === "demo-thon-nam" && m.roles.length === 1)!;
    await openAs(page, member);
    const box = page.locator("#text");
    await box.fill("/gopy");
    await page.keyboard.press("Enter");
    await page.locator(".msg.bot", { hasText: "Đồng chí gửi tới đâu?" }).locator(".buttons button").first().click();
    await page.locator(".msg.bot", { hasText: "Góp ý thuộc lĩnh vực nào?" }).locator(".buttons button").first().click();
    await page.locator(".msg.bot", { hasText: "Đồng chí viết nội dung phản ánh, góp ý" }).waitFor();
    const text = `Đường liên thôn sụt lún. ${"Đề nghị xã sửa sớm. ".repeat(180)}`.trim();
    await box.focus();
    await page.keyboard.insertText(text);
    await page.keyboard.press("Enter");
    await page.locator(".msg.bot", { hasText: "chỉ được dài tối đa 3000 ký tự" }).waitFor();
    await expect.poll(() => box.inputValue()).toBe(text);
    expect(await page.locator("#count").textContent()).toBe(`${[...text].length}/4000 ký tự`);
    await page.close();
  });
});
