import { afterEach, describe, expect, it } from "vitest";
import { commandUpdate, privateTextUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { waitUntil } from "../helpers/wait.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeTelegram(): Promise<FakeTelegram> {
  const fake = await startFakeTelegram();
  cleanups.push(() => fake.close());
  return fake;
}

const REFUSED = { status: 400, description: "Bad Request: BOT_COMMANDS_REFUSED" } as const;
const answeredIn = (fake: FakeTelegram, chatId: number) => fake.sentMessages().some((m) => m.chatId === String(chatId));

describe("the Telegram command menu", () => {
  it("does not keep chibo from answering when the Bot API refuses it, and is tried again with a growing wait", async () => {
    const fake = await fakeTelegram();
    fake.failNext("setMyCommands", REFUSED, { times: 1_000_000 });
    const app = await startChiboWithTelegram(fake, {}, 100);
    cleanups.push(() => app.stop());
    fake.pushUpdate(commandUpdate({ fromId: 41, command: "start" }));
    fake.pushUpdate(privateTextUpdate({ fromId: 42, text: "xin chào" }));
    await waitUntil(() => answeredIn(fake, 41) && answeredIn(fake, 42));
    await waitUntil(() => fake.callsTo("setMyCommands").length >= 3);
    const times = fake.callsTo("setMyCommands").map((c) => c.at);
    // The waits are lower bounds whatever the load: 100 ms, then 200 ms (timers may fire a tick early).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(95);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(190);
  });

  it("is set once the Bot API accepts it again", async () => {
    const fake = await fakeTelegram();
    fake.failNext("setMyCommands", REFUSED, { times: 2 });
    const app = await startChiboWithTelegram(fake, {}, 50);
    cleanups.push(() => app.stop());
    // Two refused attempts, then the three menus (default, vi, en) of the one that succeeds.
    await waitUntil(() => fake.callsTo("setMyCommands").length === 5);
  });

  it("stops trying when chibo stops", async () => {
    const fake = await fakeTelegram();
    fake.failNext("setMyCommands", REFUSED, { times: 1_000_000 });
    const app = await startChiboWithTelegram(fake, {}, 50);
    await waitUntil(() => fake.callsTo("setMyCommands").length >= 2);
    await app.stop();
    const calls = fake.callsTo("setMyCommands").length;
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.callsTo("setMyCommands").length).toBe(calls);
  });
});
