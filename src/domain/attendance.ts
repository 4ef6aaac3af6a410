/**
 * Reads a member's free-text answer to "will you attend the cell meeting?".
 *
 * The reply is cut into tokens and each run of tokens is matched against attendanceWords.ts on
 * its folded form (no case, no diacritics, đ→d), while the original text is kept for the
 * reason. The answer is "unknown" whenever the reply asks, hesitates or contradicts itself:
 * a wrong "present" or "absent" misleads the secretary, an "unknown" only prompts a follow-up.
 */
import { EMOJI_SENSES, LEXICON, type Sense } from "./attendanceWords.ts";
import { cleanText, foldVietnamese } from "./text.ts";

export type AttendanceAnswer = "present" | "absent" | "unknown";

/**
 * After a meeting starts, members can no longer change their answer, but the secretary, deputies
 * and cell committee record who really came for this many days: someone who came without
 * answering, or stayed away after saying yes. Only then does the meeting count for absences.
 */
export const ROLL_CALL_CORRECTION_DAYS = 7;

/** When the roll call of a meeting that started at `startsAt` is final. */
export function rollCallClosesAt(startsAt: Date): Date {
  return new Date(startsAt.getTime() + ROLL_CALL_CORRECTION_DAYS * 86_400_000);
}

/** Before the start members answer; then the officers correct until the roll call is final. */
export type RollCallPhase = "before" | "correcting" | "closed";

export function rollCallPhase(startsAt: Date, now: Date): RollCallPhase {
  if (now.getTime() < startsAt.getTime()) return "before";
  return now.getTime() < rollCallClosesAt(startsAt).getTime() ? "correcting" : "closed";
}

/** What a word says: a sense of the lexicon, or "none" for a word it does not know. */
export type WordSense = Sense | "none";
type ItemSense = WordSense;
interface Token { raw: string; fold: string; toneless: boolean; start: number; end: number; kind: "word" | "emoji" | "mark" }
interface Item { sense: ItemSense; fold: string; start: number; end: number }
interface Entry { words: string[]; sense: Sense }

const TOKEN_PATTERN =
  /([\p{L}\p{M}\p{N}]+)|(\p{Extended_Pictographic}[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F\u200D]*)|([?？,，.;；:!！…/()[\]\-–—])/gu;

const INDEX = new Map<string, Entry[]>();
let MAX_PHRASE_WORDS = 1;
for (const [sense, phrases] of Object.entries(LEXICON) as [Sense, readonly string[]][]) {
  for (const phrase of phrases) {
    const words = phrase.normalize("NFC").toLowerCase().split(" ");
    const key = words.map(foldVietnamese).join(" ");
    INDEX.set(key, [...(INDEX.get(key) ?? []), { words, sense }]);
    MAX_PHRASE_WORDS = Math.max(MAX_PHRASE_WORDS, words.length);
  }
}

// Cut off the edges of a reason: what says "absent" (or "yes, but") rather than why.
const STATEMENT = new Set<ItemSense>([
  "polite", "separator", "connective", "absent", "excuse", "vang", "neg", "notyet", "ack", "present", "tail", "question",
]);
const LINKING = new Set<ItemSense>(["polite", "separator", "connective"]);

export function parseAttendanceReply(text: string): { answer: AttendanceAnswer; reason?: string } {
  if (typeof text !== "string") return { answer: "unknown" }; // callers in plain JS
  const clean = cleanText(text);
  const items = classify(tokenize(clean));
  const answer = decide(items);
  if (answer !== "absent") return { answer };
  const reason = extractReason(clean, items);
  return reason === undefined ? { answer } : { answer, reason };
}

/** A word, emoji or mark of a reply as the member wrote it, its folded form and what it says. */
export interface ReplyWord { sense: WordSense; text: string; fold: string }

/** The reply cut and read as parseAttendanceReply reads it, for a step that asked something else. */
export function readReplyWords(text: string): ReplyWord[] {
  if (typeof text !== "string") return [];
  const clean = cleanText(text);
  return classify(tokenize(clean)).map(({ sense, start, end }) => {
    const words = clean.slice(start, end);
    return { sense, text: words, fold: foldVietnamese(words) };
  });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const raw = match[0].toLowerCase();
    const fold = foldVietnamese(raw);
    const kind = match[1] ? "word" : match[2] ? "emoji" : "mark";
    const start = match.index;
    tokens.push({ raw, fold, toneless: raw.replace(/đ/g, "d") === fold, start, end: start + match[0].length, kind });
  }
  return tokens;
}

