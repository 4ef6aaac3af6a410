import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DemoMember } from "../../src/services/demo.ts";
import { loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { runningClock } from "../helpers/clock.ts";

const clock = runningClock("2026-12-03T03:00:00Z");
let app: LocalChibo;
let demo: DemoMember[];
let admin: DemoMember;

beforeAll(async () => {
  app = await startChiboLocal({}, { clock });
  demo = await loadDemo(app.chibo);
  admin = demo.find((m) => m.roles.includes("administrator"))!;
});
afterAll(() => app?.stop());
beforeEach(() => clock.set("2026-12-03T03:00:00Z"));

const link = async (memberId = admin.id) => (await app.chibo.services.consoleSessions.issueLink(memberId, "cli", clock.now(), { kind: "cli" })).token;
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(form), redirect: "manual", headers: { origin: app.baseUrl, ...headers } });
const get = (path: string, cookie?: string) => fetch(`${app.baseUrl}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });

/** Signs in with a fresh link; the cookie and the page's CSRF token. */
async function signIn(memberId = admin.id): Promise<{ cookie: string; csrf: string }> {
  const res = await post("/console/signin", { token: await link(memberId) });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await get("/console/account", cookie)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf };
}

describe("console sign-in and sessions", () => {
  it("shows a button for a link without spending it, so a chat app's preview cannot use it up", async () => {
    const token = await link();
    for (let i = 0; i < 3; i++) {
      const page = await get(`/console/signin/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Đăng nhập");
    }
    const res = await post("/console/signin", { token });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
  });

  it("opens one session per link: a second press, an expired link, a made-up one are refused alike", async () => {
    const token = await link();
    expect((await post("/console/signin", { token })).status).toBe(303);
    const again = await post("/console/signin", { token });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain("đã dùng rồi hoặc đã hết hạn");

    const late = await link();
    clock.jump(16 * 60_000);
    expect((await post("/console/signin", { token: late })).status).toBe(410);
    expect((await get(`/console/signin/${late}`)).status).toBe(410);
    expect((await post("/console/signin", { token: "x".repeat(43) })).status).toBe(410);
    expect((await post("/console/signin", { token: "<script>" })).status).toBe(410);
  });

  it("issues a new link that cancels the member's earlier unused one", async () => {
    const first = await link();
    await link();
    expect((await post("/console/signin", { token: first })).status).toBe(410);
  });

  it("keeps only hashes: the database holds neither the link's nor the session's token", async () => {
    const token = await link();
    const res = await post("/console/signin", { token });
    const session = res.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const links = await app.chibo.db.consoleSignIn.findMany();
    const sessions = await app.chibo.db.consoleSession.findMany();
    expect(JSON.stringify(links)).not.toContain(token);
    expect(JSON.stringify(sessions)).not.toContain(session);
  });

  it("sets an HttpOnly, SameSite=Lax cookie under /console that ends with the session", async () => {
    const res = await post("/console/signin", { token: await link() });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/); // plain http on this machine; PUBLIC_URL=https marks it Secure
  });

  it("answers every page with a strict policy: no inline script, no framing, nothing cached", async () => {
    const { cookie } = await signIn();
    const res = await get("/console/account", cookie);
    const policy = res.headers.get("content-security-policy")!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("sends a page behind sign-in to the signed-out page without a session, and refuses a change", async () => {
    const page = await get("/console/account");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/console/signed-out");
    const signedOut = await get("/console/signed-out");
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).toContain("/web");
    expect((await post("/console/signout-everywhere", {})).status).toBe(401);
  });

  it("ends a session left alone longer than the idle time, and any session after its absolute end", async () => {
    const idle = await signIn();
    clock.jump(61 * 60_000);
    expect((await get("/console/account", idle.cookie)).status).toBe(303);

    const busy = await signIn();
    for (let step = 0; step < 14; step++) {
      clock.jump(50 * 60_000);
      expect((await get("/console/account", busy.cookie)).status).toBe(200);
    }
    clock.jump(50 * 60_000); // 700 minutes of steady use, then past the 12 hours
    expect((await get("/console/account", busy.cookie)).status).toBe(303);
  });

  it("refuses a change without the form's token, with another's token, or from another site's page", async () => {
    const { cookie, csrf } = await signIn();
    const other = await signIn();
    for (const [form, headers] of [
      [{}, {}],
      [{ _csrf: other.csrf }, {}],
      [{ _csrf: csrf }, { origin: "http://evil.example" }],
      [{ _csrf: csrf }, { origin: "null" }],
    ] as [Record<string, string>, Record<string, string>][]) {
      const res = await post("/console/signout-everywhere", form, { cookie, ...headers });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("không gửi từ trang của chibo");
    }
    // Nothing was done: both sessions still open pages.
    expect((await get("/console/account", cookie)).status).toBe(200);
    expect((await get("/console/account", other.cookie)).status).toBe(200);
  });

  it("signs out here, and everywhere: every other session of the member ends with it", async () => {
    const one = await signIn();
    const two = await signIn();
    const out = await post("/console/signout", { _csrf: one.csrf }, { cookie: one.cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await get("/console/account", one.cookie)).status).toBe(303);
    expect((await get("/console/account", two.cookie)).status).toBe(200);

    const three = await signIn();
    const unused = await link();
    expect((await post("/console/signout-everywhere", { _csrf: three.csrf }, { cookie: three.cookie })).status).toBe(303);
    expect((await get("/console/account", two.cookie)).status).toBe(303);
    expect((await post("/console/signin", { token: unused })).status).toBe(410);
    const audit = await app.chibo.db.auditLog.findMany({ where: { subjectType: "ConsoleSession", actorId: admin.id } });
    expect(audit.map((a) => a.detail)).toEqual(expect.arrayContaining(["signed in", "signed out", expect.stringMatching(/^signed out everywhere: [1-9]/)]));
  });

  it("closes the console to a member who left the list, even with a live session", async () => {
    const member = demo.find((m) => m.roles.length === 1 && m.cellCode === "demo-thon-dong")!;
    const { cookie } = await signIn(member.id);
    expect((await get("/console/account", cookie)).status).toBe(200);
    await app.chibo.db.member.update({ where: { id: member.id }, data: { deactivatedAt: clock.now() } });
    expect((await get("/console/account", cookie)).status).toBe(303);
    await expect(app.chibo.services.consoleSessions.issueLink(member.id, "cli", clock.now(), { kind: "cli" })).rejects.toThrow(/not active/);
  });

  it("switches the console and the chat to English for the member", async () => {
    const { cookie, csrf } = await signIn();
    const res = await post("/console/language", { _csrf: csrf, language: "en" }, { cookie, referer: `${app.baseUrl}/console/account` });
    expect(res.headers.get("location")).toBe("/console/account");
    expect(await (await get("/console/account", cookie)).text()).toContain("Sign out everywhere");
    expect((await app.chibo.db.member.findUniqueOrThrow({ where: { id: admin.id } })).language).toBe("en");
    await post("/console/language", { _csrf: csrf, language: "vi" }, { cookie });
  });

  it("answers an unknown console address with a page in the person's language, not JSON", async () => {
    const { cookie } = await signIn();
    const res = await get("/console/no-such-page", cookie);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("không thuộc phạm vi của đồng chí");
  });
});
