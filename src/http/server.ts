import http, { type Server } from "node:http";
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
  return server;
}

/** Whether a listening address (HOST) takes connections from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
