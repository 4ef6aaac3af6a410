import {
  chatFromId, DEFAULT_BOT,
  type AdministratorRights, type CallbackQueryUpdate, type MessageUpdate, type MyChatMemberUpdate, type TelegramChat,
  type TelegramChatMember, type TelegramMessageEntity, type TelegramTextMessage, type TelegramUser,
} from "./telegramShapes.ts";

/** Who sends the update. Telegram fills language_code from the person's app; most here use "vi". */
export interface Sender {
  fromId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

/** Ids and time default to fresh values: ids count up per test file, date is now in seconds. */
export interface UpdateMeta {
  updateId?: number;
  messageId?: number;
  date?: number;
}

type BotIdentity = { id: number; username: string; first_name: string };

// Counters start where Telegram's real ones might, so no test relies on small ids.
let lastUpdateId = 500_000_000;
let lastMessageId = 1_000;
let lastCallbackId = 0;

const nextUpdateId = (meta: UpdateMeta) => meta.updateId ?? ++lastUpdateId;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export function privateTextUpdate(input: Sender & UpdateMeta & { text: string }): MessageUpdate {
  return textUpdate(input, input.fromId, input.text);
}

export function groupTextUpdate(input: Sender & UpdateMeta & { chatId: number; text: string; chatTitle?: string }): MessageUpdate {
  return textUpdate(input, input.chatId, input.text, input.chatTitle);
}

/** "/command@bot args", with the bot_command entity telegraf's `bot.command` looks for. */
export function commandUpdate(
  input: Sender & UpdateMeta & { command: string; args?: string; chatId?: number; botUsername?: string },
): MessageUpdate {
  const mention = input.botUsername ? `@${input.botUsername}` : "";
  const args = input.args ? ` ${input.args}` : "";
  return textUpdate(input, input.chatId ?? input.fromId, `/${input.command}${mention}${args}`);
}

/** A press on an inline button of a message the bot sent; the message carries that button. */
export function callbackUpdate(
  input: Sender & UpdateMeta & { chatId?: number; data: string; messageText?: string; bot?: BotIdentity },
): CallbackQueryUpdate {
  const chatId = input.chatId ?? input.fromId;
  const message: TelegramTextMessage = {
    message_id: input.messageId ?? ++lastMessageId,
    from: botAsUser(input.bot),
    chat: chatFromId(chatId),
    date: (input.date ?? nowSeconds()) - 60,
    text: input.messageText ?? "Chọn một mục",
    reply_markup: { inline_keyboard: [[{ text: input.data, callback_data: input.data }]] },
  };
  return {
    update_id: nextUpdateId(input),
    callback_query: {
      id: String(4_000_000_000_000_000_000n + BigInt(++lastCallbackId)),
      from: userOf(input),
      message,
      chat_instance: String(-3_000_000_000_000_000_000n - BigInt(chatId)),
      data: input.data,
    },
  };
}

/**
 * The bot's own membership changing: "kicked" in a private chat is the person blocking the bot,
 * "member" there is unblocking; in a group, "member" / "left" are being added / removed.
 */
export function myChatMemberUpdate(
  input: Sender & UpdateMeta & {
    chatId?: number;
    newStatus: "kicked" | "member" | "left" | "administrator";
    oldStatus?: "kicked" | "member" | "left" | "administrator";
    bot?: BotIdentity;
  },
): MyChatMemberUpdate {
  const chatId = input.chatId ?? input.fromId;
  const wasOut = chatId > 0 ? "kicked" : "left";
  const oldStatus = input.oldStatus ?? (input.newStatus === "kicked" || input.newStatus === "left" ? "member" : wasOut);
  const chat: TelegramChat = chatId === input.fromId ? privateChatOf(input) : chatFromId(chatId);
  const bot = botAsUser(input.bot);
  return {
    update_id: nextUpdateId(input),
    my_chat_member: {
      chat,
      from: userOf(input),
      date: input.date ?? nowSeconds(),
      old_chat_member: memberWithStatus(bot, oldStatus),
      new_chat_member: memberWithStatus(bot, input.newStatus),
    },
  };
}

function textUpdate(input: Sender & UpdateMeta, chatId: number, text: string, chatTitle?: string): MessageUpdate {
  const chat = chatId === input.fromId ? privateChatOf(input) : chatFromId(chatId, { title: chatTitle });
  const entities = leadingCommandEntity(text);
  const message: TelegramTextMessage = {
    message_id: input.messageId ?? ++lastMessageId,
    from: userOf(input),
    chat,
    date: input.date ?? nowSeconds(),
    text,
    ...(entities ? { entities } : {}),
  };
  return { update_id: nextUpdateId(input), message };
}

/**
 * Telegram marks "/word" (optionally "@bot") at the start as a bot_command whenever it is followed
 * by the end of the text or a space; a command with letters outside A-Z, 0-9 and _ gets no entity.
 */
function leadingCommandEntity(text: string): TelegramMessageEntity[] | undefined {
  const match = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=$|\s)/.exec(text);
  return match ? [{ type: "bot_command", offset: 0, length: match[0].length }] : undefined;
}

function userOf(sender: Sender): TelegramUser {
  const user: TelegramUser = { id: sender.fromId, is_bot: false, first_name: sender.firstName ?? `Người dùng ${sender.fromId}` };
  if (sender.lastName) user.last_name = sender.lastName;
  if (sender.username) user.username = sender.username;
  user.language_code = sender.languageCode ?? "vi";
  return user;
}

function privateChatOf(sender: Sender): TelegramChat {
  const chat: TelegramChat = { id: sender.fromId, type: "private", first_name: sender.firstName ?? `Người dùng ${sender.fromId}` };
  if (sender.lastName) chat.last_name = sender.lastName;
  if (sender.username) chat.username = sender.username;
  return chat;
}

function botAsUser(bot: BotIdentity = DEFAULT_BOT): TelegramUser {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

// An administrator as Telegram reports a bot given the usual group rights.
const ADMIN_RIGHTS: AdministratorRights = {
  can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true,
  can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false,
  can_change_info: true, can_invite_users: true, can_pin_messages: true,
  can_post_stories: false, can_edit_stories: false, can_delete_stories: false,
};

function memberWithStatus(user: TelegramUser, status: "kicked" | "member" | "left" | "administrator"): TelegramChatMember {
  if (status === "kicked") return { user, status, until_date: 0 };
  if (status === "administrator") return { user, status, ...ADMIN_RIGHTS };
  return { user, status };
}
