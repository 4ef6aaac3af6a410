import type { RequestHandler } from "express";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** "[::1]:3000" → { name: "[::1]", port: "3000" }; undefined for what is not a host. */
function splitHost(host: string): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return match ? { name: match[1]!, port: match[2] } : undefined;
}

function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(?:::ffff:)?127\./.test(address));
}

/**
 * Whether the web chat answers a request. By default only a browser on this machine: the Host
 * names this machine (a DNS-rebinding page in a browser on the network sends its own name) and
 * the connection comes from it (another computer can write any Host). Hosts the operator lists
 * ("name" for any port, "name:port" for that port) are answered from anywhere.
 */
export function isWebChatRequestAllowed(request: { host: string | undefined; remoteAddress: string | undefined }, allowedHosts: readonly string[]): boolean {
  const host = request.host === undefined ? undefined : splitHost(request.host);
  if (!host) return false;
  if (LOOPBACK_NAMES.has(host.name) && isLoopbackAddress(request.remoteAddress)) return true;
  return allowedHosts.some((allowed) => {
    const entry = splitHost(allowed);
    return entry !== undefined && entry.name === host.name && (entry.port === undefined || entry.port === host.port);
  });
}

/** Refuses, before anything is read or stored, a request the web chat does not answer. */
export function webChatHostGuard(allowedHosts: readonly string[], refusal: () => string): RequestHandler {
  return (req, res, next) => {
    if (isWebChatRequestAllowed({ host: req.headers.host, remoteAddress: req.socket.remoteAddress }, allowedHosts)) {
      next();
      return;
    }
    res.status(403).set({ "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" }).send(refusal());
  };
}
