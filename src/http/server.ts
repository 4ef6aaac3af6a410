import http, { type Server } from "node:http";
import type { Socket } from "node:net";
import type { Express } from "express";

/** How long a client may take and how many may be connected at once. */
export interface ServerLimits {
  /** Until the whole request (headers and body) is in; Node answers 408 and closes after it. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** How long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as soon as they open. */
  maxConnections: number;
}

/** Node looks for late requests every this often at most (its default, 30 s, would let a short timeout run long). */
const CHECK_EVERY_MAX_MS = 1000;

/** Node's own refusals, by its error code: the status line and a short answer in both languages. */
const CLIENT_ERRORS: Record<string, [string, string, string]> = {
  HPE_HEADER_OVERFLOW: ["431 Request Header Fields Too Large", "Địa chỉ hoặc yêu cầu quá dài.", "The address or request is too long."],
  ERR_HTTP_REQUEST_TIMEOUT: ["408 Request Timeout", "Yêu cầu gửi quá chậm.", "The request took too long."],
  default: ["400 Bad Request", "Yêu cầu không đọc được.", "The request could not be read."],
};

/**
 * The HTTP server for the app, bounded: Node's defaults hold a slow request body for 300 s and
 * accept any number of connections, so a few clients trickling bytes could hold the server.
 */
export function createBoundedServer(app: Express, limits: ServerLimits): Server {
  const server = http.createServer({
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(CHECK_EVERY_MAX_MS, Math.floor(limits.headersTimeoutMs / 2))),
  }, app);
  server.maxConnections = limits.maxConnections;
  // Requests Node refuses before the app sees them (headers over 16 KB, a broken request line)
  // get a short answer in both languages instead of a bare status line.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    // As Node itself does: no answer while a response of this (kept-alive) connection is half written.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, vi, en] = CLIENT_ERRORS[error.code ?? ""] ?? CLIENT_ERRORS.default!;
    const body = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>${status}</title><p>${vi}</p><p lang="en">${en}</p></html>\n`;
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}

/** Whether a listening address (HOST) takes connections from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
