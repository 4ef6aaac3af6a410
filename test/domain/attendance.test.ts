import { describe, expect, it } from "vitest";
import { parseAttendanceReply } from "../../src/domain/attendance.ts";

interface Case { text: string; reason?: string }

/** Every reply is also tried in NFD (as some phones send it) and in capitals. */
function spellings(cases: readonly Case[]) {
  return cases.flatMap(({ text, reason }) => [
    { form: "NFC", text: text.normalize("NFC"), reason },
    { form: "NFD", text: text.normalize("NFD"), reason },
    { form: "upper case", text: text.toUpperCase(), reason: reason?.toUpperCase() },
  ]);
}

const PRESENT: Case[] = [
  { text: "có" }, { text: "co" }, { text: "Có ạ" }, { text: "dạ có ạ" }, { text: "da co a" },
  { text: "co mat" }, { text: "có mặt" }, { text: "tôi sẽ có mặt" }, { text: "em sẽ đến" },
  { text: "đi" }, { text: "tham dự" }, { text: "tham gia" }, { text: "ok" }, { text: "oke" },
  { text: "được" }, { text: "dc" }, { text: "đồng ý" }, { text: "vâng" }, { text: "vâng tôi đi" },
  { text: "👍" }, { text: "✅" }, { text: "👌" }, { text: "yes" }, { text: "co mat dung gio" },
  { text: "Dạ vâng, em sẽ có mặt đúng giờ ạ" }, { text: "đi được" }, { text: "👍🏻" }, { text: "✔️" },
  { text: "xin phép đến muộn một chút" }, { text: "vang, toi se di" }, { text: "da vang toi di" },
];

const ABSENT: Case[] = [
  { text: "vắng" }, { text: "vang" }, { text: "em xin vang a" }, { text: "em xin vắng ạ" }, { text: "vắng vì ốm", reason: "ốm" }, { text: "vang vi om", reason: "om" },
  { text: "xin phép vắng, đi công tác", reason: "đi công tác" }, { text: "ko" }, { text: "k" },
  { text: "không" }, { text: "khong" }, { text: "không đi được" }, { text: "ko di dc" },
  { text: "không tham dự được vì bận", reason: "bận" },
  { text: "bận việc gia đình", reason: "bận việc gia đình" }, { text: "em bận ạ", reason: "bận" },
  { text: "đi viện", reason: "đi viện" }, { text: "ốm", reason: "ốm" }, { text: "👎" }, { text: "❌" },
  { text: "xin vắng do con ốm", reason: "con ốm" },
  { text: "Cho tôi xin phép vắng mặt lý do: đi khám bệnh", reason: "đi khám bệnh" }, { text: "no" },
  { text: "bận, không đi được", reason: "bận" }, { text: "vì bận nên không đi được", reason: "bận" },
  { text: "Em xin phép vắng ạ, con ốm", reason: "con ốm" }, { text: "tôi đi không được" },
  { text: "có việc bận", reason: "có việc bận" }, { text: "vắng - tại đi làm ca đêm", reason: "đi làm ca đêm" },
  { text: "em không ạ" }, { text: "vắng ạ" }, { text: "em vang" }, { text: "vâng, em xin phép vắng ạ" },
];

const UNKNOWN: Case[] = [
  { text: "chưa biết" }, { text: "chua biet" }, { text: "có lẽ" }, { text: "co le" }, { text: "không biết" },
  { text: "khong biet" }, { text: "để xem" }, { text: "chưa chắc" }, { text: "có thể" }, { text: "maybe" },
  { text: "em sẽ cố gắng đến" }, { text: "có hoặc không" }, { text: "hello" }, { text: "abc" },
  { text: "[Sticker]" }, { text: "😊😊" }, { text: "dạ" }, { text: "chưa" }, { text: "đi Hà Nội" },
  { text: "có, nhưng em bận" }, { text: "no problem" }, { text: "vắng 👍" },
];

/**
 * How members type, many without diacritics and with abbreviations (ko, k, hok, dc, đc, e, di,
 * vang…). "Không vắng" is not absent: a "không" right before vắng or nghỉ negates the absence.
 * "Đâu" closing a negation stresses it; "dau" typed bare there is that "đâu", not đau (pain).
 */
const TYPED_PRESENT: Case[] = [
  { text: "không vắng" }, { text: "ko vắng" }, { text: "không vắng đâu" }, { text: "ko vang" }, { text: "k vắng đâu ạ" },
  { text: "em không vắng mặt" }, { text: "hok vang dau" }, { text: "không nghỉ" }, { text: "ko vắng, em đi được" },
  { text: "đi đươc" }, { text: "co mat nhe" }, { text: "di dc" }, { text: "e di dc" }, { text: "vẫn đi" },
];

