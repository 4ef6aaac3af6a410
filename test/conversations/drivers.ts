import fs from "node:fs";
import { describe, it } from "vitest";
import type { Button } from "../../src/channels/types.ts";
import type { Clock } from "../../src/services/clock.ts";
import { callbackUpdate, commandUpdate, groupTextUpdate, myChatMemberUpdate, privateTextUpdate, startFakeTelegram, type FakeTelegram } from "../fakes/fakeTelegram.ts";
import { groupText, image, privateText, sticker, startFakeZaloBot, type FakeZaloBot } from "../fakes/fakeZaloBot.ts";
import { followEvent, signedEvent, startFakeZaloOa, userSendImage, userSendSticker, userSendText, type FakeZaloOa } from "../fakes/fakeZaloOa.ts";
import { createChoiceStore } from "../../src/channels/zaloBot/choiceStore.ts";
import { startChiboWithChannel, ZALO_OA_SECRET_KEY, type StartedChibo } from "../helpers/chibo.ts";

// Each exchange is a reply to one chat right after the last; the per-chat limits (one message a
// second) would make every exchange wait, so each channel's world lifts them by its settings.
export type Channel = "telegram" | "zalo_bot" | "zalo_oa";
export const CHANNELS: readonly Channel[] = ["telegram", "zalo_bot", "zalo_oa"];

/** A message chibo sent, as the core wrote it, whatever the platform made of it. */
export interface SentMessage {
  chatId: string;
  text: string;
  buttons: Button[][];
  /** A file that went with the text (Telegram sends it as a document, the text its caption). */
  file?: { fileName: string; bytes: Buffer };
  /** What a Zalo channel says in place of a file it cannot send. */
  note?: string;
  /**
   * A photo that went with the text: its bytes as the platform got them (uploaded, or fetched from
   * the link chibo gave), and the link when it went by one.
   */
  photo?: { bytes: Buffer; url?: string };
}

/** A photo a person sends: the bytes the platform holds (served by the fake), or only a reference the platform does not resolve. */
export interface PhotoToSend {
  ref?: string;
  caption?: string;
  bytes?: Buffer;
}

/** A press of a button that is not among the choices a numbered-choice channel can answer now. */
export class ChoiceNotOffered extends Error {}

/**
 * A cell's group chat with chibo in it, on the channels that have groups (Telegram, the Zalo bot).
 * Groups are numbered in tests (`g`); each platform makes its own chat id of the number.
 */
export interface GroupDriver {
  chatOf(g: number): string;
  /** Person `n` adds chibo to the group; undefined where the platform tells the bot nothing of it (Zalo). */
  addBot?(g: number, n: number): Promise<void>;
  /** Person `n` writes in the group; `replyToBot` makes it a reply to chibo's message (Telegram only). */
  sendText(g: number, n: number, text: string, options?: { replyToBot?: boolean }): Promise<void>;
  /** Person `n` presses the button with this payload on chibo's latest message in the group. */
  press(g: number, n: number, payload: string): Promise<void>;
  /** Whether a text can be a reply to chibo's message, so that words answer chibo in a group. */
  readonly replies: boolean;
}

