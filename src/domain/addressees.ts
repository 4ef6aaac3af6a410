import { DomainError } from "./errors.ts";
import { cleanText, searchKey } from "./text.ts";

/**
 * To whom a member's "phản ánh, góp ý" goes. Since July 2025 a cell's feedback goes to its commune
 * (the party committee, the people's council, the people's committee, the Fatherland Front
 * committee) or, through the commune, to the province. Each organization may keep its own list,
 * inherited by its subtree; "agency" (a body the member names) is always offered last.
 */
export const DEFAULT_ADDRESSEE_KEYS = ["party_committee", "peoples_council", "peoples_committee", "fatherland_front", "province"] as const;
export type DefaultAddresseeKey = (typeof DEFAULT_ADDRESSEE_KEYS)[number];
/** The member types the body's name. */
export const AGENCY = "agency";

/** One entry of a list: a default body (named by its key in the reader's language) or an organization's own, with its name. */
export interface AddresseeEntry {
  key: string;
  name?: string;
}

export const MAX_ADDRESSEES = 10;
export const MAX_ADDRESSEE_NAME_LENGTH = 120;
/** Keys go into button payloads ("gy:to:<key>", 64 bytes on Telegram). */
const MAX_KEY_LENGTH = 40;

export const DEFAULT_ADDRESSEES: readonly AddresseeEntry[] = DEFAULT_ADDRESSEE_KEYS.map((key) => ({ key }));

export const isDefaultAddressee = (key: string): key is DefaultAddresseeKey => (DEFAULT_ADDRESSEE_KEYS as readonly string[]).includes(key);

/** The stored list, or null when the stored text is not a list of entries (then the inherited one applies). */
export function addresseesFrom(stored: string | null | undefined): AddresseeEntry[] | null {
  if (!stored) return null;
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return null;
    const entries = parsed.filter((e): e is AddresseeEntry => typeof e === "object" && e !== null && typeof (e as AddresseeEntry).key === "string"
      && ((e as AddresseeEntry).name === undefined || typeof (e as AddresseeEntry).name === "string"));
    return entries.length === parsed.length ? entries : null;
  } catch {
    return null;
  }
}

/** The list with an organization's own body added (its key made from its name), or a refusal. */
export function addAddressee(list: readonly AddresseeEntry[], name: string): AddresseeEntry[] {
  const clean = cleanText(name);
  if (!/\p{L}/u.test(clean)) throw new DomainError("org:addresseeNameRequired");
  if ([...clean].length > MAX_ADDRESSEE_NAME_LENGTH) throw new DomainError("org:addresseeNameTooLong", { max: MAX_ADDRESSEE_NAME_LENGTH });
  if (list.length >= MAX_ADDRESSEES) throw new DomainError("org:tooManyAddressees", { max: MAX_ADDRESSEES });
  const base = searchKey(clean).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, MAX_KEY_LENGTH - 3) || "body";
  let key = base;
  for (let n = 2; list.some((e) => e.key === key) || isDefaultAddressee(key) || key === AGENCY; n++) key = `${base}-${n}`;
  if (list.some((e) => e.name !== undefined && searchKey(e.name) === searchKey(clean))) throw new DomainError("org:addresseeExists", { name: clean });
  return [...list, { key, name: clean }];
}

/** The list without the entry of that key (a default one may be removed too), or a refusal. */
export function removeAddressee(list: readonly AddresseeEntry[], key: string): AddresseeEntry[] {
  const next = list.filter((e) => e.key !== key);
  if (next.length === list.length) throw new DomainError("org:addresseeNotFound", { key, keys: list.map((e) => e.key).join(", ") });
  if (next.length === 0) throw new DomainError("org:addresseeListEmpty");
  return next;
}

/** The entry of a key in a list (agency is always there), or null. */
export function findAddressee(list: readonly AddresseeEntry[], key: string): AddresseeEntry | null {
  if (key === AGENCY) return { key: AGENCY };
  return list.find((e) => e.key === key) ?? null;
}
