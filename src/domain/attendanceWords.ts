/**
 * The words parseAttendanceReply recognises, grouped by what they say about attending.
 *
 * Phrases are written with their diacritics. A reply typed without diacritics matches every
 * phrase that folds to the same letters; when those disagree (vâng/vắng, có/cô, đi/dì) the word
 * means nothing unless a bare spelling is listed too ("vang", "co", "di"), which then decides.
 * A reply typed with diacritics must match a phrase exactly, so "vàng" or "bạn" never pass
 * for "vâng" or "bận"; only "đ" may stand alone ("đuoc"), as many keyboards make it separately.
 */
export type Sense =
  | "present" // a yes that commits: có, có mặt, đến, tham dự
  | "go" // "đi": a yes only when nothing unknown follows ("đi" yes, "đi chợ" no)
  | "ack" // a yes that may only acknowledge the message: ok, được, vâng
  | "neg" // không, ko, k: negates a yes in its clause, or is itself a no
  | "notyet" // chưa: negates like "không", but alone it is no answer
  | "absent" // vắng, nghỉ
  | "excuse" // xin phép: an absence unless the same reply says it is coming
  | "vang" // "vang" typed bare: vắng or vâng, decided by the rest of the reply
  | "cause" // why someone stays home; the text around it is the reason
  | "unsure" // có lẽ, chưa biết, hoặc
  | "question" // mấy giờ, ở đâu, or a "?"
  | "tail" // question particles that ask only at the end: à, hả, nhỉ, sao
  | "connective" // the reason follows: vì, do, lý do
  | "separator" // splits clauses, like punctuation
  | "polite" // particles and self-address, trimmed off the edges of a reason
  | "filler"; // neutral words kept inside a reason: other pronouns, meeting, time

export const LEXICON: Readonly<Record<Sense, readonly string[]>> = {
  present: ["có", "co", "có mặt", "đến", "tới", "dự", "tham dự", "tham gia", "yes", "yeah", "yep", "sure", "attend"],
  go: ["đi", "di"],
  ack: ["ok", "oke", "okay", "okie", "oki", "okê", "okela", "được", "đươc", "đc", "đồng ý", "nhất trí", "vâng", "ừ", "ừm", "uh", "uhm"],
  neg: ["không", "ko", "k", "kg", "khg", "hok", "chẳng", "không thể", "no", "not", "nope"],
  notyet: ["chưa"],
  absent: ["vắng", "vắng mặt", "nghỉ", "nghi", "absent"],
  excuse: ["xin phép"],
  // Typed without diacritics, "vang" is far more often vắng than vâng: see readBareVang.
  vang: ["vang"],
  cause: [
    "bận", "ốm", "đau", "dau", "mệt", "sốt", "cảm", "ho", "bệnh", "ốm đau", "nằm viện", "nhập viện",
    "đi viện", "bệnh viện", "đi bệnh viện", "đi khám", "khám bệnh", "đi công tác", "công tác",
    "đi làm", "đi học", "đi thi", "đi trực", "trực", "đi xa", "ở xa", "đi vắng", "vắng nhà", "đi chơi",
    "đi chợ", "du lịch", "đi du lịch", "đi đám", "đám cưới", "đám giỗ", "đám ma", "đám hiếu",
    "ăn cỗ", "đi ăn cỗ", "có giỗ", "có việc", "có chuyện", "có hẹn", "có khách", "có lịch",
    "việc riêng", "việc nhà", "việc gia đình", "về quê", "tai nạn", "sick", "busy",
  ],
  unsure: [
    "chưa biết", "không biết", "ko biết", "k biết", "có lẽ", "có thể", "có khi", "để xem", "xem",
    "xem đã", "chưa chắc", "không chắc", "chắc", "chắc là", "hình như", "tùy", "tuỳ", "nếu",
    "báo sau", "báo lại", "hoặc", "chưa rõ", "không rõ", "phân vân", "cố gắng", "cố", "nghĩ",
    "hy vọng", "hi vọng", "maybe", "perhaps", "probably", "or", "not sure",
  ],
  question: [
    "mấy giờ", "mấy", "ở đâu", "đâu", "đi đâu", "bao giờ", "khi nào", "lúc nào", "hôm nào",
    "ngày nào", "thế nào", "ra sao", "tại sao", "vì sao", "gì", "what", "when", "where",
  ],
  tail: ["à", "hả", "hở", "hử", "nhỉ", "sao"],
  connective: ["vì", "do", "tại", "bởi", "bởi vì", "tại vì", "là vì", "là do", "lý do", "lí do", "vì lý do", "because", "reason"],
  separator: ["nhưng", "nên", "but"],
  polite: [
    "dạ", "ạ", "a", "á", "ạh", "nhé", "nhe", "nha", "nhá", "em", "e", "tôi", "toi", "mình", "tớ", "cháu",
    "thưa", "xin", "cho", "sẽ", "thì", "là", "cũng", "mà", "vậy", "đồng chí", "xin lỗi", "sorry",
    "cảm ơn", "cám ơn", "thanks", "i", "will",
  ],
  filler: [
    "anh", "chị", "chú", "bác", "cô", "dì", "ông", "bà", "chi bộ", "rồi", "luôn", "ngay", "vẫn",
    "nữa", "chắc chắn", "lắm", "quá", "đúng giờ", "giờ", "đúng", "sớm", "muộn", "họp", "buổi",
    "hôm nay", "nay", "mai", "ngày mai", "tối", "tối nay", "sáng", "chiều",
  ],
};

/** Emoji read by their first code point, so skin tones and variation selectors do not matter. */
export const EMOJI_SENSES: Readonly<Record<string, Sense>> = {
  "👍": "present", "✅": "present", "👌": "present", "✔": "present", "☑": "present",
  "🙋": "present", "🆗": "present", "💯": "present",
  "👎": "absent", "❌": "absent", "✖": "absent", "❎": "absent", "🚫": "absent", "⛔": "absent",
  "🙅": "absent",
};
