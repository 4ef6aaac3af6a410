import { formatReference, referencePrefix, referenceSequence, referenceYear } from "../domain/feedback.ts";
import { pathIds } from "../domain/organization.ts";
import type { DbClient, Tx } from "../storage/database.ts";

/**
 * References ("GY-2026-000042") are numbered per top organization and year: a province's numbers
 * say nothing of another's activity (nor of the demo's next to a real one). So a reference alone
 * names no item; it does within one top organization.
 */

/** The top organization whose numbering an item from this cell belongs to: the first id of its path. */
export function topOrganizationOf(cell: { id: number; path: string }): number {
  return pathIds(cell.path)[0] ?? cell.id;
}

/** The counter (a Sequence row) of one top organization's references in one year. */
export const referenceCounterKey = (topOrganizationId: number, year: number): string => `feedback:${topOrganizationId}:${year}`;

/**
 * Takes the next reference of the top organization's year, in the caller's transaction. The
 * counter is advanced by one UPDATE before anything is read: on SQLite that takes the database's
 * write lock, on PostgreSQL the counter row's lock, either held until the transaction ends, so no
 * two submissions get the same number and a number is never given again, even if its item goes.
 *
 * A counter that does not exist yet starts after the largest reference already stored in its
 * scope (databases numbered before counters existed carry their old numbers). With `resync` (a
 * retry after the number turned out taken) the counter is also moved past that largest reference.
 */
export async function takeReference(tx: Tx, topOrganizationId: number, now: Date, options: { resync?: boolean } = {}): Promise<string> {
  const year = referenceYear(now);
  const key = referenceCounterKey(topOrganizationId, year);
  const advanced = await tx.sequence.updateMany({ where: { key }, data: { value: { increment: 1 } } });
  const counted = advanced.count === 1 ? (await tx.sequence.findUniqueOrThrow({ where: { key } })).value : null;
  if (counted !== null && !options.resync) return formatReference(year, counted);
  const value = Math.max(counted ?? 0, (await largestInScope(tx, topOrganizationId, year)) + 1);
  // Two first submissions at once on PostgreSQL: the second create is refused as a duplicate, and
  // the submission is tried again, finding the counter this time.
  if (counted === null) await tx.sequence.create({ data: { key, value } });
  else if (value !== counted) await tx.sequence.update({ where: { key }, data: { value } });
  return formatReference(year, value);
}

async function largestInScope(client: DbClient, topOrganizationId: number, year: number): Promise<number> {
  // Six zero-padded digits sort as text, so the greatest reference holds the greatest number.
  const last = await client.feedback.findFirst({
    where: { topOrganizationId, reference: { startsWith: referencePrefix(year) } },
    orderBy: { reference: "desc" },
    select: { reference: true },
  });
  return referenceSequence(last?.reference, year);
}
