import { isDomainError } from "../../domain/errors.ts";
import { ledCells } from "../authorization.ts";
import { withGroupChats, type Feature } from "../feature.ts";

/**
 * A cell's secretary links the cell's existing group chat from inside it (/lienket) or unlinks
 * it (/huylienket). chibo then posts the cell's reminders and notices there too — never
 * personal data or anyone's feedback.
 */
export const groupLinkFeature: Feature = {
  name: "groupLink",
  commands: ["lienket", "huylienket"],
  offeredOn: withGroupChats,
  inGroups: true,
  allowed: (roles, linked) => linked && ledCells(roles).length > 0,
  async handle(deps, conversation, input) {
    const { t, message, roles, member } = conversation;
    if (message.chat.kind !== "group") {
      await conversation.reply({ text: t("groupLink:onlyInGroup") });
      return;
    }
    const chat = { channel: message.channel, externalChatId: message.chat.id };
    try {
      if (input.command === "huylienket") {
        const { cell } = await deps.services.groupChats.unlink({ chat, roles });
        await conversation.reply({ text: t("groupLink:unlinked", { cell: cell.name }) });
        return;
      }
      const actor = { memberId: member!.id, roles };
      const { cell } = await deps.services.groupChats.link({ chat: { ...chat, title: message.chat.title ?? null }, cellId: ledCells(roles)[0]!, actor, now: deps.clock.now() });
      await conversation.reply({ text: t("groupLink:linked", { cell: cell.name }) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};