const TYPED_ABSENT: Case[] = [
  { text: "ko đi dc đâu" }, { text: "không đi được đâu ạ" }, { text: "k đi đc" }, { text: "hok di dc" }, { text: "ko đi đươc" },
  { text: "ko di dau" }, { text: "không đâu" }, { text: "mai em ko đi đc đâu nhé" }, { text: "e ban", reason: "ban" },
  { text: "om", reason: "om" }, { text: "e bị ốm", reason: "bị ốm" }, { text: "ko di dc vi om", reason: "om" },
  { text: "k di dc, ban", reason: "ban" }, { text: "nghỉ ốm", reason: "ốm" }, { text: "không đi được đâu, bận", reason: "bận" },
  { text: "e ốm, k đi đc đâu", reason: "ốm" }, { text: "ko di dc dau lung", reason: "dau lung" },
];

const TYPED_UNKNOWN: Case[] = [
  { text: "không bận" }, { text: "ko vang, ban viec" }, { text: "chưa vắng" }, { text: "có vắng đâu" }, { text: "ko đau" },
  { text: "không đi đâu xa" }, { text: "ko vắng đâu?" }, { text: "không vắng à" }, { text: "vắng không" }, { text: "ko đi đâu?" },
];

const QUESTIONS: Case[] = [
  { text: "mấy giờ họp?" }, { text: "họp ở đâu" }, { text: "có họp không?" }, { text: "co hop ko" },
  { text: "có họp không ạ" }, { text: "đi được không" }, { text: "ok ko" }, { text: "họp chưa" },
  { text: "mai họp à" }, { text: "họp hả" }, { text: "bao giờ họp" }, { text: "em bận ạ, họp xong chưa?" },
];

describe("parseAttendanceReply", () => {
  it.each(spellings(PRESENT))("reads “$text” ($form) as present, with no reason", ({ text }) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "present" });
  });

  it.each(spellings(ABSENT))("reads “$text” ($form) as absent, reason: $reason", ({ text, reason }) => {
    const expected = reason === undefined ? { answer: "absent" } : { answer: "absent", reason };
    expect(parseAttendanceReply(text)).toStrictEqual(expected);
  });

  it.each(spellings(UNKNOWN))("does not guess an answer from “$text” ($form)", ({ text }) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "unknown" });
  });

  it.each(spellings(QUESTIONS))("treats the question “$text” ($form) as no answer", ({ text }) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "unknown" });
  });
});

describe("parseAttendanceReply on replies typed quickly, with negations", () => {
  it.each(spellings(TYPED_PRESENT))("reads “$text” ($form) as present", ({ text }) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "present" });
  });

  it.each(spellings(TYPED_ABSENT))("reads “$text” ($form) as absent, reason: $reason", ({ text, reason }) => {
    const expected = reason === undefined ? { answer: "absent" } : { answer: "absent", reason };
    expect(parseAttendanceReply(text)).toStrictEqual(expected);
  });

  it.each(spellings(TYPED_UNKNOWN))("does not guess an answer from “$text” ($form)", ({ text }) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "unknown" });
  });
});

describe("parseAttendanceReply with words that fold alike", () => {
  it.each([
    { text: "vâng", answer: "present" },
    { text: "vắng", answer: "absent" },
    { text: "vàng", answer: "unknown" },
    { text: "vang a", answer: "unknown" },
    { text: "da vang", answer: "unknown" },
    { text: "co vang", answer: "unknown" },
    { text: "cô", answer: "unknown" },
    { text: "dì", answer: "unknown" },
    { text: "bạn", answer: "unknown" },
    { text: "đuoc", answer: "present" },
  ])("reads “$text” as $answer by its diacritics or its company", ({ text, answer }) => {
    expect(parseAttendanceReply(text).answer).toBe(answer);
  });

  it.each(["khongkhi", "book", "okhla", "cobalt", "kokoro", "vangtrang", "dicho"])(
    "matches whole words only, so “%s” says nothing",
    (text) => {
      expect(parseAttendanceReply(text)).toStrictEqual({ answer: "unknown" });
    },
  );

  it("keeps the member's own spelling and spacing in the reason", () => {
    expect(parseAttendanceReply("  Xin vắng   DO  Con Ốm nặng ạ. ")).toStrictEqual({
      answer: "absent",
      reason: "Con Ốm nặng",
    });
  });
});

describe("parseAttendanceReply on odd input", () => {
  it.each(["", "   ", "\n\t", "???", "\uD800", "\u0000", "…", "--"])("answers unknown to %j without throwing", (text) => {
    expect(parseAttendanceReply(text)).toStrictEqual({ answer: "unknown" });
  });

  it("reads a 5,000-character reply", () => {
    const long = `${"xin phép chi bộ cho em trình bày ".repeat(200)}vắng vì ốm`.slice(-5000);
    expect(long.length).toBe(5000);
    expect(parseAttendanceReply(long)).toStrictEqual({ answer: "absent", reason: "ốm" });
  });

  it("answers unknown when called from plain JavaScript with a non-string", () => {
    expect(parseAttendanceReply(undefined as unknown as string)).toStrictEqual({ answer: "unknown" });
  });
});