function classify(tokens: Token[]): Item[] {
  const items: Item[] = [];
  let negated = false; // a "không" earlier in this clause
  for (let at = 0; at < tokens.length; ) {
    const token = tokens[at]!;
    let match = token.kind === "word" ? longestPhrase(tokens, at) : undefined;
    // Closing a negation, "đâu" (or "dau") stresses it and asks nothing: "ko đi dc đâu", "ko vắng đâu ạ".
    if (negated && isStressingDau(token) && endsClause(tokens, at + 1)) match = { sense: "polite", length: 1 };
    else if (negated && match?.length === 2 && isStressingDau(tokens[at + 1]!) && endsClause(tokens, at + 2)) {
      match = longestPhrase(tokens.slice(at, at + 1), 0); // "không đi đâu": "đi", then the stress
    }
    const length = match?.length ?? 1;
    const last = tokens[at + length - 1]!;
    const sense = match?.sense ?? senseOfSymbol(token);
    items.push({ sense, fold: token.fold, start: token.start, end: last.end });
    if (sense === "neg") negated = true;
    else if (sense === "separator" || sense === "connective") negated = false;
    at += length;
  }
  // "đi" alone or before a particle is "I'll go"; before an unknown word it is some other trip.
  return items.map((item, k) =>
    item.sense !== "go" ? item : { ...item, sense: items[k + 1]?.sense === "none" ? "none" : "present" },
  );
}

/** "đâu", or "dau" typed bare (đau, "pain", is typed with its tone when it means that). */
const isStressingDau = (token: Token) => token.raw === "đâu" || token.raw === "dau";

/** Only politeness (or emoji) from `at` to the end of the clause: a mark, "nhưng", "vì"… */
function endsClause(tokens: Token[], at: number): boolean {
  for (let k = at; k < tokens.length; ) {
    if (tokens[k]!.kind === "mark") return true;
    if (tokens[k]!.kind === "emoji") {
      k++;
      continue;
    }
    const match = longestPhrase(tokens, k);
    if (match?.sense === "separator" || match?.sense === "connective") return true;
    if (match?.sense !== "polite") return false;
    k += match.length;
  }
  return true;
}

function senseOfSymbol(token: Token): ItemSense {
  if (token.kind === "emoji") return EMOJI_SENSES[String.fromCodePoint(token.raw.codePointAt(0)!)] ?? "filler";
  if (token.kind === "mark") return token.raw === "?" || token.raw === "？" ? "question" : "separator";
  return "none";
}

function longestPhrase(tokens: Token[], at: number): { sense: Sense; length: number } | undefined {
  for (let length = Math.min(MAX_PHRASE_WORDS, tokens.length - at); length >= 1; length--) {
    const window = tokens.slice(at, at + length);
    if (window.some((token) => token.kind !== "word")) continue;
    const entries = INDEX.get(window.map((token) => token.fold).join(" "));
    if (!entries) continue;
    const exact = entries.find((entry) => entry.words.every((word, k) => window[k]!.raw === word));
    if (exact) return { sense: exact.sense, length };
    // A word typed without tones fits every spelling that folds like it, if they agree.
    const fits = entries.filter((entry) => entry.words.every((word, k) => window[k]!.raw === word || window[k]!.toneless));
    const senses = new Set(fits.map((entry) => entry.sense));
    if (senses.size === 1) return { sense: fits[0]!.sense, length };
  }
  return undefined;
}

function decide(items: Item[]): AttendanceAnswer {
  if (isQuestion(items) || items.some((item) => item.sense === "unsure")) return "unknown";
  const signals = collectSignals(items);
  if (signals.ambiguous) return "unknown";
  // "xin phép" with a firm yes asks leave for something else: "xin phép đến muộn".
  let absent = signals.absent > 0 || (signals.excuse > 0 && signals.strong === 0);
  const present = signals.strong + signals.ack > 0;
  if (signals.bareVang > 0 && !absent) {
    const reading = readBareVang(items, present);
    if (reading !== "absent") return reading;
    absent = true;
  }
  // An acknowledgement before an absence is manners ("vâng, em xin vắng"); a firm yes is a contradiction.
  if (absent) return signals.strong > 0 ? "unknown" : "absent";
  return present ? "present" : "unknown";
}

/**
 * A question asks with "?" or a question word, or ends in a question particle. "không", "ko",
 * "chưa" close a yes/no question ("có họp không") only after a word that is not mere politeness:
 * "em không ạ" and "không" alone answer no.
 */
