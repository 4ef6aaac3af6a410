import crypto from "node:crypto";
import { DomainError } from "./errors.ts";

/** No 0/O, 1/I/L: codes are read aloud and typed by elderly members on small keyboards. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const INVITE_CODE_LENGTH = 8;

/** A fresh random code like "K7MQ-4TXA" (the dash is only for reading). */
export function generateInviteCode(random: (size: number) => Buffer = crypto.randomBytes): string {
  const bytes = random(INVITE_CODE_LENGTH);
  let code = "";
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) code += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed, in the canonical form (upper case, no spaces or dashes); undefined when no code can be that. */
function canonicalCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  return code.length === INVITE_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/** What a person typed, in the canonical form: upper case, no spaces or dashes. */
export function normalizeInviteCode(typed: string): string {
  const code = canonicalCode(typed);
  if (!code) throw new DomainError("invite:malformed");
  return code;
}

/** Only the hash is stored: a copy of the database cannot be used to link someone's chat. */
export function hashInviteCode(typed: string): string {
  return crypto.createHash("sha256").update(normalizeInviteCode(typed)).digest("hex");
}

/**
 * A message that is nothing but a code ("K7MQ-4TXA", "k7mq 4txa", "K7MQ4TXA"), so a person may
 * send the code alone, without /start. Only characters a code can have count (two words such as
 * "good luck" or "2024 2025" have an O, L, 0 or 1 and are words), and eight letters in one piece
 * with no digit are taken for a word.
 */
export function looksLikeInviteCode(text: string): boolean {
  const typed = text.trim();
  return /^[a-z0-9]{4}[\s-]?[a-z0-9]{4}$/i.test(typed) && /[\d\s-]/.test(typed) && canonicalCode(typed) !== undefined;
}
