import http from "node:http";

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<number, number>;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending the next request as soon as
 * the last one is answered, for `seconds`. `body(i)` makes the i-th request body.
 */
export async function runLoad(options: { url: string; connections: number; seconds: number; headers?: Record<string, string> | ((payload: string) => Record<string, string>); body: (i: number) => string }): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let counter = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();

  function once(): Promise<void> {
    const payload = options.body(counter++);
    const headers = typeof options.headers === "function" ? options.headers(payload) : options.headers;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers } },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });
  }

  async function connection(): Promise<void> {
    while (performance.now() < deadline) await once();
  }

  await Promise.all(Array.from({ length: options.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50Ms: pick(0.5), p99Ms: pick(0.99), statuses };
}
