import { Telegraf } from "telegraf";
import { afterEach } from "vitest";
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from "../fakes/fakeTelegram.ts";

const running: FakeTelegram[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

/** A fake closed after the test, and a real telegraf bot pointed at it. */
export async function fakeWithBot(options: FakeTelegramOptions = {}) {
  const fake = await startFakeTelegram(options);
  running.push(fake);
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  return { fake, bot, telegram: bot.telegram };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
