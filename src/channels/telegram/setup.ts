import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import type { Translator } from "../../i18n.ts";

export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** The commands a member sees in Telegram's menu; the texts come from the locale files. */
export const COMMANDS = ["start", "lich", "ngonngu", "huongdan"] as const;

const MENU_RETRY_FIRST_MS = 30_000;
const MENU_RETRY_MAX_MS = 15 * 60_000;

/** Registers the command menu in Vietnamese (also the default) and English. */
export async function registerCommands(telegram: Telegram, translator: Translator): Promise<void> {
  const commands = (language: "vi" | "en") =>
    COMMANDS.map((command) => ({ command, description: translator.t(language)(`chat:command_${command}`) }));
  await telegram.setMyCommands(commands("vi"));
  await telegram.setMyCommands(commands("vi"), { language_code: "vi" });
  await telegram.setMyCommands(commands("en"), { language_code: "en" });
}

/**
 * The command menu, set in the background: it is a convenience, so a Bot API that refuses it must
 * not keep chibo from receiving messages. A failure is logged with its cause and tried again after
 * a wait that doubles up to a bound; stop() ends the retries.
 */
export function createCommandMenu(deps: { telegram: Telegram; translator: Translator; logger: Logger; retryFirstMs?: number; retryMaxMs?: number }) {
  const retryFirstMs = deps.retryFirstMs ?? MENU_RETRY_FIRST_MS;
  const retryMaxMs = Math.max(retryFirstMs, deps.retryMaxMs ?? MENU_RETRY_MAX_MS);
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  async function attempt(waitMs: number): Promise<void> {
    timer = undefined;
    try {
      await registerCommands(deps.telegram, deps.translator);
      running = false;
    } catch (error) {
      if (!running) return;
      deps.logger.warn({ err: error, retryInMs: waitMs }, `could not set Telegram's command menu; trying again in ${Math.round(waitMs / 1000)} s`);
      timer = setTimeout(() => void attempt(Math.min(waitMs * 2, retryMaxMs)), waitMs);
    }
  }

  return {
    /** Starts setting the menu unless it is being set already; returns at once. */
    start() {
      if (running) return;
      running = true;
      void attempt(retryFirstMs);
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
