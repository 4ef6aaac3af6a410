import { searchKey } from "./text.ts";

/** What a console search box held: a phone number (some of its digits) or a name. */
export type MemberQuery = { kind: "phone"; digits: string } | { kind: "name"; key: string };

/** Longer input is not a name or a number anyone types; it is cut rather than refused. */
export const MAX_QUERY_CHARS = 100;
/** Fewer digits than this match too many numbers to be a phone search. */
const MIN_PHONE_DIGITS = 3;

/**
 * Reads a search box: digits (with the spaces, dots and dashes people write numbers with, and +84
 * for the leading 0) search phone numbers; anything else searches names without diacritics, as
 * the `searchName` column holds them. Empty input searches nothing.
 */
export function readMemberQuery(text: string): MemberQuery | undefined {
  const typed = text.slice(0, MAX_QUERY_CHARS).trim();
  if (typed === "") return undefined;
  const compact = typed.replace(/[\s.\-()]/g, "");
  if (/^\+?\d+$/.test(compact)) {
    const digits = compact.replace(/^\+?84(?=\d{9,10}$)/, "0").replace(/^\+/, "");
    if (digits.length >= MIN_PHONE_DIGITS) return { kind: "phone", digits };
  }
  const key = searchKey(typed);
  return key === "" ? undefined : { kind: "name", key };
}

/** Kept visible at the end of a masked phone number: enough to tell two members apart on paper. */
const VISIBLE_PHONE_DIGITS = 3;

/** "0912345678" → "•••••••678": a printed sheet that may be left on a table shows no whole number. */
export function maskPhone(phone: string | null): string {
  if (!phone) return "";
  const hidden = Math.max(phone.length - VISIBLE_PHONE_DIGITS, 0);
  return "•".repeat(hidden) + phone.slice(hidden);
}
