import { pino } from "pino";
import { expect } from "vitest";
import { createTranslator } from "../../src/i18n.ts";
import { allJobs } from "../../src/scheduling/index.ts";
import { createScheduler } from "../../src/scheduling/scheduler.ts";
import { runningClock } from "../helpers/clock.ts";
import { waitUntil } from "../helpers/wait.ts";
import { startDriver, type Channel, type PhotoToSend, type SentMessage } from "./drivers.ts";

export { ChoiceNotOffered, CHANNELS, forEachChannel, itOn, type Channel, type SentMessage } from "./drivers.ts";

/**
 * A province with two communes and three cells, people with every role, chibo running against
 * one chat platform's fake, and a calendar fixed a few days before a meeting on the 7th.
 *
 * People (their number is their user and private chat id on every channel): 700 member of cell A
 * (thôn Đông), 701 its secretary, 702 its committee member, (no chat) an elderly member of A
 * without a phone; 710 secretary of cell B (thôn Tây, same commune), 711 member of B; 720 reviewer
 * of commune X (Hà Kỳ), 730 reviewer of commune Y (Quang Phục), 731 member of cell C under Y;
 * 740 reviewer of the province.
 */
export const NOW = "2026-12-03T03:00:00Z"; // Thursday 3 Dec 2026, 10:00 in Vietnam; cells meet Monday the 7th.

export interface Person {
  /** The person's private chat on the world's channel ("" without one). */
  id: string;
  n: number;
  memberId: number;
}

