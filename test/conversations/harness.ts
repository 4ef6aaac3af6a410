import { callbackUpdate, commandUpdate, privateTextUpdate, startFakeTelegram, type FakeTelegram, type SentMessage } from "../fakes/fakeTelegram.ts";
import { startChiboWithTelegram } from "../helpers/chibo.ts";
import { runningClock } from "../helpers/clock.ts";
import { waitUntil } from "../helpers/wait.ts";

/**
 * A district with two communes and three cells, people with every role, chibo running against
 * the fake Bot API server, and a calendar fixed a few days before a meeting on the 7th.
 *
 * Telegram ids: 700 member of cell A (thôn Đông), 701 its secretary, 702 its committee member,
 * (no chat) an elderly member of A without a phone; 710 secretary of cell B (thôn Tây, same
 * commune), 711 member of B; 720 reviewer of commune X (Hà Kỳ), 730 reviewer of commune Y
 * (Quang Phục), 731 member of cell C under Y; 740 reviewer of the district.
 */
export const NOW = "2026-12-03T03:00:00Z"; // Thursday 3 Dec 2026, 10:00 in Vietnam; cells meet Monday the 7th.

export interface Person {
  id: number;
  memberId: number;
}

export async function startConversationWorld(options: { env?: Record<string, string>; flowSweepMs?: number } = {}) {
  const fake = await startFakeTelegram();
  const clock = runningClock(NOW);
  const app = await startChiboWithTelegram(fake, { TELEGRAM_RATE_PER_CHAT_PER_SECOND: "100", TELEGRAM_RATE_PER_GROUP_PER_MINUTE: "1000", ...options.env }, undefined, { clock, flowSweepMs: options.flowSweepMs });
  const { services, db } = app.chibo;
  const { organizations } = services;
  const district = await organizations.add({ level: "district", name: "Huyện ủy Tứ Kỳ", code: "tu-ky" });
  const communeX = await organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "tu-ky" });
  const communeY = await organizations.add({ level: "base", name: "Đảng ủy xã Quang Phục", code: "quang-phuc", parentCode: "tu-ky" });
  const rule = { dayOfMonth: 7, time: "19:30", place: "Nhà văn hóa thôn" };
  const cellA = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village", rule });
  const cellB = await organizations.add({ level: "cell", name: "Chi bộ thôn Tây", code: "tay", parentCode: "ha-ky", cellKind: "village", rule });
  const cellC = await organizations.add({ level: "cell", name: "Chi bộ thôn Nam", code: "nam", parentCode: "quang-phuc", cellKind: "village", rule });

  async function person(chatId: number | null, fullName: string, cellId: number, roles: { role: string; organizationId: number }[] = []): Promise<Person> {
    const searchName = fullName.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();
    const member = await db.member.create({ data: { fullName, searchName, status: "full", cellId } });
    for (const role of [{ role: "member", organizationId: cellId }, ...roles]) await db.role.create({ data: { memberId: member.id, ...role } });
    if (chatId !== null) await db.chatIdentity.create({ data: { memberId: member.id, channel: "telegram", externalUserId: String(chatId), chatId: String(chatId) } });
    return { id: chatId ?? 0, memberId: member.id };
  }

  const people = {
    member: await person(700, "Ngô Văn Bảy", cellA.id),
    secretary: await person(701, "Đỗ Thị Tám", cellA.id, [{ role: "secretary", organizationId: cellA.id }]),
    committeeMember: await person(702, "Phạm Văn Mười", cellA.id, [{ role: "committee_member", organizationId: cellA.id }]),
    elder: await person(null, "Lê Văn Chín", cellA.id),
    secretaryB: await person(710, "Trần Văn Tư", cellB.id, [{ role: "secretary", organizationId: cellB.id }]),
    memberB: await person(711, "Vũ Thị Năm", cellB.id),
    reviewerX: await person(720, "Hoàng Văn Sáu", cellB.id, [{ role: "reviewer", organizationId: communeX.id }]),
    reviewerY: await person(730, "Bùi Thị Bảy", cellC.id, [{ role: "reviewer", organizationId: communeY.id }]),
    memberC: await person(731, "Đinh Văn Tám", cellC.id),
    reviewerDistrict: await person(740, "Lý Văn Chín", cellC.id, [{ role: "reviewer", organizationId: district.id }]),
  };

  const sentTo = (chatId: number | string): SentMessage[] => fake.sentMessages().filter((m) => m.chatId === String(chatId));

  /** Pushes an update and waits until `count` new messages reached `chatId`; returns them. */
  async function exchange(update: object, chatId: number | string, count = 1): Promise<SentMessage[]> {
    const before = sentTo(chatId).length;
    fake.pushUpdate(update);
    await waitUntil(() => sentTo(chatId).length >= before + count);
    // Give a late extra message the chance to show, so tests see everything an update caused.
    await new Promise((r) => setTimeout(r, 30));
    return sentTo(chatId).slice(before);
  }

  /** What `from` sees after typing `text` (a command or words) in their private chat. */
  const say = async (from: Person, text: string, count = 1) => {
    const command = /^\/(\w+)(?:\s+([\s\S]*))?$/.exec(text);
    const update = command ? commandUpdate({ fromId: from.id, command: command[1]!, ...(command[2] ? { args: command[2] } : {}) }) : privateTextUpdate({ fromId: from.id, text });
    return exchange(update, from.id, count);
  };
  /** What `from` sees after pressing a button with this payload in their private chat. */
  const press = (from: Person, data: string, count = 1) => exchange(callbackUpdate({ fromId: from.id, data }), from.id, count);
  const texts = (messages: SentMessage[]) => messages.map((m) => m.text);

  return {
    fake,
    app,
    clock,
    db,
    services,
    orgs: { district, communeX, communeY, cellA, cellB, cellC },
    people,
    sentTo,
    exchange,
    say,
    press,
    texts,
    async stop() {
      await app.stop();
      await fake.close();
    },
  };
}

export type ConversationWorld = Awaited<ReturnType<typeof startConversationWorld>>;

/** The callback data of every button of a sent message, row by row. */
export function buttonsOf(message: SentMessage | undefined): string[][] {
  const markup = message?.replyMarkup as { inline_keyboard?: { callback_data: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).map((row) => row.map((b) => b.callback_data));
}

export function labelsOf(message: SentMessage | undefined): string[][] {
  const markup = message?.replyMarkup as { inline_keyboard?: { text: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).map((row) => row.map((b) => b.text));
}
