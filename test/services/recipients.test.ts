import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatsOfMembers, chatsWhere, groupsOfCells, membersUnder, reachOfCells } from "../../src/services/recipients.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";
import { buildCommune, insertMembers, memberName } from "../scale/commune.ts";

/** A commune of 3,000 members in ten cells: past the ~999 values one SQLite statement binds. */
let database: TestDatabase;
let ids: number[];
let cellIds: number[];
let communePath: string;
beforeEach(async () => {
  database = await freshDatabase();
  const { commune, cells } = await buildCommune(buildServices(database.prisma), 10);
  communePath = commune.path;
  cellIds = cells.map((c) => c.id);
  // Every member but each hundredth has a Telegram chat.
  ids = insertMembers(database.file, Array.from({ length: 3000 }, (_, i) => ({ cellId: cells[i % 10]!.id, fullName: memberName(i + 1), ...(i % 100 === 99 ? {} : { telegramChat: String(10_000 + i) }) })));
  // Members 1 and 2,500 also linked the Zalo bot and wrote from it last: it is their chat now.
  await database.prisma.chatIdentity.createMany({
    data: [ids[0]!, ids[2499]!].map((memberId) => ({ memberId, channel: "zalo_bot", externalUserId: `z${memberId}`, chatId: `z${memberId}`, lastSeenAt: new Date("2026-12-01T00:00:00Z") })),
  });
  await database.prisma.groupChat.createMany({ data: cellIds.map((cellId) => ({ channel: "telegram", externalChatId: String(-cellId), cellId })) });
});
afterEach(() => database.cleanup());

const expectedChats = () =>
  ids.flatMap((memberId, i) => {
    if (i === 0 || i === 2499) return [{ memberId, channel: "zalo_bot", chatId: `z${memberId}` }];
    return i % 100 === 99 ? [] : [{ memberId, channel: "telegram", chatId: String(10_000 + i) }];
  });
const sortByMember = <T extends { memberId: number }>(chats: T[]) => [...chats].sort((a, b) => a.memberId - b.memberId);
const pick = (chats: { memberId: number; channel: string; chatId: string }[]) => sortByMember(chats.map(({ memberId, channel, chatId }) => ({ memberId, channel, chatId })));

describe("recipients of a commune of 3,000", () => {
  it("chatsOfMembers finds each member's chat by 3,000 ids and by a filter, the chat they used last", async () => {
    const db = database.prisma;
    expect(pick(await chatsOfMembers(db, ids))).toEqual(expectedChats());
    expect(pick(await chatsOfMembers(db, { cell: { path: { startsWith: communePath } } }))).toEqual(expectedChats());
    const [fallback] = await chatsOfMembers(db, [ids[0]!], { exceptChannel: "zalo_bot" });
    expect(fallback).toMatchObject({ memberId: ids[0], channel: "telegram", fullName: memberName(1), language: "vi" });
  });

  it("chatsWhere reads the subtree but the sender in one statement, as chatsOfMembers would", async () => {
    const chats = await chatsWhere(database.prisma, membersUnder(communePath, ids[1]!));
    expect(pick(chats)).toEqual(expectedChats().filter((c) => c.memberId !== ids[1]));
    expect(chats.find((c) => c.memberId === ids[2]!)).toMatchObject({ fullName: memberName(3), language: "vi" });
  });

  it("reachOfCells and groupsOfCells take thousands of cells", async () => {
    const db = database.prisma;
    const missing = Array.from({ length: 2000 }, (_, i) => 100_000 + i);
    const reach = await reachOfCells(db, [...cellIds, ...missing]);
    expect(reach.members).toHaveLength(3000);
    expect(pick(reach.chats)).toEqual(expectedChats());
    expect(reach.groups.map((g) => g.cellId)).toEqual(cellIds);
    expect((await groupsOfCells(db, [...missing, ...cellIds])).map((g) => g.cellId)).toEqual(cellIds);
  });
});
