import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Chibo } from "../../src/runtime.ts";

/** Debian's Chromium by default; CHROMIUM_PATH points at another Chromium or Chrome. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const STEP_TIMEOUT_MS = 10_000;
/** Where the console tests leave a picture of every page, desktop and phone (named in the README). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../screenshots/console");

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`The console browser tests need Chromium at ${CHROMIUM}. Install Debian's chromium package (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH to a Chromium or Chrome.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface ConsolePage {
  page: Page;
  /** Script errors and refused resources (a broken policy shows here), to expect empty. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * The problems that are real: a page's script error or a refused resource (a broken policy). A
 * page the test opens on purpose with a 4xx status (a used link, a tampered id) is logged by the
 * browser as a failed load too; those are dropped.
 */
export const realProblems = (problems: string[]) =>
  problems.filter((line) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(line));

/** A fresh browser context (its own cookies) with a page that records its problems. */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** A one-time sign-in link for the member, as /web or `console link` makes it. */
export async function signInLink(chibo: Chibo, baseUrl: string, memberId: number, now = new Date()): Promise<string> {
  const { token } = await chibo.services.consoleSessions.issueLink(memberId, "cli", now, { kind: "cli" });
  return `${baseUrl}/console/signin/${token}`;
}

/**
 * Opens a sign-in link and presses the button, as a person does; returns on the first page after it.
 * `now` is the time chibo's clock reads (a test on a fixed calendar passes it, or the link is expired).
 */
export async function signIn(browser: Browser, chibo: Chibo, baseUrl: string, memberId: number, viewport = DESKTOP, now = new Date()): Promise<ConsolePage> {
  const opened = await openPage(browser, viewport);
  await opened.page.goto(await signInLink(chibo, baseUrl, memberId, now));
  await Promise.all([opened.page.waitForURL(/\/console\/(overview|me)/), opened.page.getByRole("button", { name: /Đăng nhập|Sign in/ }).click()]);
  return opened;
}

/** Saves the page as it looks on a desktop and on a 360 px phone: `<name>-desktop.png`, `<name>-phone.png`. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(before);
}

/** Whether the page is wider than the phone's screen (something a phone would have to scroll sideways). */
export async function overflowsPhone(page: Page): Promise<boolean> {
  await page.setViewportSize(PHONE);
  // Runs in the page: written as a string, since the test's own types know no DOM.
  return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1") as Promise<boolean>;
}
