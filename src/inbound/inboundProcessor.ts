import crypto from "node:crypto";
import type { Logger } from "pino";
import type { InboundEvent } from "../channels/types.ts";
import type { Clock } from "../services/clock.ts";
import { secrets } from "../redaction.ts";
import type { Db } from "../storage/database.ts";

/** How a channel reads its own stored payloads, and acknowledges a handled button press. */
export interface InboundDecoder {
  /** May read the database (a channel that numbers its choices maps "1" back to a button). */
  decode(payload: string): InboundEvent | Promise<InboundEvent>;
  acknowledge?(event: InboundEvent): Promise<void>;
  /**
   * Keep the raw update once handled. By default it is blanked then: it may hold what a person
   * wrote (anonymous feedback among it) next to their platform id, and is not needed any more.
   */
  keepsPayload?: boolean;
}

export interface InboundHandler {
  handle(event: InboundEvent): Promise<void>;
}

const BATCH_SIZE = 20;
const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 2_000;
const IDLE_POLL_MS = 500;

/**
 * Processes stored updates in arrival order. A row is claimed with a lease, handled, and marked
 * done; a crash leaves it to be taken again when the lease runs out. The handler must be
 * idempotent per update (replies use the update id in their outbox key), so a retry is safe.
 */
export interface InboundProcessorOptions {
  db: Db;
  decoders: Record<string, InboundDecoder>;
  handler: InboundHandler;
  clock: Clock;
  logger: Logger;
  maxAttempts?: number;
  retryBaseMs?: number;
  idlePollMs?: number;
}

export function createInboundProcessor(deps: InboundProcessorOptions) {
  const { db, clock, logger } = deps;
  const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS;
  const retryBaseMs = deps.retryBaseMs ?? RETRY_BASE_MS;
  const idlePollMs = deps.idlePollMs ?? IDLE_POLL_MS;
  const workerId = `inbound-${crypto.randomUUID().slice(0, 8)}`;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let claims = 0;

  async function claim() {
    const now = clock.now();
    const due = { status: "pending", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
    const candidates = await db.inboundUpdate.findMany({ where: due, orderBy: { id: "asc" }, take: BATCH_SIZE, select: { id: true } });
    if (candidates.length === 0) return [];
    const token = `${workerId}:${++claims}`;
    await db.inboundUpdate.updateMany({ where: { id: { in: candidates.map((c) => c.id) }, ...due }, data: { lockedBy: token, lockedUntil: new Date(now.getTime() + LEASE_MS) } });
    return db.inboundUpdate.findMany({ where: { lockedBy: token, status: "pending" }, orderBy: { id: "asc" } });
  }

  /** A button press left unanswered shows a spinner; answering is best effort. */
  async function acknowledge(decoder: InboundDecoder, event: InboundEvent): Promise<void> {
    await decoder.acknowledge?.(event).catch((error: unknown) => logger.warn({ err: error }, "could not acknowledge a button press"));
  }

  async function processOne(row: { id: number; channel: string; payload: string; attempts: number; lockedBy: string | null }) {
    const decoder = deps.decoders[row.channel];
    let event: InboundEvent | undefined;
    try {
      if (!decoder) throw new Error(`no decoder for channel ${row.channel}`);
      event = await decoder.decode(row.payload);
      await deps.handler.handle(event);
      await db.inboundUpdate.updateMany({ where: { id: row.id, lockedBy: row.lockedBy }, data: { status: "done", processedAt: clock.now(), lockedBy: null, lockedUntil: null, error: null, ...(decoder.keepsPayload ? {} : { payload: "" }) } });
      await acknowledge(decoder, event);
    } catch (error) {
      // Answer the button press on the first failure too: the person should not wait on a spinner.
      if (row.attempts === 0 && decoder && event) await acknowledge(decoder, event);
      const attempts = row.attempts + 1;
      const message = secrets.errorText(error);
      logger.error({ err: error, inboundId: row.id, attempts }, "processing an update failed");
      await db.inboundUpdate.updateMany({
        where: { id: row.id, lockedBy: row.lockedBy },
        data: attempts >= maxAttempts
          ? { status: "failed", attempts, error: message.slice(0, 500), lockedBy: null, lockedUntil: null }
          : { attempts, error: message.slice(0, 500), lockedBy: null, lockedUntil: new Date(clock.now().getTime() + retryBaseMs * 2 ** attempts) },
      });
    }
  }

  async function run() {
    while (running) {
      try {
        const rows = await claim();
        for (const row of rows) await processOne(row);
        if (rows.length === 0) await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idlePollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } catch (error) {
        logger.error({ err: error }, "inbound processor loop failed; retrying");
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Process now instead of at the next poll (called when an update was just stored). */
    notify() {
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
