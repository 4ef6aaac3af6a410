import type { InboundEvent, InboundMessage } from "../channels/types.ts";
import { looksLikeInviteCode } from "../domain/inviteCode.ts";
import type { InboundHandler } from "../inbound/inboundProcessor.ts";
import { openConversation, type Conversation, type CoreDeps } from "./context.ts";
import { linkedOnly, type Feature, type FeatureInput } from "./feature.ts";
import { chatFeatures } from "./features/index.ts";
import { handleFallback } from "./features/fallback.ts";
import { handleMembership } from "./features/membership.ts";

const COMMAND = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;
const CANCEL = new Set(["huy", "cancel"]);
/** Free text longer than this is no answer to anything chibo asked; flows set their own limits. */
const MAX_FREE_TEXT = 1000;

/** The channel-neutral core: every channel's events come here; features answer through the outbox. */
export function createCore(deps: CoreDeps): InboundHandler {
  const features = chatFeatures();
  const byName = new Map(features.map((f) => [f.name, f] as const));
  const byCommand = new Map(features.flatMap((f) => (f.commands ?? []).map((c) => [c, f] as const)));
  const byPrefix = new Map(features.filter((f) => f.buttonPrefix).map((f) => [f.buttonPrefix!, f] as const));
  const flowLabel = (c: Conversation, feature: string) => c.t(`chat:flow_${feature}`);

  /** Authorization is checked here, once, for every command and button of every feature. */
  async function run(feature: Feature, conversation: Conversation, input: FeatureInput): Promise<void> {
    if (!(feature.allowed ?? linkedOnly)(conversation.roles, conversation.member !== null)) {
      await conversation.reply({ text: conversation.t(conversation.member ? "chat:notAllowed" : "chat:needInvite") });
      return;
    }
    await feature.handle(deps, conversation, input);
  }

  async function onCommand(conversation: Conversation, name: string, args: string | undefined): Promise<void> {
    const { flow, t } = conversation;
    if (CANCEL.has(name)) {
      if (!flow) return conversation.reply({ text: t("chat:nothingToCancel") });
      await conversation.endFlow();
      return conversation.reply({ text: t("chat:flowCancelled", { what: flowLabel(conversation, flow.feature) }) });
    }
    const feature = byCommand.get(name);
    if (!feature) return conversation.reply({ text: t("chat:unknownCommand", { command: name }) });
    if (flow && feature.opensFlow) {
      // One flow at a time, and nothing typed so far is thrown away: the open one goes on.
      await conversation.reply({ text: t("chat:flowAlreadyOpen", { what: flowLabel(conversation, flow.feature) }) });
      return byName.get(flow.feature)?.reprompt?.(deps, conversation, flow);
    }
    await run(feature, conversation, { command: name, args });
    if (flow && conversation.flow) await conversation.reply({ text: t("chat:flowStillOpen", { what: flowLabel(conversation, flow.feature) }) });
  }

  async function onPrivate(message: InboundMessage): Promise<void> {
    const conversation = await openConversation(deps, message);
    const { t } = conversation;
    if (conversation.expiredFlow) {
      await conversation.reply({ text: t("chat:flowExpiredNow", { what: flowLabel(conversation, conversation.expiredFlow.feature) }) });
    }
    const command = message.contentKind === "text" ? COMMAND.exec(message.text?.trim() ?? "") : null;
    if (command) return onCommand(conversation, command[1]!.toLowerCase(), command[2]);
    if (message.contentKind === "button") return onButton(conversation, message.buttonPayload);
    const flow = conversation.flow;
    const owner = flow ? byName.get(flow.feature) : undefined;
    if (flow && owner?.continueFlow) {
      return owner.continueFlow(deps, conversation, flow, { contentKind: message.contentKind, text: message.text });
    }
    if (message.contentKind === "text" && !conversation.member && message.text && looksLikeInviteCode(message.text)) {
      return run(byName.get("start")!, conversation, { command: "start", args: message.text });
    }
    if (message.contentKind === "text" && conversation.member && message.text) {
      if ([...message.text].length > MAX_FREE_TEXT) return conversation.reply({ text: t("chat:tooLong", { max: MAX_FREE_TEXT }) });
      for (const feature of features) {
        if (feature.readFreeText && (await feature.readFreeText(deps, conversation, message.text))) return;
      }
    }
    return handleFallback(conversation);
  }

  async function onButton(conversation: Conversation, payload: string | undefined): Promise<void> {
    const [prefix, ...rest] = (payload ?? "").split(":");
    const feature = byPrefix.get(prefix ?? "");
    if (!feature || (conversation.message.chat.kind === "group" && !feature.inGroups)) return handleFallback(conversation);
    return run(feature, conversation, { payload: rest.join(":") });
  }

  /** In a group only group-fit features answer, and only when spoken to: groups are for people. */
  async function onGroup(message: InboundMessage): Promise<void> {
    const command = message.contentKind === "text" ? COMMAND.exec(message.text?.trim() ?? "") : null;
    if (!command && message.contentKind !== "button" && !(message.contentKind === "text" && message.repliesToBot)) return;
    const conversation = await openConversation(deps, message);
    if (message.contentKind === "button") return onButton(conversation, message.buttonPayload);
    if (command) {
      const feature = byCommand.get(command[1]!.toLowerCase());
      if (feature?.inGroups) await run(feature, conversation, { command: command[1]!.toLowerCase(), args: command[2] });
      return;
    }
    if (!conversation.member || !message.text) return;
    for (const feature of features) {
      if (feature.inGroups && feature.readFreeText && (await feature.readFreeText(deps, conversation, message.text))) return;
    }
  }

  return {
    async handle(event: InboundEvent) {
      if (event.type === "ignored") return;
      if (event.type === "membership") return handleMembership(deps, event.change);
      return event.message.chat.kind === "group" ? onGroup(event.message) : onPrivate(event.message);
    },
  };
}
