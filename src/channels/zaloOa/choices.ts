import type { Db } from "../../storage/database.ts";
import type { Button } from "../types.ts";
import { numbersChoices } from "./render.ts";

/** Finds the button a number picks; undefined when the number picks nothing. */
export type NumberedChoice = (chatId: string, number: number) => Promise<string | undefined>;

/**
 * A reply "7" picks choice 7 of the last message sent to this chat, if that message numbered its
 * choices (it had more than fit as buttons). A later message without choices ends them, so a
 * number typed as an answer to a later question is that answer; a file sent after its message
 * (a digest's workbook) does not. The outbox row is the record of what the person saw, so nothing
 * else needs keeping.
 */
export function numberedChoiceFromOutbox(db: Db): NumberedChoice {
  return async (chatId, number) => {
    const last = await db.outboxMessage.findFirst({
      where: { channel: "zalo_oa", chatId, status: "sent", OR: [{ buttons: { not: null } }, { attachment: null }] },
      orderBy: [{ sentAt: "desc" }, { id: "desc" }],
      select: { buttons: true },
    });
    if (!last?.buttons) return undefined;
    const buttons = JSON.parse(last.buttons) as Button[][];
    if (!numbersChoices(buttons)) return undefined;
    return buttons.flat()[number - 1]?.payload;
  };
}
