import { formatDisplayDate, localDateOf } from "../../domain/localTime.ts";
import type { Feature } from "../feature.ts";

const SHOWN = 10;
const ANSWER_EXCERPT = 300;

/** /gopycuatoi: the member's own feedback, newest first, with status and the answer if any. */
export const myFeedbackFeature: Feature = {
  name: "myFeedback",
  commands: ["gopycuatoi"],
  async handle(deps, conversation) {
    const { t, member } = conversation;
    const items = await deps.feedback.listMine(member!.id);
    if (items.length === 0) {
      await conversation.reply({ text: t("feedbackChat:mineNone") });
      return;
    }
    const lines = items.slice(0, SHOWN).map((item) => {
      const head = t("feedbackChat:mineLine", {
        reference: item.reference,
        date: formatDisplayDate(localDateOf(item.createdAt)),
        category: t(`feedback:category_${item.category}`),
        status: t(`feedback:status_${item.status}`),
      });
      if (!item.answer) return head;
      const answer = [...item.answer].length > ANSWER_EXCERPT ? `${[...item.answer].slice(0, ANSWER_EXCERPT).join("")}…` : item.answer;
      return `${head}\n   ${t("feedbackChat:mineAnswer", { answer })}`;
    });
    const more = items.length > SHOWN ? [t("feedbackChat:mineMore", { count: items.length - SHOWN })] : [];
    await conversation.reply({ text: [t("feedbackChat:mineIntro", { count: items.length }), ...lines, ...more].join("\n") });
  },
};
