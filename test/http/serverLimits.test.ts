import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { demoSecretary, loadDemo, startChiboLocal, type LocalChibo } from "../helpers/chiboLocal.ts";
import { waitUntil } from "../helpers/wait.ts";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function local(env: Record<string, string>): Promise<LocalChibo> {
  const app = await startChiboLocal(env);
  cleanups.push(() => app.stop());
  return app;
}

/** A raw connection to chibo that records what comes back and when it is closed. */
function connect(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  cleanups.push(() => void socket.destroy());
  let received = "";
  let closed = false;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  socket.on("error", () => {});
  socket.on("close", () => (closed = true));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, connected, received: () => received, closed: () => closed };
}

describe("the HTTP server's bounds", () => {
  it("cuts off a client that sends the headers and then trickles the body, after the request timeout", async () => {
    const app = await local({ HTTP_REQUEST_TIMEOUT_MS: "600", HTTP_HEADERS_TIMEOUT_MS: "300" });
    const client = connect(app.chibo.port);
    await client.connected;
    client.socket.write(`POST /chat/api/send HTTP/1.1\r\nHost: 127.0.0.1:${app.chibo.port}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{`);
    let sent = 1;
    const trickle = setInterval(() => {
      if (client.closed()) return;
      client.socket.write(" ");
      sent += 1;
    }, 50);
    cleanups.push(() => clearInterval(trickle));
    // Node's default would hold it for 300 s; a deadline well past the timeout, not a measurement.
    await waitUntil(() => client.closed(), 10_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(10_000);
    expect(await app.chibo.db.inboundUpdate.count()).toBe(0);
  });

  it("cuts off a client that trickles its headers", async () => {
    const app = await local({ HTTP_REQUEST_TIMEOUT_MS: "600", HTTP_HEADERS_TIMEOUT_MS: "300" });
    const client = connect(app.chibo.port);
    await client.connected;
    client.socket.write("GET /health HTTP/1.1\r\n");
    const trickle = setInterval(() => {
      if (!client.closed()) client.socket.write("X-Slow: 1\r\n");
    }, 50);
    cleanups.push(() => clearInterval(trickle));
    await waitUntil(() => client.closed(), 10_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("still answers a web chat long poll that lasts longer than the request timeout", async () => {
    const app = await local({ HTTP_REQUEST_TIMEOUT_MS: "300", HTTP_HEADERS_TIMEOUT_MS: "200" });
    const secretary = demoSecretary(await loadDemo(app.chibo));
    const started = Date.now();
    const res = await fetch(`${app.baseUrl}/chat/api/messages?memberId=${secretary.id}&after=0&wait=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: [], cursor: 0 });
    // It did wait out its second: the request was in, so the timeout no longer applied.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("closes connections beyond the limit at once, and takes new ones when others have gone", async () => {
    const app = await local({ HTTP_MAX_CONNECTIONS: "2" });
    const held = [connect(app.chibo.port), connect(app.chibo.port)];
    // Each asks once and keeps its connection open (keep-alive): the server has surely counted both.
    for (const c of held) c.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await waitUntil(() => held.every((c) => c.received().startsWith("HTTP/1.1 200")), 5000);
    const refused = connect(app.chibo.port);
    refused.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await waitUntil(() => refused.closed(), 5000);
    expect(refused.received()).toBe("");
    expect(held.some((c) => c.closed())).toBe(false);

    for (const c of held) c.socket.destroy();
    await waitUntil(async () => (await fetch(`${app.baseUrl}/health`).then((res) => res.status, () => 0)) === 200, 5000);
  });
});
