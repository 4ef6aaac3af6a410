import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { ApiReply } from "./apiReplies.ts";

// How long close() lets in-flight answers finish before cutting connections.
const CLOSE_GRACE_MS = 1_000;

/**
 * Writes answers now or after a delay, and knows which are still owed, so close() can send
 * every delayed answer at once instead of leaving a client hanging until its own timeout.
 */
export class Responder {
  private readonly delayed = new Map<NodeJS.Timeout, () => void>();
  private readonly open = new Set<ServerResponse>();
  private closing = false;

  track(res: ServerResponse) {
    this.open.add(res);
    res.once("close", () => this.open.delete(res));
  }

  send(res: ServerResponse, reply: ApiReply, delayMs: number) {
    this.later(delayMs, () => write(res, reply));
  }

  /** Ends the connection without an answer, as a network failure would. */
  drop(res: ServerResponse, delayMs: number) {
    this.later(delayMs, () => res.destroy());
  }

  get isClosing() {
    return this.closing;
  }

  /** Sends what is owed, then waits (briefly) for those answers to leave. */
  async finish() {
    this.closing = true;
    for (const [timer, action] of this.delayed) {
      clearTimeout(timer);
      action();
    }
    this.delayed.clear();
    const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all([...this.open].map((res) => once(res, "close"))), grace]);
  }

  private later(delayMs: number, action: () => void) {
    if (delayMs <= 0 || this.closing) return action();
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      action();
    }, delayMs);
    this.delayed.set(timer, action);
  }
}

function write(res: ServerResponse, reply: ApiReply) {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
