import type { InboundEvent } from "../channels/types.ts";
import type { InboundHandler } from "../inbound/inboundProcessor.ts";
import { openConversation, type Conversation, type CoreDeps } from "./context.ts";
import { linkedOnly, type Feature, type FeatureInput } from "./feature.ts";
import { handleFallback } from "./features/fallback.ts";
import { helpFeature } from "./features/help.ts";
import { languageFeature } from "./features/language.ts";
import { handleMembership } from "./features/membership.ts";
import { scheduleFeature } from "./features/schedule.ts";
import { startFeature } from "./features/start.ts";

const COMMAND = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** The channel-neutral core: every channel's events come here; features answer through the outbox. */
export function createCore(deps: CoreDeps): InboundHandler {
  const features: Feature[] = [startFeature, scheduleFeature, languageFeature];
  features.push(helpFeature(() => features));
  const byCommand = new Map(features.flatMap((f) => (f.commands ?? []).map((c) => [c, f] as const)));
  const byPrefix = new Map(features.filter((f) => f.buttonPrefix).map((f) => [f.buttonPrefix!, f] as const));

  /** Authorization is checked here, once, for every command and button of every feature. */
  async function run(feature: Feature, conversation: Conversation, input: FeatureInput): Promise<void> {
    if (!(feature.allowed ?? linkedOnly)(conversation.roles, conversation.member !== null)) {
      await conversation.reply({ text: conversation.t(conversation.member ? "chat:notAllowed" : "chat:needInvite") });
      return;
    }
    await feature.handle(deps, conversation, input);
  }

  return {
    async handle(event: InboundEvent) {
      if (event.type === "ignored") return;
      if (event.type === "membership") return handleMembership(deps, event.change);
      const { message } = event;
      // Group chats are for reminders and notices; conversations there come with the chat flows.
      if (message.chat.kind === "group") return;
      const conversation = await openConversation(deps, message);
      const command = message.contentKind === "text" ? COMMAND.exec(message.text?.trim() ?? "") : null;
      if (command) {
        const name = command[1]!.toLowerCase();
        const feature = byCommand.get(name);
        if (!feature) return conversation.reply({ text: conversation.t("chat:unknownCommand", { command: name }) });
        return run(feature, conversation, { command: name, args: command[2] });
      }
      if (message.contentKind === "button" && message.buttonPayload) {
        const [prefix, ...rest] = message.buttonPayload.split(":");
        const feature = byPrefix.get(prefix ?? "");
        if (feature) return run(feature, conversation, { payload: rest.join(":") });
      }
      return handleFallback(conversation);
    },
  };
}
