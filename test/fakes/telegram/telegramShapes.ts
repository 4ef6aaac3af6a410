// The Bot API objects the fake and the update builders produce, in Telegram's own field names.
// Kept here rather than imported from telegraf so the fake stays usable whatever client a test drives.

export interface TelegramUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type TelegramChat =
  | { id: number; type: "private"; first_name: string; last_name?: string; username?: string }
  | { id: number; type: "group" | "supergroup"; title: string };

export interface TelegramMessageEntity {
  type: "bot_command";
  offset: number;
  length: number;
}

export interface TelegramTextMessage {
  message_id: number;
  from: TelegramUser;
  chat: TelegramChat;
  date: number;
  text: string;
  entities?: TelegramMessageEntity[];
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

export interface AdministratorRights {
  can_be_edited: boolean;
  is_anonymous: boolean;
  can_manage_chat: boolean;
  can_delete_messages: boolean;
  can_manage_video_chats: boolean;
  can_restrict_members: boolean;
  can_promote_members: boolean;
  can_change_info: boolean;
  can_invite_users: boolean;
  can_pin_messages?: boolean;
  can_post_stories?: boolean;
  can_edit_stories?: boolean;
  can_delete_stories?: boolean;
}

export type TelegramChatMember =
  | { user: TelegramUser; status: "member" | "left" }
  | { user: TelegramUser; status: "kicked"; until_date: number }
  | ({ user: TelegramUser; status: "administrator" } & AdministratorRights);

export interface MessageUpdate {
  update_id: number;
  message: TelegramTextMessage;
}

export interface CallbackQueryUpdate {
  update_id: number;
  callback_query: {
    id: string;
    from: TelegramUser;
    message: TelegramTextMessage;
    chat_instance: string;
    data: string;
  };
}

export interface MyChatMemberUpdate {
  update_id: number;
  my_chat_member: {
    chat: TelegramChat;
    from: TelegramUser;
    date: number;
    old_chat_member: TelegramChatMember;
    new_chat_member: TelegramChatMember;
  };
}

/** The bot the fake plays by default; its id is the token's prefix, as on Telegram. */
export const DEFAULT_TOKEN = "123456:TEST";
export const DEFAULT_BOT = { id: 123456, username: "chibo_test_bot", first_name: "Chibo" };

// Supergroup and channel ids are -100 followed by the chat's own id.
const SUPERGROUP_ID_BELOW = -1_000_000_000_000;

/** The Chat Telegram shows for an id: positive ids are people, negative ones groups. */
export function chatFromId(id: number, names: { firstName?: string; title?: string } = {}): TelegramChat {
  if (id > 0) return { id, first_name: names.firstName ?? `User ${id}`, type: "private" };
  return { id, title: names.title ?? `Group ${-id}`, type: id <= SUPERGROUP_ID_BELOW ? "supergroup" : "group" };
}
