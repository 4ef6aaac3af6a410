import crypto from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import type { InboundStore } from "../../inbound/inboundStore.ts";
import type { Clock } from "../../services/clock.ts";
import { externalIdOf, type ZaloOaEvent } from "./event.ts";

export const ZALO_OA_WEBHOOK_PATH = "/zalo/oa/webhook";
export const SIGNATURE_HEADER = "x-zevent-signature";
/** Some senders put the timestamp in a header as well; it should equal the body's. */
export const TIMESTAMP_HEADER = "x-zevent-timestamp";
/** Zalo's events are small; a body past this is not one of them. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Zalo's clock and ours may differ a little; more than this ahead is not a real event. */
const MAX_FUTURE_SKEW_MS = 60_000;

export interface ZaloOaWebhookSettings {
  appId: string;
  /** The OA secret key Zalo signs events with. */
  secretKey: string;
  maxEventAgeMs: number;
}

/**
 * `X-ZEvent-Signature: mac=<hex>` where the mac is the plain SHA-256 (not an HMAC) of the app id,
 * the raw body, the event's timestamp and the OA secret key, concatenated.
 */
export function zaloOaMac(appId: string, rawBody: string, timestamp: string, secretKey: string): string {
  return crypto.createHash("sha256").update(appId + rawBody + timestamp + secretKey, "utf8").digest("hex");
}

function signatureMatches(header: string | undefined, expectedHex: string): boolean {
  const given = header?.trim().replace(/^mac=/i, "").toLowerCase();
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expectedHex);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** How many `"timestamp": …` values of a raw body are tried as the signed one (the event's own comes first). */
const MAX_TIMESTAMP_CANDIDATES = 4;

/** The values of `"timestamp"` fields in a raw body, read without parsing it: the signed timestamp is one of them. */
function timestampsIn(rawBody: string): string[] {
  const found: string[] = [];
  for (const match of rawBody.matchAll(/"timestamp"\s*:\s*"?(\d{1,20})"?/g)) {
    if (match[1] !== undefined) found.push(match[1]);
    if (found.length === MAX_TIMESTAMP_CANDIDATES) break;
  }
  return found;
}

/** The raw body as bytes, since the signature is over them; a body too large answers 413. */
export function readRawBody(req: Request, res: Response, next: NextFunction): void {
  express.raw({ type: () => true, limit: MAX_BODY_BYTES })(req, res, (error?: unknown) => {
    if (!error) return next();
    const status = (error as { status?: unknown }).status;
    res.status(status === 413 ? 413 : 400).json({ error: status === 413 ? "too_large" : "unreadable_body" });
  });
}

/**
 * Checks an event, stores it once and answers at once; the work happens after, from the stored
 * row. The signature is checked on the raw bytes before the body is parsed. Nothing is stored for
 * a missing or wrong signature or another app's event (401), a signed body that is not JSON
 * (400), or an event too old or too far ahead to be a fresh delivery (409: a replay). A redelivered event answers 200 and is not stored again. A storage failure answers
 * 500, so Zalo tries again.
 */
export function createZaloOaWebhookHandler(deps: { settings: ZaloOaWebhookSettings; store: InboundStore; clock: Clock; logger: Logger }) {
  const { settings } = deps;
  return async (req: Request, res: Response): Promise<void> => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    // The signature is checked on the raw bytes before anything is parsed: a stranger's body costs a hash, no more.
    const signature = req.header(SIGNATURE_HEADER);
    const headerTimestamp = req.header(TIMESTAMP_HEADER) ?? "";
    const timestamp = [...timestampsIn(rawBody), headerTimestamp]
      .find((t) => t !== "" && signatureMatches(signature, zaloOaMac(settings.appId, rawBody, t, settings.secretKey)));
    if (timestamp === undefined) {
      res.status(401).json({ error: "bad_signature" });
      return;
    }
    let event: ZaloOaEvent;
    try {
      event = JSON.parse(rawBody) as ZaloOaEvent;
      if (!event || typeof event !== "object" || Array.isArray(event)) throw new Error("not an object");
    } catch {
      res.status(400).json({ error: "not_an_event" });
      return;
    }
    // The signed timestamp must be the event's own (or the header's when the body has none), not one nested deeper.
    const bodyTimestamp = typeof event.timestamp === "number" || typeof event.timestamp === "string" ? String(event.timestamp) : "";
    if (timestamp !== bodyTimestamp && timestamp !== headerTimestamp) {
      res.status(401).json({ error: "bad_signature" });
      return;
    }
    if (String(event.app_id ?? "") !== settings.appId) {
      res.status(401).json({ error: "unknown_app" });
      return;
    }
    const sentAtMs = Number(timestamp);
    const nowMs = deps.clock.now().getTime();
    if (!Number.isFinite(sentAtMs) || nowMs - sentAtMs > settings.maxEventAgeMs || sentAtMs - nowMs > MAX_FUTURE_SKEW_MS) {
      deps.logger.warn({ timestamp, event: event.event_name }, "refused a Zalo OA event outside the accepted time window");
      res.status(409).json({ error: "stale_event" });
      return;
    }
    try {
      await deps.store.record("zalo_oa", externalIdOf(event), rawBody, deps.clock.now());
      res.status(200).json({ ok: true });
    } catch (error) {
      deps.logger.error({ err: error }, "could not store a Zalo OA event");
      res.status(500).json({ error: "storage_failed" });
    }
  };
}
