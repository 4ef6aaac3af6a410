import type { Telegram } from "telegraf";
import type { Translator } from "../../i18n.ts";

export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** The commands a member sees in Telegram's menu; the texts come from the locale files. */
export const COMMANDS = ["start", "lich", "ngonngu", "huongdan"] as const;

/** Registers the command menu in Vietnamese (also the default) and English. */
export async function registerCommands(telegram: Telegram, translator: Translator): Promise<void> {
  const commands = (language: "vi" | "en") =>
    COMMANDS.map((command) => ({ command, description: translator.t(language)(`chat:command_${command}`) }));
  await telegram.setMyCommands(commands("vi"));
  await telegram.setMyCommands(commands("vi"), { language_code: "vi" });
  await telegram.setMyCommands(commands("en"), { language_code: "en" });
}
