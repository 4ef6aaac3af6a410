import http from "node:http";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { isWebChatRequestAllowed } from "../../src/channels/web/hostCheck.ts";
import { parseConfig } from "../../src/config.ts";
import { startChibo } from "../../src/runtime.ts";
import { commandUpdate, startFakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { startChiboLocal } from "../helpers/chiboLocal.ts";
import { freshDatabase } from "../helpers/db.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A request to chibo on loopback with the Host header a browser (or anyone) chose. */
function request(port: number, options: { path: string; host: string; method?: string; body?: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: options.path, method: options.method ?? "GET", headers: { host: options.host, ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

async function local(env: Record<string, string> = {}) {
  const app = await startChiboLocal(env);
  cleanups.push(() => app.stop());
  return app;
}

describe("the web chat answers only this machine", () => {
  it("refuses a foreign Host on the page and the API with a short plain answer, storing nothing", async () => {
    const app = await local();
    const port = app.chibo.port;
    const host = `evil.example:${port}`;
    const page = await request(port, { path: "/chat", host });
    expect([page.status, page.contentType]).toEqual([403, "text/plain; charset=utf-8"]);
    expect(page.body).toBe("Trang trò chuyện thử chỉ mở trên chính máy chạy chibo (http://localhost). Người quản trị có thể cho phép thêm địa chỉ bằng WEB_CHAT_HOSTS.");
    expect((await request(port, { path: "/chat/api/members", host })).status).toBe(403);
    const sent = await request(port, {
      path: "/chat/api/send", host, method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ memberId: 1, clientId: "c1", text: "/lich" }),
    });
    expect(sent.status).toBe(403);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(0);
  });

  it("answers this machine's names, with or without the port", async () => {
    const app = await local();
    const port = app.chibo.port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost", `LOCALHOST:${port}`]) {
      const page = await request(port, { path: "/chat", host });
      expect([host, page.status]).toEqual([host, 200]);
    }
    const members = await request(port, { path: "/chat/api/members", host: `localhost:${port}` });
    expect([members.status, JSON.parse(members.body)]).toEqual([200, { members: [] }]);
  });

  it("answers the hosts the operator lists in WEB_CHAT_HOSTS, on the port given", async () => {
    const app = await local({ WEB_CHAT_HOSTS: "chibo.lan, 192.168.1.10:8080" });
    const port = app.chibo.port;
    expect((await request(port, { path: "/chat", host: `chibo.lan:${port}` })).status).toBe(200);
    expect((await request(port, { path: "/chat", host: "192.168.1.10:8080" })).status).toBe(200);
    expect((await request(port, { path: "/chat", host: `192.168.1.10:${port}` })).status).toBe(403);
    expect((await request(port, { path: "/chat", host: "chibo.lan.evil.example" })).status).toBe(403);
  });

  it("takes a loopback Host only from a connection that comes from this machine", () => {
    expect(isWebChatRequestAllowed({ host: "localhost:3000", remoteAddress: "127.0.0.1" }, [])).toBe(true);
    expect(isWebChatRequestAllowed({ host: "localhost:3000", remoteAddress: "::ffff:127.0.0.1" }, [])).toBe(true);
    expect(isWebChatRequestAllowed({ host: "[::1]:3000", remoteAddress: "::1" }, [])).toBe(true);
    // Another computer on the network can write any Host.
    expect(isWebChatRequestAllowed({ host: "localhost:3000", remoteAddress: "192.168.1.23" }, [])).toBe(false);
    expect(isWebChatRequestAllowed({ host: "192.168.1.10:3000", remoteAddress: "192.168.1.23" }, ["192.168.1.10:3000"])).toBe(true);
    expect(isWebChatRequestAllowed({ host: "localhost:3000@evil", remoteAddress: "127.0.0.1" }, [])).toBe(false);
    // No Host at all (HTTP/1.0) names nothing.
    expect(isWebChatRequestAllowed({ host: undefined, remoteAddress: "127.0.0.1" }, [])).toBe(false);
  });

  it("leaves /health alone whatever the Host", async () => {
    const app = await local();
    expect((await request(app.chibo.port, { path: "/health", host: "evil.example" })).status).toBe(200);
  });
});

describe("the web chat's default", () => {
  it("is off once a chat platform is connected, and the start log says why", async () => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const messages: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) });
    const config = parseConfig({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false", TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
    const chibo = await startChibo({ config, logger });
    cleanups.push(() => chibo.stop());
    const port = chibo.port;
    expect((await request(port, { path: "/chat", host: `localhost:${port}` })).status).toBe(404);
    expect((await request(port, { path: "/chat/api/members", host: `localhost:${port}` })).status).toBe(404);
    expect(messages).toContain("Trò chuyện thử trên web: tắt, vì chibo đã kết nối kênh chat thật. Muốn bật (chỉ mở trên máy này), đặt WEB_CHAT_ENABLED=true.");
  });

  it("is on with WEB_CHAT_ENABLED=true next to a chat platform", async () => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());

    const forced = await startChiboWithTelegram(fake, { WEB_CHAT_ENABLED: "true" });
    cleanups.push(() => forced.stop());
    expect((await request(forced.chibo.port, { path: "/chat", host: `localhost:${forced.chibo.port}` })).status).toBe(200);
  });

  it("does not stand in the way of a webhook behind a proxy, whatever its Host", async () => {
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const secret = "webhook-secret-for-tests-0001";
    const app = await startChiboWithTelegram(fake, { PUBLIC_URL: "https://chibo.example.vn", TELEGRAM_WEBHOOK_SECRET: secret, WEB_CHAT_ENABLED: "true" });
    cleanups.push(() => app.stop());
    const answer = await request(app.chibo.port, {
      path: "/telegram/webhook", host: "chibo.example.vn", method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(commandUpdate({ fromId: 42, command: "lich" })),
    });
    expect(answer.status).toBe(200);
    expect(await app.chibo.db.inboundUpdate.count({ where: { channel: "telegram" } })).toBe(1);
  });
});
