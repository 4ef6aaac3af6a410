import { addDays, formatIsoDate, type LocalDate } from "../domain/localTime.ts";
import { searchKey } from "../domain/text.ts";
import type { Tx } from "../storage/database.ts";
import { FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE, pick } from "./demoData.ts";

/** The roles of the n-th member of a demo cell: the first three are its officers. */
export const demoRoles = (i: number): string[] => ["member", ...(i === 0 ? ["secretary"] : i === 1 ? ["deputy_secretary"] : i === 2 ? ["committee_member"] : [])];

/**
 * One invented member of a demo cell, as a Member row: a realistic name, an age by the cell's
 * kind, the last member of each cell still probationary, the oldest without a phone (their
 * secretary answers for them) and exempt, temporarily or for good.
 */
export function demoPerson(input: {
  random: () => number; kind: string; i: number; size: number; serial: number; today: LocalDate; phonePrefix: string; cellId: number;
  /** The search keys of the demo's names so far; this member's is added. */
  taken: Set<string>;
}) {
  const { random, kind, i, size, serial, today } = input;
  const female = random() < (kind === "school" ? 0.7 : 0.45);
  const middles = female ? MIDDLE_NAMES_FEMALE : MIDDLE_NAMES_MALE;
  const givens = female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE;
  const [family, middle, given] = [pick(FAMILY_NAMES, random), pick(middles, random), pick(givens, random)];
  const fullName = uniqueName(input.taken, { family, middle, given }, middles, givens);
  const working = kind !== "village";
  // Officers are of working age; village cells are older (many retired members live there).
  const age = i < 3 ? 35 + Math.floor(random() * 20) : working ? 24 + Math.floor(random() * 36) : 28 + Math.floor(random() * 62);
  const probationary = i === size - 1;
  const admitted: LocalDate = probationary ? addDays(today, -200 - (serial % 150)) : { year: today.year - Math.min(age - 20, 5 + (i % 30) * 2), month: 1 + (i % 12), day: 3 + (i % 25) };
  const exemption = age > 85 ? "exempt" : age > 78 ? "temporary" : "none";
  return {
    fullName,
    searchName: searchKey(fullName),
    phone: age > 75 ? null : `${input.phonePrefix}${String(serial).padStart(10 - input.phonePrefix.length, "0")}`,
    birthDate: formatIsoDate({ year: today.year - age, month: 1 + (serial % 12), day: 1 + (serial % 28) }),
    status: probationary ? "probationary" : "full",
    admittedOn: formatIsoDate(admitted),
    fullMembershipOn: probationary ? null : formatIsoDate({ ...admitted, year: admitted.year + 1 }),
    exemption,
    exemptionReason: exemption === "none" ? null : "Sức khỏe yếu, tuổi cao",
    exemptionFrom: exemption === "none" ? null : formatIsoDate({ year: today.year, month: 1, day: 1 }),
    exemptionUntil: exemption === "temporary" ? formatIsoDate({ year: today.year, month: 12, day: 31 }) : null,
    cellId: input.cellId,
  };
}

/**
 * The name drawn, or when the demo has it already (by its search key: two "Lý Văn Long" cannot
 * be told apart in a picker or a search) the next free given name, then the next middle name
 * with each given name. No draw is added, so every later member stays as it was.
 */
function uniqueName(taken: Set<string>, drawn: { family: string; middle: string; given: string }, middles: readonly string[], givens: readonly string[]): string {
  const { family, middle, given } = drawn;
  const from = (list: readonly string[], first: string) => [...list.slice(list.indexOf(first)), ...list.slice(0, list.indexOf(first))];
  for (const m of [...new Set(from(middles, middle))]) {
    for (const g of [...new Set(from(givens, given))]) {
      const name = `${family} ${m} ${g}`;
      if (!taken.has(searchKey(name))) {
        taken.add(searchKey(name));
        return name;
      }
    }
  }
  // Every combination of this family name is taken (never at the demo's size): a number tells them apart.
  let n = 2;
  while (taken.has(searchKey(`${family} ${middle} ${given} ${n}`))) n++;
  taken.add(searchKey(`${family} ${middle} ${given} ${n}`));
  return `${family} ${middle} ${given} ${n}`;
}

/** The search keys of the names the demo province already holds, so a second demo repeats none. */
export async function demoNamesTaken(tx: Tx, provinceCode: string): Promise<Set<string>> {
  const province = await tx.organization.findUnique({ where: { code: provinceCode }, select: { path: true } });
  if (!province) return new Set();
  const members = await tx.member.findMany({ where: { cell: { path: { startsWith: province.path } } }, select: { searchName: true } });
  return new Set(members.map((m) => m.searchName));
}

