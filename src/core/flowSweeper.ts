import type { Logger } from "pino";
import type { Outbox } from "../delivery/outbox.ts";
import { isLanguage, type Translator } from "../i18n.ts";
import type { Clock } from "../services/clock.ts";
import type { FlowStore } from "./flowStore.ts";

/**
 * Drops flows left alone past their expiry and tells each person, politely and once, that
 * nothing of it was saved. Runs on a timer; `sweep()` is one pass (tests call it directly).
 */
export function createFlowSweeper(deps: { flows: FlowStore; outbox: Outbox; translator: Translator; clock: Clock; logger: Logger; intervalMs?: number }) {
  const intervalMs = deps.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sweep(): Promise<number> {
    const expired = await deps.flows.takeExpired(deps.clock.now());
    if (expired.length === 0) return 0;
    await deps.outbox.enqueue(expired.map((flow) => {
      const t = deps.translator.t(isLanguage(flow.language) ? flow.language : "vi");
      return {
        dedupeKey: `flow-timeout:${flow.key}:${flow.expiresAt.getTime()}`,
        channel: flow.channel,
        chatId: flow.chatId,
        memberId: flow.memberId,
        message: { text: t("chat:flowTimedOut", { what: t(`chat:flow_${flow.feature}`) }) },
      };
    }));
    return expired.length;
  }

  return {
    sweep,
    start() {
      timer = setInterval(() => {
        if (running) return;
        running = sweep().catch((error: unknown) => {
          deps.logger.error({ err: error }, "flow sweep failed");
          return 0;
        }).finally(() => {
          running = undefined;
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
