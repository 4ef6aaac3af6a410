import { leadsCell, type ActingMember, type MemberRoles } from "../domain/authorization.ts";
import { DomainError, NotAllowedError } from "../domain/errors.ts";
import type { Db } from "../storage/database.ts";

/** A group chat on one channel, as the platform names it. */
export interface GroupChatRef {
  channel: string;
  externalChatId: string;
}

const byRef = (chat: GroupChatRef) => ({ channel_externalChatId: { channel: chat.channel, externalChatId: chat.externalChatId } });

/**
 * A cell's existing group chats, linked by its secretary: chibo posts the cell's reminders and
 * notices there too — never personal data or anyone's feedback.
 */
export function createGroupChatService(deps: { db: Db }) {
  const { db } = deps;

  /** The cell a group is linked to; null when it is not linked. */
  async function cellOf(chat: GroupChatRef): Promise<number | null> {
    const group = await db.groupChat.findUnique({ where: byRef(chat), select: { cellId: true } });
    return group?.cellId ?? null;
  }

  /**
   * Links the group to a cell the acting member leads (again, with a new title, when it was).
   * A group linked to another cell stays so unless they lead that one too.
   */
  async function link(input: { chat: GroupChatRef & { title?: string | null }; cellId: number; actor: ActingMember; now: Date }) {
    const { chat, cellId, actor } = input;
    if (!leadsCell(actor.roles, cellId)) throw new NotAllowedError();
    const existing = await db.groupChat.findUnique({ where: byRef(chat), include: { cell: true } });
    if (existing && existing.cellId !== cellId && !leadsCell(actor.roles, existing.cellId)) {
      throw new NotAllowedError("groupLink:otherCell", { cell: existing.cell.name });
    }
    const cell = await db.organization.findUniqueOrThrow({ where: { id: cellId } });
    const data = { cellId, title: chat.title ?? null, linkedById: actor.memberId, linkedAt: input.now, reachable: true };
    await db.groupChat.upsert({ where: byRef(chat), create: { channel: chat.channel, externalChatId: chat.externalChatId, ...data }, update: data });
    return { cell };
  }

  /** Unlinks the group, when it is linked to a cell the acting member leads. */
  async function unlink(input: { chat: GroupChatRef; roles: MemberRoles }) {
    const existing = await db.groupChat.findUnique({ where: byRef(input.chat), include: { cell: true } });
    if (!existing) throw new DomainError("groupLink:notLinked");
    if (!leadsCell(input.roles, existing.cellId)) throw new NotAllowedError("groupLink:otherCell", { cell: existing.cell.name });
    await db.groupChat.delete({ where: byRef(input.chat) });
    return { cell: existing.cell };
  }

  /** The bot was added to or removed from the group; false when chibo does not know the group. */
  async function setReachable(chat: GroupChatRef, reachable: boolean): Promise<boolean> {
    const updated = await db.groupChat.updateMany({ where: { channel: chat.channel, externalChatId: chat.externalChatId }, data: { reachable } });
    return updated.count > 0;
  }

  return { cellOf, link, unlink, setReachable };
}

export type GroupChatService = ReturnType<typeof createGroupChatService>;
