import { badRequest, ok, type ApiReply } from "./apiReplies.ts";
import type { Params } from "./requestParams.ts";

interface BotCommand {
  command: string;
  description: string;
}

// Bot API: "1-32 characters. Can contain only lowercase English letters, digits and underscores."
// So a Vietnamese command such as "góp_ý" is refused, which is what this check is for.
const COMMAND_PATTERN = /^[a-z0-9_]{1,32}$/;
const MAX_DESCRIPTION_LENGTH = 256;

/** The command menus, one per (scope, language_code), as set/get/deleteMyCommands see them. */
export class BotCommands {
  private readonly menus = new Map<string, BotCommand[]>();

  set(params: Params): ApiReply {
    const commands = params.commands;
    if (!Array.isArray(commands)) return badRequest("parameter \"commands\" is required");
    const menu: BotCommand[] = [];
    for (const entry of commands as Partial<BotCommand>[]) {
      const command = String(entry?.command ?? "");
      const description = String(entry?.description ?? "");
      if (!COMMAND_PATTERN.test(command)) return badRequest("BOT_COMMAND_INVALID");
      if (description.trim() === "") return badRequest("command description must be non-empty");
      if (description.length > MAX_DESCRIPTION_LENGTH) return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      menu.push({ command, description });
    }
    this.menus.set(menuKey(params), menu);
    return ok(true);
  }

  /** Exactly the menu for this scope and language: Telegram's fallbacks apply to clients, not here. */
  get(params: Params): ApiReply {
    return ok(this.menus.get(menuKey(params)) ?? []);
  }

  delete(params: Params): ApiReply {
    this.menus.delete(menuKey(params));
    return ok(true);
  }

  reset() {
    this.menus.clear();
  }
}

function menuKey(params: Params): string {
  const scope = (params.scope ?? { type: "default" }) as { type?: unknown; chat_id?: unknown; user_id?: unknown };
  return [scope.type ?? "default", scope.chat_id ?? "", scope.user_id ?? "", params.language_code ?? ""].map(String).join("|");
}
