import crypto from "node:crypto";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import type { Clock } from "../../services/clock.ts";
import type { InboundStore } from "../../inbound/inboundStore.ts";

export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";
const BODY_LIMIT = "1mb";

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * The webhook's handlers in order: the secret is checked (in constant time) before the body is
 * read, so a stranger's megabyte is never parsed; then the body; then the update is stored once
 * and answered at once, the work happening after, from the stored row. A wrong or missing secret
 * stores nothing. Telegram retries any non-2xx, so a storage failure answers 500 and the update
 * comes again.
 */
export function createTelegramWebhookHandlers(deps: { secret: string; store: InboundStore; clock: Clock; logger: Logger }): RequestHandler[] {
  const checkSecret: RequestHandler = (req, res, next) => {
    if (sameSecret(req.header(SECRET_HEADER), deps.secret)) return next();
    res.status(401).json({ error: "unauthorized" });
  };
  const readBody = express.json({ limit: BODY_LIMIT });
  const storeUpdate = async (req: Request, res: Response): Promise<void> => {
    const update = req.body as { update_id?: unknown } | undefined;
    if (!update || typeof update.update_id !== "number" || !Number.isSafeInteger(update.update_id)) {
      // Not an update Telegram would send: acknowledge so it is not redelivered, keep nothing.
      res.status(400).json({ error: "not_an_update" });
      return;
    }
    try {
      await deps.store.record("telegram", String(update.update_id), JSON.stringify(update), deps.clock.now());
      res.status(200).json({ ok: true });
    } catch (error) {
      deps.logger.error({ err: error }, "could not store a Telegram update");
      res.status(500).json({ error: "storage_failed" });
    }
  };
  return [checkSecret, readBody, storeUpdate];
}
