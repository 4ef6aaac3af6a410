import { parsed, refused, type Parsed } from "./types.ts";

const MOBILE = /^0[35789]\d{8}$/;
/** Landlines since 2017: area code 02x, 10 or 11 digits in all. */
const LANDLINE = /^02\d{8,9}$/;
/** Characters people put inside one number: "0912 345 678", "091.234.5678", "(024) 3825-1234". */
const SEPARATORS = /[\s.\-()]/g;
/** Two numbers in one cell, however written, make at least this many digits. */
const SEVERAL_NUMBERS_DIGITS = 18;

/**
 * Reads a phone cell into "0xxxxxxxxx"; an empty cell is null (elderly members often have no
 * phone). Restores the leading 0 that Excel drops when a number is typed as a number.
 */
export function normalizePhone(text: string): Parsed<string | null> {
  const value = text.trim();
  if (value === "") return parsed(null);
  const stripped = value.replace(SEPARATORS, "");
  if (/[,;/]/.test(value) || stripped.replace(/\D/g, "").length >= SEVERAL_NUMBERS_DIGITS) {
    return refused("import:severalPhones", { value });
  }
  if (!/^\+?\d+$/.test(stripped)) return refused("import:invalidPhone", { value });
  let digits = stripped.replace(/^(\+|00)84/, "0").replace(/^00(?=[1-9])/, "0");
  if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`;
  // Excel keeps 912345678 for 0912345678, and 2438251234 for the landline 02438251234.
  if (/^[35789]\d{8}$/.test(digits) || /^2\d{8,9}$/.test(digits)) digits = `0${digits}`;
  if (MOBILE.test(digits) || LANDLINE.test(digits)) return parsed(digits);
  return refused("import:invalidPhone", { value });
}
