import type { MembershipChange } from "../../channels/types.ts";
import type { CoreDeps } from "../context.ts";

/** A person blocked or unblocked the bot; the bot was added to or removed from a group. */
export async function handleMembership(deps: CoreDeps, change: MembershipChange): Promise<void> {
  const reachable = change.status === "unblocked" || change.status === "added";
  if (change.chat.kind === "private") {
    await deps.db.chatIdentity.updateMany({ where: { channel: change.channel, externalUserId: change.userId }, data: { reachable } });
  } else {
    await deps.db.groupChat.updateMany({ where: { channel: change.channel, externalChatId: change.chat.id }, data: { reachable } });
  }
}
