import { DomainError } from "./errors.ts";
import { validateMeetingRule, type MeetingRule } from "./schedule.ts";
import { foldVietnamese } from "./text.ts";

/**
 * Reads a meeting rule typed by a secretary in chat, with or without diacritics:
 *   "7 19:30 Nhà văn hóa thôn"       — the 7th of every month at 19:30, at that place
 *   "ngày 7 lúc 19:30 tại Nhà văn hóa"
 *   "T5-1 16:30 Phòng họp"           — the first Thursday (T2…T7 = Monday…Saturday, CN = Sunday)
 *   "thứ 5 tuần 1 16:30", "T6-cuối 16:00" — "cuối" is the last such weekday
 * The place keeps what was typed. Anything else is refused with the examples.
 */
export function parseRuleText(input: string): { rule: MeetingRule; place: string | null } {
  const tokens = input.trim().split(/\s+/).filter(Boolean);
  const folded = tokens.map((t) => foldVietnamese(t.toLowerCase()));
  let i = 0;
  const skip = (...words: string[]) => {
    while (i < folded.length && words.includes(folded[i]!)) i += 1;
  };
  let day: { dayOfMonth: number } | { weekday: number; nth: number } | null = null;
  skip("ngay", "hang", "thang", "moi");
  const compact = /^(t[2-7]|cn)-(\d|cuoi)$/.exec(folded[i] ?? "");
  if (compact) {
    day = { weekday: weekdayOf(compact[1]!), nth: nthOf(compact[2]!) };
    i += 1;
  } else if (folded[i] === "thu" || folded[i] === "chu") {
    // "thứ 5 tuần 1" / "thứ 5 tuần cuối" / "chủ nhật tuần 2"
    const weekdayWord = folded[i] === "chu" && folded[i + 1] === "nhat" ? "cn" : `t${folded[i + 1] ?? ""}`;
    i += 2;
    skip("tuan", "thu", "lan");
    const nthWord = folded[i] ?? "";
    i += 1;
    if (!/^(t[2-7]|cn)$/.test(weekdayWord) || !/^(\d|cuoi|dau)$/.test(nthWord)) throw invalid(input);
    day = { weekday: weekdayOf(weekdayWord), nth: nthWord === "dau" ? 1 : nthOf(nthWord) };
    skip("tien", "cua");
  } else if (/^\d{1,2}$/.test(folded[i] ?? "")) {
    day = { dayOfMonth: Number(folded[i]) };
    i += 1;
  }
  skip("luc", "vao", "hang", "thang");
  const time = /^(\d{1,2})(?::|h)(\d{2})?$/.exec(folded[i] ?? "");
  if (!day || !time) throw invalid(input);
  i += 1;
  skip("tai", "o", "dia", "diem");
  const place = tokens.slice(i).join(" ").trim() || null;
  const hhmm = `${time[1]!.padStart(2, "0")}:${time[2] ?? "00"}`;
  return { rule: validateMeetingRule({ ...day, time: hhmm }), place };
}

const weekdayOf = (word: string) => (word === "cn" ? 7 : Number(word.slice(1)) - 1);
const nthOf = (word: string) => (word === "cuoi" ? -1 : Number(word));
const invalid = (value: string) => new DomainError("meetingSetup:ruleNotUnderstood", { value }, `Meeting rule not understood: ${value}`);
