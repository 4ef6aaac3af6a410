import type { ChannelDriver, SentMessage } from "../conversations/drivers.ts";
import { waitUntil } from "../helpers/wait.ts";

/**
 * Does `act` and waits until `count` new messages reached the chat; returns them. An update chibo
 * could not handle fails at once with its error, instead of waiting out the time.
 */
export async function exchange(driver: ChannelDriver, chat: number | string, act: () => Promise<void>, count = 1, timeoutMs = 60_000): Promise<SentMessage[]> {
  const chatId = String(chat);
  const before = (await driver.sentTo(chatId)).length;
  await act();
  await waitUntil(async () => {
    const failed = await driver.app.chibo.db.inboundUpdate.findFirst({ where: { error: { not: null } }, select: { error: true } });
    if (failed) throw new Error(`chibo could not handle an update: ${failed.error?.trim().split("\n").at(-1)}`);
    return (await driver.sentTo(chatId)).length >= before + count;
  }, timeoutMs);
  return (await driver.sentTo(chatId)).slice(before);
}
