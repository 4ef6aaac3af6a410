import type { InboundEvent } from "../channels/types.ts";
import type { InboundHandler } from "../inbound/inboundProcessor.ts";
import { openConversation, type CoreDeps } from "./context.ts";
import { handleFallback } from "./features/fallback.ts";
import { handleMembership } from "./features/membership.ts";
import { handleStart, isStartCommand } from "./features/start.ts";

/** The channel-neutral core: every channel's events come here; features answer through the outbox. */
export function createCore(deps: CoreDeps): InboundHandler {
  return {
    async handle(event: InboundEvent) {
      if (event.type === "ignored") return;
      if (event.type === "membership") return handleMembership(deps, event.change);
      const { message } = event;
      // Group chats are for reminders and notices; conversations there come with the chat flows.
      if (message.chat.kind === "group") return;
      const conversation = await openConversation(deps, message);
      if (isStartCommand(message.text)) return handleStart(deps, conversation);
      return handleFallback(conversation);
    },
  };
}