function isQuestion(items: Item[]): boolean {
  if (items.some((item) => item.sense === "question")) return true;
  const lastIndex = items.findLastIndex((item) => item.sense !== "separator" && item.sense !== "polite");
  const last = items[lastIndex];
  if (last?.sense === "tail") return true;
  if (last?.sense !== "neg" && last?.sense !== "notyet") return false;
  const before = items[lastIndex - 1];
  return before !== undefined && !LINKING.has(before.sense);
}

interface Signals { strong: number; ack: number; absent: number; excuse: number; bareVang: number; ambiguous: boolean }

/** Negation reaches across its clause ("tôi đi không được"), never past a comma or a "vì". */
function collectSignals(items: Item[]): Signals {
  const signals: Signals = { strong: 0, ack: 0, absent: 0, excuse: 0, bareVang: 0, ambiguous: false };
  for (const clause of splitClauses(items)) {
    const count = (...senses: ItemSense[]) => clause.filter((item) => senses.includes(item.sense)).length;
    const negated = count("neg", "notyet") > 0;
    const yes = count("present", "ack");
    // "không vắng", "ko vắng đâu": not absent, unless a cause or another "không" muddles it.
    if (negatesAbsence(clause)) {
      if (count("cause", "excuse") > 0 || count("neg", "notyet") > 1) signals.ambiguous = true;
      else signals.strong++;
    } else if (negated && yes > 0) signals.absent++;
    // "không bận", "chưa vắng": a double negative is too rare to trust.
    else if (negated && count("absent", "cause", "excuse", "vang") > 0) signals.ambiguous = true;
    // A bare "không" is a no; "không vấn đề gì" is about something else.
    else if (count("neg") > 0 && count("none") === 0) signals.absent++;
    else {
      signals.strong += count("present");
      signals.ack += count("ack");
      signals.absent += count("absent", "cause");
      signals.excuse += count("excuse");
      signals.bareVang += count("vang");
    }
  }
  return signals;
}

/** A "không" (not "chưa") right before vắng or nghỉ, politeness between them allowed. */
function negatesAbsence(clause: Item[]): boolean {
  return clause.some((item, k) => {
    if (item.sense !== "neg") return false;
    const next = clause.slice(k + 1).find((other) => other.sense !== "polite");
    return next?.sense === "absent" || next?.sense === "vang";
  });
}

function splitClauses(items: Item[]): Item[][] {
  const clauses: Item[][] = [[]];
  for (const item of items) {
    if (item.sense === "separator" || item.sense === "connective") clauses.push([]);
    else clauses[clauses.length - 1]!.push(item);
  }
  return clauses;
}

/**
 * "vang" without diacritics is vắng (absent) or vâng (yes). Members who skip diacritics type
 * "vang" to say absent far more than to say yes, so alone it is absent. It is vâng when it opens
 * a reply that goes on to say yes ("vang, toi se di"); it is unreadable beside another yes
 * ("co vang") or beside dạ/ạ, which pair with vâng as often as with vắng ("vang a", "da vang"),
 * unless the member asks leave ("em xin vang a").
 */
function readBareVang(items: Item[], present: boolean): AttendanceAnswer {
  const opening = items.find((item) => item.sense !== "polite" && item.sense !== "separator");
  if (present) return opening?.sense === "vang" ? "present" : "unknown";
  // "xin vang" is only ever "xin vắng" (asking leave): nobody writes "xin vâng".
  const askingLeave = items.some((item) => item.fold === "xin" || item.sense === "excuse");
  const courteous = items.some((item) => item.sense === "polite" && (item.fold === "da" || item.fold === "a"));
  return courteous && !askingLeave ? "unknown" : "absent";
}

/**
 * The reason is the member's words after "vì/do/lý do", or else the reply without its absence
 * statement and politeness ("bận, không đi được" → "bận"), kept only if it names a cause.
 */
function extractReason(text: string, items: Item[]): string | undefined {
  const connective = items.findIndex((item) => item.sense === "connective");
  if (connective >= 0) {
    const words = trim(items.slice(connective + 1), LINKING);
    if (words.length > 0) return text.slice(words[0]!.start, words[words.length - 1]!.end);
  }
  const words = trim(items, STATEMENT);
  if (!words.some((item) => item.sense === "cause")) return undefined;
  return text.slice(words[0]!.start, words[words.length - 1]!.end);
}

function trim(items: Item[], leading: ReadonlySet<ItemSense>): Item[] {
  let from = 0;
  let to = items.length;
  while (from < to && leading.has(items[from]!.sense)) from++;
  while (to > from && STATEMENT.has(items[to - 1]!.sense)) to--;
  return items.slice(from, to);
}
