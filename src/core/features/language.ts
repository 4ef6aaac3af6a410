import { isLanguage } from "../../i18n.ts";
import type { Feature } from "../feature.ts";

/** /ngonngu: choose Tiếng Việt or English; the choice is kept on the member's record. */
export const languageFeature: Feature = {
  name: "language",
  commands: ["ngonngu"],
  buttonPrefix: "lang",
  async handle(deps, conversation, input) {
    const { member } = conversation;
    if (!member) return;
    if (input.payload === undefined) {
      await conversation.reply({
        text: conversation.t("chat:chooseLanguage"),
        buttons: [[{ label: "Tiếng Việt", payload: "lang:vi" }, { label: "English", payload: "lang:en" }]],
      });
      return;
    }
    if (!isLanguage(input.payload)) {
      await conversation.reply({ text: conversation.t("chat:staleButton") });
      return;
    }
    await deps.services.members.setLanguage(member.id, input.payload);
    await conversation.reply({ text: deps.translator.t(input.payload)("chat:languageSet") });
  },
};
