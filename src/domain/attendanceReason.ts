/**
 * Reads what a member types after answering "vắng", when chibo has asked for the reason.
 *
 * There, most words are the reason, said however the member says it. Three kinds of reply are
 * not: a clear change of mind ("à tôi đi được", "có mặt"), which chibo confirms before changing
 * anything; "không có lý do", which is no reason; and a bare yes, no or acknowledgement ("ok",
 * "có", "không", "ko", "vắng"), which answers nothing asked and is asked again. A bare "có" or
 * "ok" only acknowledges "Đã ghi: đồng chí vắng"; reading it as "present" flipped answers.
 */
import { parseAttendanceReply, readReplyWords, type ReplyWord, type WordSense } from "./attendance.ts";
import { cleanText } from "./text.ts";

export type ReasonReply =
  | { kind: "reason"; reason: string }
  | { kind: "noReason" }
  | { kind: "changeToPresent" }
  | { kind: "unclear" };

/** Words that only answer yes or no, or hesitate: alone they give no reason. */
const ANSWER_ONLY = new Set<WordSense>([
  "present", "ack", "neg", "notyet", "absent", "excuse", "vang", "unsure", "tail", "polite", "separator", "connective", "question",
]);
/** A yes this short commits to nothing after "vắng": it acknowledges. */
const BARE_YES = new Set(["co", "yes", "yeah", "yep", "sure", "di"]);
const NEGATION = "(?:khong|ko|k|kg|khg|hok|chang|no)";
/** "không có", "ko có lý do", "không nêu lý do", "không có lý do gì", "no reason" (folded, politeness left out). */
const NO_REASON = new RegExp(`^${NEGATION}(?: co(?: gi)?| (?:co |neu )?(?:ly do|li do|reason)(?: gi)?)$`);

export function readReasonReply(text: string): ReasonReply {
  const words = readReplyWords(text);
  const said = words.filter((word) => word.sense !== "polite" && hasLetters(word));
  if (NO_REASON.test(said.map((word) => word.fold).join(" "))) return { kind: "noReason" };
  const parsed = parseAttendanceReply(text);
  if (parsed.answer === "present" && commits(words)) return { kind: "changeToPresent" };
  if (words.every((word) => ANSWER_ONLY.has(word.sense) || !hasLetters(word))) return { kind: "unclear" };
  return { kind: "reason", reason: parsed.reason ?? cleanText(text) };
}

const hasLetters = (word: ReplyWord) => /\p{L}/u.test(word.fold);

/**
 * Of a reply read as "present": "có mặt", "đến", "tham dự", "không vắng", or "đi" with more words
 * ("đi được", "tôi sẽ đi"); not "có", "ok" or "đi" alone.
 */
function commits(words: ReplyWord[]): boolean {
  // Read as "present" with vắng in it, the reply says "không vắng" (or "vang", vâng, before a yes).
  if (words.some((word) => word.sense === "absent" || word.sense === "vang")) return true;
  const yes = words.filter((word) => word.sense === "present" && hasLetters(word));
  const others = words.filter((word) => hasLetters(word) && !yes.includes(word));
  return yes.some((word) => !BARE_YES.has(word.fold)) || (yes.some((word) => word.fold === "di") && others.length > 0);
}
