/**
 * Decoding a pressed button's payload. A payload is only data sent back by the platform and can be
 * forged (a Telegram callback, a typed OA query), so every feature decodes it strictly and answers
 * anything malformed with "this button no longer works" instead of passing it on to a query.
 */

/** Ids are Prisma `Int` columns (32-bit): a larger number names nothing and would fail the query. */
const MAX_ID = 2_147_483_647;
const DIGITS = /^[1-9][0-9]{0,9}$/;
const INDEX_DIGITS = /^(?:0|[1-9][0-9]{0,3})$/;

/** A database id written in plain digits (no sign, exponent, spaces or leading zero), or null. */
export function parseId(text: string | undefined): number | null {
  if (text === undefined || !DIGITS.test(text)) return null;
  const id = Number(text);
  return id <= MAX_ID ? id : null;
}

/** A small list index (0, 1, 2 …) written in plain digits, or null. */
export function parseIndex(text: string | undefined): number | null {
  return text !== undefined && INDEX_DIGITS.test(text) ? Number(text) : null;
}

/** The payload's `:`-separated parts when there are exactly `count` of them, else null. */
export function payloadParts(payload: string | undefined, count: number): string[] | null {
  const parts = (payload ?? "").split(":");
  return parts.length === count ? parts : null;
}
