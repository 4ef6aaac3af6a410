import fs from "node:fs";
import { pino } from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/app.ts";
import { renderPage } from "../../src/http/privacyPage.ts";
import { CONSENT_VERSION, PRIVACY_FILE, privacyText } from "../../src/services/consent.ts";

describe("the full notice of what chibo stores", () => {
  it("is served at /privacy as a plain page, Vietnamese first, with no script allowed", async () => {
    const app = createHttpApp({ isDatabaseReachable: async () => true, logger: pino({ level: "silent" }) });
    const res = await request(app).get("/privacy");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.text).toContain("<h1>Thông báo về dữ liệu cá nhân của chibo</h1>");
    expect(res.text.indexOf("Thông báo về dữ liệu cá nhân")).toBeLessThan(res.text.indexOf("chibo&#39;s notice about your personal data"));
    expect(res.text).toContain("<li>Xem dữ liệu chibo lưu về mình: gửi /dulieu.</li>");
  });

  it("states the version chibo asks members to accept, in both languages", () => {
    expect(privacyText("vi")).toContain(`Phiên bản ${CONSENT_VERSION}.`);
    expect(privacyText("en")).toContain(`Version ${CONSENT_VERSION}.`);
    expect(privacyText("en")).toMatch(/^# chibo's notice about your personal data\n/);
    expect(fs.readFileSync(PRIVACY_FILE, "utf8").startsWith("# Thông báo về dữ liệu cá nhân của chibo\n")).toBe(true);
  });

  it("escapes what it shows", () => {
    const page = renderPage("# A <b>title</b>\n\n- <script>alert(1)</script>\n\ntext & more");
    expect(page).toContain("<h1>A &#60;b&#62;title&#60;/b&#62;</h1>");
    expect(page).toContain("<ul>\n<li>&#60;script&#62;alert(1)&#60;/script&#62;</li>\n</ul>");
    expect(page).toContain("<p>text &#38; more</p>");
    expect(page).not.toContain("<script>");
  });
});
