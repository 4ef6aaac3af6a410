import { DomainError } from "./errors.ts";
import { cleanFeedbackText, MAX_FEEDBACK_TEXT_LENGTH } from "./feedback.ts";
import { cleanText } from "./text.ts";

/** A ready answer reviewers start from: a short title to pick it by, and the answer's words. */
export const MAX_TEMPLATE_TITLE_LENGTH = 120;

export interface AnswerTemplateDraft {
  title: unknown;
  text: unknown;
}

/** The template in the form it is stored, or a refusal naming what is wrong. The text is an answer's, with an answer's limit. */
export function checkAnswerTemplate(draft: AnswerTemplateDraft): { title: string; text: string } {
  const title = typeof draft.title === "string" ? cleanText(draft.title) : "";
  if (title === "") throw new DomainError("consoleFeedback:templateTitleRequired");
  if ([...title].length > MAX_TEMPLATE_TITLE_LENGTH) throw new DomainError("consoleFeedback:templateTitleTooLong", { max: MAX_TEMPLATE_TITLE_LENGTH });
  const text = cleanFeedbackText(draft.text);
  if (text === "") throw new DomainError("consoleFeedback:templateTextRequired");
  const length = [...text].length;
  if (length > MAX_FEEDBACK_TEXT_LENGTH) throw new DomainError("feedback:answerTooLong", { length, max: MAX_FEEDBACK_TEXT_LENGTH });
  return { title, text };
}
