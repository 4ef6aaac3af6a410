import { formatDisplayDateTime } from "../domain/localTime.ts";
import type { DbClient } from "../storage/database.ts";
import type { ErasureRequest } from "./memberData.ts";
import { wordsOf, type Messaging } from "./messaging.ts";

/**
 * Tells the cell's leaders of a member's request to be erased: one message each, in their
 * language, queued in the request's own transaction (memberData.requestErasure hands it over).
 * The keys are those of the chat's /dulieu, so a request is never announced twice whichever way
 * it was made.
 */
export function tellLeadersOfErasure(messaging: Messaging) {
  return async (tx: DbClient, request: ErasureRequest): Promise<void> => {
    const { member, cell, requestedAt } = request;
    await messaging.outbox.enqueue(request.recipients.map((chat) => {
      const t = wordsOf(messaging, chat.language);
      const text = t("myData:eraseRequestForLeader", { name: member.fullName, id: member.id, cell: cell.name, at: formatDisplayDateTime(requestedAt) });
      return {
        dedupeKey: `erase-request:${member.id}:${requestedAt.getTime()}:${chat.channel}:${chat.chatId}`,
        channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
        // It names the member who asked to be forgotten: its stored copy goes once it is sent.
        message: { text, forgetText: true },
      };
    }), undefined, tx);
  };
}
