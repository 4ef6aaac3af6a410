import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInboundStore } from "../../src/inbound/inboundStore.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.cleanup());

const at = new Date("2026-11-22T03:00:00Z");

describe("storing inbound updates", () => {
  it("stores each update once when many arrive at the same moment, repeats included", async () => {
    let notified = 0;
    const store = createInboundStore({ db: database.prisma, onStored: () => notified++ });
    const ids = [1, 2, 3, 2, 4, 1, 5];
    const results = await Promise.all(ids.map((id) => store.record("telegram", String(id), `{"update_id":${id}}`, at)));
    expect(results).toEqual([true, true, true, false, true, false, true]);
    expect(await database.prisma.inboundUpdate.count()).toBe(5);
    expect(notified).toBeGreaterThan(0);
  });

  it("recognises an update stored earlier, also by another connection", async () => {
    const other = await openDatabase({ url: database.url, busyTimeoutMs: 5000, migrate: false });
    await createInboundStore({ db: other.prisma }).record("telegram", "77", "{}", at);
    await other.close();
    const store = createInboundStore({ db: database.prisma });
    expect(await store.record("telegram", "77", "{}", at)).toBe(false);
    expect(await store.record("zalo_bot", "77", "{}", at)).toBe(true);
  });

  it("fails every caller of a batch that could not be written, so none of them acknowledges", async () => {
    const broken = { ...database.prisma, $transaction: () => Promise.reject(new Error("disk full")) } as unknown as typeof database.prisma;
    const failing = createInboundStore({ db: broken });
    const results = await Promise.allSettled([failing.record("telegram", "1", "{}", at), failing.record("telegram", "2", "{}", at)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await database.prisma.inboundUpdate.count()).toBe(0);
  });
});
