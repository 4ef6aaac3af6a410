import type { MembershipChange } from "../../channels/types.ts";
import type { CoreDeps } from "../context.ts";

/** A person blocked or unblocked the bot; the bot was added to or removed from a group. */
export async function handleMembership(deps: CoreDeps, change: MembershipChange): Promise<void> {
  const reachable = change.status === "unblocked" || change.status === "added";
  if (change.chat.kind === "private") {
    const known = await deps.services.members.setChatReachable({ channel: change.channel, externalUserId: change.userId }, reachable);
    if (change.introduce && !known) {
      // A new follower chibo does not know: how to link, so they are not left with silence.
      await deps.outbox.enqueue([{
        dedupeKey: `hello:${change.channel}:${change.userId}:${change.updateId}`,
        channel: change.channel,
        chatId: change.chat.id,
        message: { text: deps.translator.t(deps.defaultLanguage)("chat:needInvite") },
      }]);
    }
    return;
  }
  const known = await deps.services.groupChats.setReachable({ channel: change.channel, externalChatId: change.chat.id }, reachable);
  if (change.status === "added" && !known) {
    // A new group: say how the secretary links it, once per addition.
    await deps.outbox.enqueue([{
      dedupeKey: `group-hello:${change.channel}:${change.chat.id}:${change.updateId}`,
      channel: change.channel,
      chatId: change.chat.id,
      isGroup: true,
      message: { text: deps.translator.t(deps.defaultLanguage)("groupLink:hello") },
    }]);
  }
}
