import type { Feature } from "../feature.ts";
import { linkedOnly } from "../feature.ts";

/**
 * /huongdan: every command this person may use in this chat, each with a line saying what it
 * does: all of a feature's commands (/datlich, /noidung, /diadiem), none offered elsewhere only
 * (/maketnoi is not for the web chat), and no alias (/help).
 */
export function helpFeature(features: () => Feature[]): Feature {
  return {
    name: "help",
    commands: ["huongdan"],
    aliases: ["help"],
    allowed: () => true,
    async handle(_deps, conversation) {
      const { t, member, message } = conversation;
      const roles = conversation.roles;
      const lines = features()
        .filter((f) => (f.allowed ?? linkedOnly)(roles, member !== null) && (f.offeredOn?.(message.channel) ?? true))
        .flatMap((f) => f.commands ?? [])
        .map((command) => `/${command} — ${t(`chat:command_${command}`)}`);
      await conversation.reply({ text: [t(member ? "chat:helpIntro" : "chat:helpIntroUnlinked"), ...lines].join("\n") });
    },
  };
}
