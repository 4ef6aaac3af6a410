import crypto from "node:crypto";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import { unwrapEvent, zaloBotEventId } from "./event.ts";

export const ZALO_BOT_WEBHOOK_PATH = "/zalo/bot/webhook";
export const ZALO_BOT_SECRET_HEADER = "x-bot-api-secret-token";
const BODY_LIMIT = "1mb";

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * The webhook's handlers in order: the secret is checked before the body is read (a stranger's
 * megabyte is never parsed), then the body, then the event is stored once and answered at once;
 * the work happens after, from the stored row. Nothing is stored on any refusal. A storage
 * failure answers 500 so that the platform delivers the event again.
 */
export function createZaloBotWebhookHandlers(deps: { secret: string; store: InboundStore; clock: Clock; logger: Logger }): [RequestHandler, RequestHandler, RequestHandler, (error: unknown, req: Request, res: Response, next: NextFunction) => void] {
  const checkSecret: RequestHandler = (req, res, next) => {
    if (sameSecret(req.header(ZALO_BOT_SECRET_HEADER), deps.secret)) return next();
    res.status(401).json({ error: "unauthorized" });
  };
  // Any content type: the platform's is not documented, and the body must be JSON either way.
  const readBody = express.json({ limit: BODY_LIMIT, type: () => true });

  const storeEvent: RequestHandler = async (req, res) => {
    const event = unwrapEvent(req.body);
    const id = event ? zaloBotEventId(event) : undefined;
    if (!id) {
      if (typeof event?.event_name === "string" && event.event_name !== "") {
        // A real event with no message to act on (an unsupported one may come without it):
        // acknowledged so the platform does not deliver it again, and nothing to keep.
        res.status(200).json({ ok: true });
        return;
      }
      res.status(400).json({ error: "not_an_event" });
      return;
    }
    try {
      await deps.store.record("zalo_bot", id, JSON.stringify(event), deps.clock.now());
      res.status(200).json({ ok: true });
    } catch (error) {
      deps.logger.error({ err: error }, "could not store a Zalo Bot event");
      res.status(500).json({ error: "storage_failed" });
    }
  };

  /** Bodies that could not be read: too large (413) or not JSON (400). */
  const unreadableBody = (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (status === 413) return void res.status(413).json({ error: "too_large" });
    if (typeof status === "number" && status >= 400 && status < 500) return void res.status(400).json({ error: "malformed_body" });
    next(error);
  };

  return [checkSecret, readBody, storeEvent, unreadableBody];
}