export async function startConversationWorld(channel: Channel, options: { env?: Record<string, string>; flowSweepMs?: number } = {}) {
  const clock = runningClock(NOW);
  const driver = await startDriver(channel, { clock, ...options });
  const app = driver.app;
  const { services, db } = app.chibo;
  const { organizations } = services;
  const province = await organizations.add({ level: "province", name: "Thành ủy Hải Phòng", code: "hai-phong" });
  const communeX = await organizations.add({ level: "base", name: "Đảng ủy xã Hà Kỳ", code: "ha-ky", parentCode: "hai-phong" });
  const communeY = await organizations.add({ level: "base", name: "Đảng ủy xã Quang Phục", code: "quang-phuc", parentCode: "hai-phong" });
  const rule = { dayOfMonth: 7, time: "19:30", place: "Nhà văn hóa thôn" };
  const cellA = await organizations.add({ level: "cell", name: "Chi bộ thôn Đông", code: "dong", parentCode: "ha-ky", cellKind: "village", rule });
  const cellB = await organizations.add({ level: "cell", name: "Chi bộ thôn Tây", code: "tay", parentCode: "ha-ky", cellKind: "village", rule });
  const cellC = await organizations.add({ level: "cell", name: "Chi bộ thôn Nam", code: "nam", parentCode: "quang-phuc", cellKind: "village", rule });

  async function person(n: number | null, fullName: string, cellId: number, roles: { role: string; organizationId: number }[] = []): Promise<Person> {
    const searchName = fullName.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();
    const member = await db.member.create({ data: { fullName, searchName, status: "full", cellId } });
    for (const role of [{ role: "member", organizationId: cellId }, ...roles]) await db.role.create({ data: { memberId: member.id, ...role } });
    if (n !== null) await driver.link(member.id, n);
    return { id: n === null ? "" : driver.chatOf(n), n: n ?? 0, memberId: member.id };
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
    reviewerProvince: await person(740, "Lý Văn Chín", cellC.id, [{ role: "reviewer", organizationId: province.id }]),
  };

  const chatOf = (to: Person | string | number) => (typeof to === "object" ? to.id : String(to));
  /** Everything chibo sent to this chat, as the core wrote it. */
  const sentTo = (to: Person | string | number): Promise<SentMessage[]> => driver.sentTo(chatOf(to));
  const pendingFor = (chatId: string) => db.outboxMessage.count({ where: { chatId, status: { in: ["queued", "sending"] } } });

  /** Does `act` and waits until `count` new messages reached the chat and nothing more is on its way there; returns them. */
  async function exchange(to: Person | string | number, act: () => Promise<void>, count = 1): Promise<SentMessage[]> {
    const chatId = chatOf(to);
    const before = (await sentTo(chatId)).length;
    await act();
    await waitUntil(async () => (await sentTo(chatId)).length >= before + count && (await pendingFor(chatId)) === 0);
    return (await sentTo(chatId)).slice(before);
  }

  /** What `from` sees after typing `text` (a command or words) in their private chat. */
  const say = (from: Person, text: string, count = 1) => exchange(from, () => driver.sendText(from.n, text), count);
  /** What `from` sees after pressing the button with this payload in their private chat. */
  const press = (from: Person, payload: string, count = 1) => exchange(from, () => driver.press(from.n, payload), count);
  const sendSticker = (from: Person, count = 1) => exchange(from, () => driver.sendSticker(from.n), count);
  const sendPhoto = (from: Person, photo: PhotoToSend, count = 1) => exchange(from, () => driver.sendPhoto(from.n, photo), count);
  const texts = (messages: SentMessage[]) => messages.map((m) => m.text);

  /** Runs the time-based jobs due at the clock's time, as the running scheduler's next pass would. */
  function runScheduler() {
    const { outbox, feedback } = app.chibo;
    const jobs = allJobs({ db, services, feedback, outbox, translator: createTranslator({ defaultLanguage: "vi" }), defaultLanguage: "vi" });
    return createScheduler({ db, outbox, jobs, clock, logger: pino({ level: "silent" }) }).runDue();
  }

  const groups = () => {
    if (!driver.groups) throw new Error(`the ${channel} channel has no group chats`);
    return driver.groups;
  };
  /** Test group `g`: its chat id on this channel, for sentTo and the GroupChat row. */
  const groupChat = (g: number) => groups().chatOf(g);
  /** Links test group `g` to a cell, as /lienket would have. */
  const linkGroup = (g: number, cellId: number, title?: string) => db.groupChat.create({ data: { channel, externalChatId: groupChat(g), cellId, ...(title ? { title } : {}) } });
  /** What the group sees after `from` writes there. */
  const sayInGroup = (g: number, from: Person, text: string, options: { replyToBot?: boolean; count?: number } = {}) =>
    exchange(groupChat(g), () => groups().sendText(g, from.n, text, options), options.count ?? 1);
  /** What the group sees after `from` presses a button of chibo's latest message there. */
  const pressInGroup = (g: number, from: Person, payload: string, count = 1) => exchange(groupChat(g), () => groups().press(g, from.n, payload), count);

  /**
   * Presses a button `from` was never shown: a forged callback on Telegram, a query typed by hand
   * on the OA. On the Zalo bot a reply only picks among the choices shown last in that chat, so
   * the payload typed there must be plain words: it gets the answer any words get. Returns the
   * answer to the press, or undefined on the Zalo bot, where nothing can be pressed.
   */
  async function pressUnshown(from: Person, payload: string): Promise<SentMessage | undefined> {
    if (channel !== "zalo_bot") return (await press(from, payload))[0];
    const [words] = await say(from, "abc xyz");
    const [typed] = await say(from, payload);
    expect(typed!.text).toBe(words!.text);
    return undefined;
  }

  return {
    channel,
    driver,
    /** The fake Bot API, on the Telegram channel only. */
    get telegram() {
      if (!driver.telegram) throw new Error(`no Telegram on the ${channel} channel`);
      return driver.telegram;
    },
    app,
    clock,
    db,
    services,
    orgs: { province, communeX, communeY, cellA, cellB, cellC },
    people,
    sentTo,
    exchange,
    say,
    press,
    pressUnshown,
    runScheduler,
    groupChat,
    linkGroup,
    sayInGroup,
    pressInGroup,
    sendSticker,
    sendPhoto,
    texts,
    stop: () => driver.stop(),
  };
}

export type ConversationWorld = Awaited<ReturnType<typeof startConversationWorld>>;

/** The payload of every button of a sent message, row by row. */
export function buttonsOf(message: SentMessage | undefined): string[][] {
  return (message?.buttons ?? []).map((row) => row.map((b) => b.payload));
}

export function labelsOf(message: SentMessage | undefined): string[][] {
  return (message?.buttons ?? []).map((row) => row.map((b) => b.label));
}
