import type { InboundEvent, InboundMessage, OutboundMessage } from "../channels/types.ts";
import { parseAttendanceReply } from "../domain/attendance.ts";
import { commandBook, nearestCommand, readBareCommand, readSlashCommand, type SlashCommand } from "../domain/commandText.ts";
import { looksLikeInviteCode } from "../domain/inviteCode.ts";
import type { InboundHandler } from "../inbound/inboundProcessor.ts";
import { openConversation, type Conversation, type CoreDeps } from "./context.ts";
import { linkedOnly, type Feature, type FeatureInput } from "./feature.ts";
import { cancelFeature } from "./features/cancel.ts";
import { chatFeatures } from "./features/index.ts";
import { handleFallback } from "./features/fallback.ts";
import { handleMembership } from "./features/membership.ts";

/** Free text longer than this is no answer to anything chibo asked; flows set their own limits. */
const MAX_FREE_TEXT = 1000;

/** The channel-neutral core: every channel's events come here; features answer through the outbox. */
export function createCore(deps: CoreDeps): InboundHandler {
  const features = chatFeatures();
  const byName = new Map(features.map((f) => [f.name, f] as const));
  const byCommand = new Map(features.flatMap((f) => [...(f.commands ?? []), ...(f.aliases ?? [])].map((c) => [c, f] as const)));
  const book = commandBook([...byCommand.keys()]);
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

  /** Whether this person may use the command here: what /huongdan lists for them. */
  function usable(conversation: Conversation, command: string): boolean {
    const feature = byCommand.get(command);
    if (!feature || !(feature.offeredOn?.(conversation.message.channel) ?? true)) return false;
    return (feature.allowed ?? linkedOnly)(conversation.roles, conversation.member !== null);
  }

  async function onCommand(conversation: Conversation, typed: SlashCommand): Promise<void> {
    const { flow, t } = conversation;
    const feature = typed.command ? byCommand.get(typed.command) : undefined;
    if (!typed.command || !feature) {
      const near = nearestCommand(typed.typedKeys, book, (c) => usable(conversation, c));
      const nearFeature = near ? byCommand.get(near) : undefined;
      // An alias suggests the command it stands for, with that command's line from /huongdan.
      const suggestion = nearFeature?.commands?.includes(near!) ? near : nearFeature?.commands?.[0];
      return conversation.reply({
        text: suggestion
          ? t("chat:unknownCommandNear", { command: typed.typed, near: suggestion, what: t(`chat:command_${suggestion}`) })
          : t("chat:unknownCommand", { command: typed.typed }),
      });
    }
    if (flow && feature.opensFlow) {
      // One flow at a time, and nothing typed so far is thrown away: the open one goes on.
      await conversation.reply({ text: t("chat:flowAlreadyOpen", { what: flowLabel(conversation, flow.feature) }) });
      return byName.get(flow.feature)?.reprompt?.(deps, conversation, flow);
    }
    await run(feature, conversation, { command: typed.command, args: typed.args });
    if (flow && conversation.flow) await conversation.reply({ text: t("chat:flowStillOpen", { what: flowLabel(conversation, flow.feature) }) });
  }

  /**
   * A command written alone, without "/" ("lịch", "Lịch họp", "huong dan"), when it is one this
   * person may use here. While a flow is open its question is waiting, so words are its answer
   * ("lịch" may be the start of a feedback text), except "hủy", which ends it. Words that answer
   * the meeting question ("có", "ok") stay answers whatever the command list holds.
   */
  function bareCommand(conversation: Conversation, text: string): string | undefined {
    const command = readBareCommand(text, book);
    if (!command || !usable(conversation, command) || parseAttendanceReply(text).answer !== "unknown") return undefined;
    if (conversation.flow && byCommand.get(command) !== cancelFeature) return undefined;
    return command;
  }

  async function onPrivate(message: InboundMessage): Promise<void> {
    const conversation = await openConversation(deps, message);
    const { t } = conversation;
    if (conversation.expiredFlow) {
      await conversation.reply({ text: t("chat:flowExpiredNow", { what: flowLabel(conversation, conversation.expiredFlow.feature) }) });
    }
    // The text, not a platform's command marks: Telegram marks only "/l" of "/lịch" as a command.
    const text = message.contentKind === "text" ? message.text ?? "" : undefined;
    const slash = text === undefined ? null : readSlashCommand(text, book);
    if (slash) return onCommand(conversation, slash);
    if (message.contentKind === "button") return onButton(conversation, message.buttonPayload);
    const bare = text === undefined ? undefined : bareCommand(conversation, text);
    if (bare) return onCommand(conversation, { command: bare, typed: bare, typedKeys: [] });
    const flow = conversation.flow;
    const owner = flow ? byName.get(flow.feature) : undefined;
    if (flow && owner?.continueFlow) {
      const [continueFlow, input] = [owner.continueFlow, { contentKind: message.contentKind, text: message.text }];
      return answerTaking(conversation, () => continueFlow(deps, conversation, flow, input));
    }
    if (message.contentKind === "text" && !conversation.member && message.text && looksLikeInviteCode(message.text)) {
      return run(byName.get("start")!, conversation, { command: "start", args: message.text });
    }
    if (message.contentKind === "text" && conversation.member && message.text) {
      if ([...message.text].length > MAX_FREE_TEXT) {
        return conversation.reply({ text: t("chat:tooLong", { max: MAX_FREE_TEXT }), replyToMessageId: message.messageId });
      }
      for (const feature of features) {
        if (feature.readFreeText && (await feature.readFreeText(deps, conversation, message.text))) return;
      }
    }
    return handleFallback(conversation);
  }

  /**
   * Runs a flow's step on a text, holding its replies until it is done: when the flow did not
   * move on, the text was not taken (too long, say), and the first reply answers that very
   * message. Telegram quotes it; the web chat puts the text back in its box to be shortened.
   */
  async function answerTaking(conversation: Conversation, step: () => Promise<void>): Promise<void> {
    const { message } = conversation;
    const before = conversation.flow;
    const reply = conversation.reply;
    const held: OutboundMessage[] = [];
    conversation.reply = async (outbound) => void held.push(outbound);
    try {
      await step();
    } finally {
      conversation.reply = reply;
    }
    const refused = message.contentKind === "text" && before !== null && conversation.flow === before;
    for (const [i, outbound] of held.entries()) {
      await reply(i === 0 && refused && !outbound.replyToMessageId && message.messageId ? { ...outbound, replyToMessageId: message.messageId } : outbound);
    }
  }

  async function onButton(conversation: Conversation, payload: string | undefined): Promise<void> {
    const [prefix, ...rest] = (payload ?? "").split(":");
    const feature = byPrefix.get(prefix ?? "");
    if (!feature || (conversation.message.chat.kind === "group" && !feature.inGroups)) return handleFallback(conversation);
    return run(feature, conversation, { payload: rest.join(":") });
  }

  /** In a group only group-fit features answer, and only when spoken to: groups are for people. */
  async function onGroup(message: InboundMessage): Promise<void> {
    // Only "/" commands: words alone in a group are the members' own conversation.
    const command = message.contentKind === "text" ? readSlashCommand(message.text ?? "", book) : null;
    if (!command && message.contentKind !== "button" && !(message.contentKind === "text" && message.repliesToBot)) return;
    const conversation = await openConversation(deps, message);
    if (message.contentKind === "button") return onButton(conversation, message.buttonPayload);
    if (command) {
      const feature = command.command ? byCommand.get(command.command) : undefined;
      if (feature?.inGroups) await run(feature, conversation, { command: command.command, args: command.args });
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
