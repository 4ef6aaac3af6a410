import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/channels/types.ts";
import { createInboundProcessor, type InboundProcessor } from "../../src/inbound/inboundProcessor.ts";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { systemClock } from "../../src/services/clock.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { waitUntil } from "../helpers/wait.ts";

let database: TestDatabase;
const processors: InboundProcessor[] = [];
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  for (const p of processors.splice(0)) await p.stop();
  await database.cleanup();
});

/** Stored payloads here are `{ "id": "...", "button": true? }`. */
const decoder = (acks: string[]) => ({
  decode: (payload: string): InboundEvent => {
    const { id, button } = JSON.parse(payload) as { id: string; button?: boolean };
    return { type: "message", message: { channel: "telegram", updateId: id, sender: { id: "1", displayName: "A" }, chat: { id: "1", kind: "private" }, contentKind: button ? "button" : "text", text: "có", ...(button ? { callbackId: `cb${id}` } : {}) } };
  },
  acknowledge: async (event: InboundEvent) => {
    if (event.type === "message" && event.message.callbackId) acks.push(event.message.callbackId);
  },
});

function start(handle: (event: InboundEvent) => Promise<void>, acks: string[] = []) {
  const processor = createInboundProcessor({ db: database.prisma, decoders: { telegram: decoder(acks) }, handler: { handle }, clock: systemClock, logger: pino({ level: "silent" }), maxAttempts: 3, retryBaseMs: 10, idlePollMs: 20 });
  processors.push(processor);
  processor.start();
  return processor;
}

describe("processing stored updates", () => {
  it("handles updates stored while no processor ran, in arrival order, once each", async () => {
    const store = createInboundStore({ db: database.prisma });
    for (const id of ["1", "2", "3"]) await store.record("telegram", id, JSON.stringify({ id }), new Date());
    const handled: string[] = [];
    start(async (event) => {
      if (event.type === "message") handled.push(event.message.updateId);
    });
    await waitUntil(async () => (await database.prisma.inboundUpdate.count({ where: { status: "done" } })) === 3);
    expect(handled).toEqual(["1", "2", "3"]);
  });

  it("retries a failing update with backoff, then marks it failed with the error, and answers its button once", async () => {
    const store = createInboundStore({ db: database.prisma });
    await store.record("telegram", "9", JSON.stringify({ id: "9", button: true }), new Date());
    await store.record("telegram", "10", JSON.stringify({ id: "10" }), new Date());
    const acks: string[] = [];
    let tries = 0;
    start(async (event) => {
      if (event.type === "message" && event.message.updateId === "9") {
        tries++;
        throw new Error("database is locked");
      }
    }, acks);
    await waitUntil(async () => (await database.prisma.inboundUpdate.findFirstOrThrow({ where: { externalId: "9" } })).status === "failed");
    expect(tries).toBe(3);
    expect(acks).toEqual(["cb9"]);
    expect(await database.prisma.inboundUpdate.findFirstOrThrow({ where: { externalId: "9" } })).toMatchObject({ attempts: 3, error: "database is locked" });
    expect((await database.prisma.inboundUpdate.findFirstOrThrow({ where: { externalId: "10" } })).status).toBe("done");
  });
});
