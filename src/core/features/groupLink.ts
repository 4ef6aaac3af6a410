import { ledCells, leadsCell } from "../authorization.ts";
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
    const where = { channel_externalChatId: { channel: message.channel, externalChatId: message.chat.id } };
    const existing = await deps.db.groupChat.findUnique({ where, include: { cell: true } });
    if (input.command === "huylienket") {
      if (!existing) {
        await conversation.reply({ text: t("groupLink:notLinked") });
        return;
      }
      if (!leadsCell(roles, existing.cellId)) {
        await conversation.reply({ text: t("groupLink:otherCell", { cell: existing.cell.name }) });
        return;
      }
      await deps.db.groupChat.delete({ where });
      await conversation.reply({ text: t("groupLink:unlinked", { cell: existing.cell.name }) });
      return;
    }
    const cellId = ledCells(roles)[0]!;
    if (existing && existing.cellId !== cellId && !leadsCell(roles, existing.cellId)) {
      await conversation.reply({ text: t("groupLink:otherCell", { cell: existing.cell.name }) });
      return;
    }
    const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: cellId } });
    const data = { cellId, title: message.chat.title ?? null, linkedById: member!.id, linkedAt: deps.clock.now(), reachable: true };
    await deps.db.groupChat.upsert({ where, create: { channel: message.channel, externalChatId: message.chat.id, ...data }, update: data });
    await conversation.reply({ text: t("groupLink:linked", { cell: cell.name }) });
  },
};
