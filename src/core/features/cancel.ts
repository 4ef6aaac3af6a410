import type { Feature } from "../feature.ts";

/**
 * /huy: ends the guided flow the person has open (a /gopy half-way through, say); nothing of it
 * was saved. Also "hủy" written alone, even while the flow waits for words (see createCore).
 */
export const cancelFeature: Feature = {
  name: "cancel",
  commands: ["huy"],
  aliases: ["cancel"],
  async handle(_deps, conversation) {
    const { flow, t } = conversation;
    if (!flow) return conversation.reply({ text: t("chat:nothingToCancel") });
    await conversation.endFlow();
    await conversation.reply({ text: t("chat:flowCancelled", { what: t(`chat:flow_${flow.feature}`) }) });
  },
};
