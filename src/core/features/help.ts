import type { Feature } from "../feature.ts";
import { linkedOnly } from "../feature.ts";

/** /huongdan: only the commands this person may use, each with a line saying what it does. */
export function helpFeature(features: () => Feature[]): Feature {
  return {
    name: "help",
    commands: ["huongdan", "help"],
    allowed: () => true,
    async handle(_deps, conversation) {
      const { t, member } = conversation;
      const roles = conversation.roles;
      const lines = features()
        .filter((f) => (f.allowed ?? linkedOnly)(roles, member !== null))
        .flatMap((f) => (f.commands ?? []).slice(0, 1))
        .map((command) => `/${command} — ${t(`chat:command_${command}`)}`);
      await conversation.reply({ text: [t(member ? "chat:helpIntro" : "chat:helpIntroUnlinked"), ...lines].join("\n") });
    },
  };
}