/** Talks to chibo on one platform as the people of a test would, through that platform's fake. */
export interface ChannelDriver {
  readonly channel: Channel;
  readonly app: StartedChibo;
  /** The platform's fake, for what only that platform has. */
  readonly telegram?: FakeTelegram;
  /** The id of person `n`'s private chat (also their user id). */
  chatOf(n: number): string;
  /** Gives member `memberId` a ChatIdentity for person `n` on this channel. */
  link(memberId: number, n: number): Promise<void>;
  sendText(n: number, text: string): Promise<void>;
  sendPhoto(n: number, photo: PhotoToSend): Promise<void>;
  sendSticker(n: number): Promise<void>;
  /** Presses the button with this payload in person `n`'s private chat, the way the platform allows. */
  press(n: number, payload: string): Promise<void>;
  /** Group chats; undefined on the Zalo OA, which has none. */
  readonly groups?: GroupDriver;
  /** Person `n` blocks chibo: sending to their private chat is refused from now on. */
  blockChat?(n: number): void;
  /** Person `n` follows (or unfollows) the Zalo OA. */
  follow?(n: number, options?: { unfollow?: boolean }): Promise<void>;
  sentTo(chatId: string): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

export interface DriverOptions {
  env?: Record<string, string>;
  clock: Clock;
  flowSweepMs?: number;
}

export function startDriver(channel: Channel, options: DriverOptions): Promise<ChannelDriver> {
  if (channel === "telegram") return startTelegramDriver(options);
  if (channel === "zalo_bot") return startZaloBotDriver(options);
  return startZaloOaDriver(options);
}

/** Runs the suite once per channel. */
export function forEachChannel(name: string, suite: (channel: Channel) => void): void {
  describe.each(CHANNELS)(`${name} (%s)`, suite);
}

/** An `it` for the channels that have what the test needs; the others do not run it. */
export function itOn(channel: Channel, only: readonly Channel[]): typeof it | typeof it.skip {
  return only.includes(channel) ? it : it.skip;
}

const linkIdentity = (app: StartedChibo, channel: Channel) => async (memberId: number, n: number) => {
  await app.chibo.db.chatIdentity.create({ data: { memberId, channel, externalUserId: String(n), chatId: String(n) } });
};

let sentPhotoCount = 0;

/**
 * The bytes behind a photo link chibo gave a platform: fetched from chibo itself (its public
 * address in tests is a name nobody can reach), once per link.
 */
function photoFetcher(app: StartedChibo) {
  const fetched = new Map<string, Buffer>();
  return async (link: string): Promise<Buffer> => {
    const known = fetched.get(link);
    if (known) return known;
    const url = new URL(link);
    const response = await fetch(`http://127.0.0.1:${app.chibo.port}${url.pathname}${url.search}`);
    if (response.status !== 200) throw new Error(`the photo link ${url.pathname} answered ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    fetched.set(link, bytes);
    return bytes;
  };
}

async function startTelegramDriver(options: DriverOptions): Promise<ChannelDriver> {
  const fake = await startFakeTelegram();
  const app = await startChiboWithChannel({ channel: "telegram", fake }, { TELEGRAM_RATE_PER_CHAT_PER_SECOND: "100", TELEGRAM_RATE_PER_GROUP_PER_MINUTE: "1000", ...options.env }, { clock: options.clock, flowSweepMs: options.flowSweepMs });
  const message = (n: number, content: Record<string, unknown>) => {
    const update = privateTextUpdate({ fromId: n, text: "x" }) as unknown as { message: Record<string, unknown> };
    delete update.message.text;
    delete update.message.entities;
    Object.assign(update.message, content);
    return update;
  };
  return {
    channel: "telegram",
    app,
    telegram: fake,
    chatOf: (n) => String(n),
    link: linkIdentity(app, "telegram"),
    async sendText(n, text) {
      const command = /^\/(\w+)(?:\s+([\s\S]*))?$/.exec(text);
      fake.pushUpdate(command ? commandUpdate({ fromId: n, command: command[1]!, ...(command[2] ? { args: command[2] } : {}) }) : privateTextUpdate({ fromId: n, text }));
    },
    async sendPhoto(n, photo) {
      const fileId = photo.ref ?? `photo-of-${n}-${++sentPhotoCount}`;
      if (photo.bytes) fake.addFile(fileId, photo.bytes);
      fake.pushUpdate(message(n, { photo: [{ file_id: "small", file_unique_id: "s", width: 90, height: 90 }, { file_id: fileId, file_unique_id: "l", width: 1280, height: 960 }], ...(photo.caption ? { caption: photo.caption } : {}) }));
    },
    async sendSticker(n) {
      fake.pushUpdate(message(n, { sticker: { file_id: "s1", file_unique_id: "u1", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } }));
    },
    async press(n, payload) {
      fake.pushUpdate(callbackUpdate({ fromId: n, data: payload }));
    },
    blockChat: (n) => fake.blockChat(n),
    groups: {
      // Telegram group ids are negative.
      chatOf: (g) => String(-g),
      async addBot(g, n) {
        fake.pushUpdate(myChatMemberUpdate({ fromId: n, chatId: -g, newStatus: "member" }));
      },
      async sendText(g, n, text, options = {}) {
        const command = /^\/(\w+)(?:\s+([\s\S]*))?$/.exec(text);
        const update = (command ? commandUpdate({ fromId: n, chatId: -g, command: command[1]!, ...(command[2] ? { args: command[2] } : {}) }) : groupTextUpdate({ fromId: n, chatId: -g, text })) as unknown as { message: Record<string, unknown> };
        if (options.replyToBot) {
          update.message.reply_to_message = { message_id: 5, date: 1, chat: { id: -g, type: "supergroup" }, from: { id: 123456, is_bot: true, first_name: "Chibo" }, text: "Nhắc lịch" };
        }
        fake.pushUpdate(update);
      },
      async press(g, n, payload) {
        fake.pushUpdate(callbackUpdate({ fromId: n, chatId: -g, data: payload }));
      },
      replies: true,
    },
    async sentTo(chatId) {
      const keyboard = (markup: unknown): Button[][] =>
        ((markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).map((row) => row.map((b) => ({ label: b.text, payload: b.callback_data })));
      const texts = fake.sentMessages().filter((m) => m.chatId === chatId).map((m) => ({ id: m.messageId, sent: { chatId, text: m.text, buttons: keyboard(m.replyMarkup) } as SentMessage }));
      const files = fake.sentDocuments().filter((d) => d.chatId === chatId).map((d) => ({ id: d.messageId, sent: { chatId, text: d.caption ?? "", buttons: keyboard(d.replyMarkup), file: { fileName: d.fileName, bytes: d.bytes } } as SentMessage }));
      const photos = fake.sentPhotos().filter((p) => p.chatId === chatId).map((p) => ({ id: p.messageId, sent: { chatId, text: p.caption ?? "", buttons: keyboard(p.replyMarkup), photo: { bytes: p.bytes } } as SentMessage }));
      return [...texts, ...files, ...photos].sort((a, b) => a.id - b.id).map((m) => m.sent);
    },
    async stop() {
      await app.stop();
      await fake.close();
    },
  };
}

const locale = (language: string, namespace: string) => JSON.parse(fs.readFileSync(new URL(`../../locales/${language}/${namespace}.json`, import.meta.url), "utf8")) as Record<string, string>;
const ZALO_BOT_HINTS = ["vi", "en"].map((language) => locale(language, "zaloBot").choiceHint!);

interface SentRow {
  text: string;
  buttons: string | null;
  attachment: string | null;
  externalMessageId: string | null;
}

/** The sent outbox rows of a chat by the platform's message id: the buttons' payloads and rows are there. */
async function sentRows(app: StartedChibo, channel: Channel, chatId: string): Promise<Map<string, SentRow>> {
  const rows = await app.chibo.db.outboxMessage.findMany({ where: { channel, chatId, status: "sent" }, select: { text: true, buttons: true, attachment: true, externalMessageId: true } });
  return new Map(rows.map((row) => [row.externalMessageId ?? "", row]));
}

const buttonsOfRow = (row: SentRow): Button[][] => (row.buttons ? (JSON.parse(row.buttons) as Button[][]) : []);

/** Splits the last paragraph off a text: [what is before it, the paragraph]. */
function lastParagraph(text: string): [string, string] {
  const at = text.lastIndexOf("\n\n");
  return at === -1 ? ["", text] : [text.slice(0, at), text.slice(at + 2)];
}

function rendered(what: string, text: string): never {
  throw new Error(`${what} is not where it belongs in the sent text:\n${text}`);
}

async function startZaloBotDriver(options: DriverOptions): Promise<ChannelDriver> {
  const fake = await startFakeZaloBot();
  const app = await startChiboWithChannel({ channel: "zalo_bot", fake }, { ZALO_BOT_RATE_PER_CHAT_PER_SECOND: "100", ...options.env }, { clock: options.clock, flowSweepMs: options.flowSweepMs });
  // With a public URL chibo sets a webhook: events then go to chibo's own address.
  fake.deliverWebhooksTo(`http://127.0.0.1:${app.chibo.port}`);
  const photoBytes = photoFetcher(app);

  /** The platform's text back into the core's: the numbered list and its hint, then the file note, come off the end. */
  function neutral(chatId: string, sent: string, row: SentRow, asPhoto = false): SentMessage {
    const buttons = buttonsOfRow(row);
    const labels = buttons.flat().map((b) => b.label);
    let text = sent;
    if (labels.length) {
      const list = labels.map((label, i) => `${i + 1}. ${label}`).join("\n");
      const tail = ZALO_BOT_HINTS.map((hint) => `${list}\n${hint}`).find((t) => text === t || text.endsWith(`\n\n${t}`));
      if (!tail) rendered("The numbered list of choices", sent);
      text = text.slice(0, Math.max(0, text.length - tail.length - 2));
    }
    let note: string | undefined;
    if (row.attachment && !asPhoto) [text, note] = lastParagraph(text);
    return { chatId, text, buttons, ...(note === undefined ? {} : { note }) };
  }

  const groupChatOf = (g: number) => `grp${g}`;
  // What the chat can answer now, read as the channel's decoder reads it.
  const shownChoices = createChoiceStore(app.chibo.db, options.clock);
  /** The number that answers a choice: only the choices shown last in the chat can be answered. */
  async function numberOf(chatId: string, payload: string): Promise<string> {
    const choices = await shownChoices.shownIn(chatId);
    const index = choices.findIndex((choice) => choice.payload === payload);
    if (index === -1) throw new ChoiceNotOffered(`"${payload}" is not among the choices shown last in chat ${chatId}`);
    return String(index + 1);
  }

  return {
    channel: "zalo_bot",
    app,
    chatOf: (n) => String(n),
    link: linkIdentity(app, "zalo_bot"),
    async sendText(n, text) {
      fake.pushUpdate(privateText({ fromId: n, text }));
    },
    async sendPhoto(n, photo) {
      const url = photo.bytes ? fake.hostPhoto(photo.bytes) : photo.ref;
      fake.pushUpdate(image({ fromId: n, ...(url ? { url } : {}), ...(photo.caption ? { caption: photo.caption } : {}) }));
    },
    async sendSticker(n) {
      fake.pushUpdate(sticker({ fromId: n }));
    },
    // No buttons on this platform: the person answers with the number of the choice, and only the
    // latest choices shown in the chat can be answered.
    async press(n, payload) {
      fake.pushUpdate(privateText({ fromId: n, text: await numberOf(String(n), payload) }));
    },
    blockChat: (n) => fake.blockChat(String(n)),
    groups: {
      chatOf: groupChatOf,
      async sendText(g, n, text, options = {}) {
        if (options.replyToBot) throw new Error("the Zalo Bot Platform has no replies to a message");
        fake.pushUpdate(groupText({ fromId: n, groupId: groupChatOf(g), text }));
      },
      async press(g, n, payload) {
        fake.pushUpdate(groupText({ fromId: n, groupId: groupChatOf(g), text: await numberOf(groupChatOf(g), payload) }));
      },
      replies: false,
    },
    async sentTo(chatId) {
      const rows = await sentRows(app, "zalo_bot", chatId);
      const out: SentMessage[] = [];
      const order = (id: string) => Number(id.replace(/\D/g, ""));
      const sent = [
        ...fake.sentMessages().filter((m) => m.chatId === chatId).map((m) => ({ messageId: m.messageId, text: m.text, link: undefined as string | undefined })),
        ...fake.sentPhotos().filter((p) => p.chatId === chatId).map((p) => ({ messageId: p.messageId, text: p.caption ?? "", link: p.photo })),
      ].sort((a, b) => order(a.messageId) - order(b.messageId));
      for (const message of sent) {
        const row = rows.get(message.messageId);
        if (!row) break; // sent, but not yet recorded as sent: it shows on the next look
        const neutralized = neutral(chatId, message.text, row, message.link !== undefined);
        out.push(message.link ? { ...neutralized, photo: { bytes: await photoBytes(message.link), url: message.link } } : neutralized);
      }
      return out;
    },
    async stop() {
      await app.stop();
      await fake.close();
    },
  };
}

const OA_QUERY_PREFIX = "#chibo:";
const OA_MAX_BUTTONS = 5;

async function startZaloOaDriver(options: DriverOptions): Promise<ChannelDriver> {
  const fake = await startFakeZaloOa({ accessToken: "oa-access-token-0", refreshToken: "oa-refresh-token-0" });
  const app = await startChiboWithChannel({ channel: "zalo_oa", fake }, { ZALO_OA_RATE_PER_CHAT_PER_SECOND: "100", ...options.env }, { clock: options.clock, flowSweepMs: options.flowSweepMs });
  const photoBytes = photoFetcher(app);
  const signer = { appId: fake.appId, secretKey: ZALO_OA_SECRET_KEY };
  const now = () => options.clock.now().getTime();

  async function deliver(event: object): Promise<void> {
    const { rawBody, headers } = signedEvent(event, signer);
    const response = await fetch(`http://127.0.0.1:${app.chibo.port}/zalo/oa/webhook`, { method: "POST", headers, body: rawBody });
    if (response.status !== 200) throw new Error(`the OA webhook answered ${response.status}: ${await response.text()}`);
  }
  const text = (n: number, body: string) => deliver(userSendText({ appId: fake.appId, senderId: String(n), text: body, timestampMs: now() }));

  /** Up to five buttons carry the choices; with more, all are numbered and the rest are lines at the end, before any note. */
  function neutral(chatId: string, sent: { text: string; buttons: { title: string; payload: string }[]; image?: unknown }, row: SentRow): SentMessage {
    const buttons = buttonsOfRow(row);
    const choices = buttons.flat();
    const numbered = choices.length > OA_MAX_BUTTONS;
    choices.slice(0, OA_MAX_BUTTONS).forEach((choice, i) => {
      const shown = sent.buttons[i];
      if (shown?.title !== (numbered ? `${i + 1}. ${choice.label}` : choice.label) || shown.payload !== `${OA_QUERY_PREFIX}${choice.payload}`) rendered(`Button ${i + 1} (${choice.label})`, JSON.stringify(sent.buttons));
    });
    let text = sent.text;
    let note: string | undefined;
    if (row.attachment && !sent.image) [text, note] = lastParagraph(text);
    if (numbered) {
      const lines = choices.slice(OA_MAX_BUTTONS).map((choice, i) => `${OA_MAX_BUTTONS + i + 1}. ${choice.label}`).join("\n");
      if (!text.endsWith(`\n\n${lines}`)) rendered("The numbered choices past the fifth", sent.text);
      text = text.slice(0, text.length - lines.length - 2);
    }
    return { chatId, text, buttons, ...(note === undefined ? {} : { note }) };
  }

  return {
    channel: "zalo_oa",
    app,
    chatOf: (n) => String(n),
    link: linkIdentity(app, "zalo_oa"),
    sendText: text,
    sendPhoto(n, photo) {
      const url = photo.bytes ? fake.hostPhoto(photo.bytes) : photo.ref ?? "no-photo";
      return deliver(userSendImage({ appId: fake.appId, senderId: String(n), url, ...(photo.caption ? { caption: photo.caption } : {}), timestampMs: now() }));
    },
    sendSticker: (n) => deliver(userSendSticker({ appId: fake.appId, senderId: String(n), timestampMs: now() })),
    follow: (n, options = {}) => deliver(followEvent({ appId: fake.appId, followerId: String(n), timestampMs: now(), ...(options.unfollow ? { unfollow: true } : {}) })),
    // A tap sends the button's query as the person's (hidden) message; a choice past the fifth is
    // answered with its number; a payload never shown is typed as a query by hand.
    async press(n, payload) {
      const query = `${OA_QUERY_PREFIX}${payload}`;
      if (fake.messages().some((m) => m.userId === String(n) && m.buttons.some((b) => b.payload === query))) return text(n, query);
      const last = await app.chibo.db.outboxMessage.findFirst({ where: { channel: "zalo_oa", chatId: String(n), status: "sent", buttons: { not: null } }, orderBy: [{ sentAt: "desc" }, { id: "desc" }] });
      const choices = last ? buttonsOfRow(last).flat() : [];
      const index = choices.findIndex((choice) => choice.payload === payload);
      return text(n, choices.length > OA_MAX_BUTTONS && index >= OA_MAX_BUTTONS ? String(index + 1) : query);
    },
    async sentTo(chatId) {
      const rows = await sentRows(app, "zalo_oa", chatId);
      const out: SentMessage[] = [];
      for (const message of fake.messages().filter((m) => m.userId === chatId)) {
        const row = rows.get(message.messageId);
        if (!row) break;
        const neutralized = neutral(chatId, message, row);
        const image = message.image;
        const bytes = image?.bytes ?? (image?.url ? await photoBytes(image.url) : undefined);
        out.push(bytes ? { ...neutralized, photo: { bytes, ...(image?.url ? { url: image.url } : {}) } } : neutralized);
      }
      return out;
    },
    async stop() {
      await app.stop();
      await fake.close();
    },
  };
}
