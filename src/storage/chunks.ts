/**
 * How many values one SQL statement may bind. Prisma refuses a statement past it with P2029 ("The
 * query parameter limit supported by your database is exceeded"): 999 on SQLite (PostgreSQL takes
 * 32,766 through Prisma). A list that grows with the data — members, chats, items, meetings, cells,
 * rows of a file — is bound a chunk per statement, or better joined in the database.
 *
 * Prisma 6.19's query compiler splits some statements itself: createMany, the loading of a
 * relation (`include`, a nested `select`) and a findMany filtered by nothing but one `in`. It does
 * not split an `in` beside another filter or an orderBy, nor count, updateMany, deleteMany, `notIn`
 * or raw SQL: one more filter on a query that works today would make it fail at 997 ids. So a list
 * of ids goes through inChunks (or becomes a join), whatever Prisma would make of it.
 */
export const SQL_PARAMS_PER_STATEMENT = 999;

/** Room kept for a statement's own values (filters, dates) beside the list it binds. */
const PARAMS_KEPT_FOR_FILTERS = 99;

/** The longest list of values one statement binds. */
export const VALUES_PER_STATEMENT = SQL_PARAMS_PER_STATEMENT - PARAMS_KEPT_FOR_FILTERS;

/** The list in consecutive chunks of at most `size` (the last may be shorter; none for an empty list). */
export function chunked<T>(items: readonly T[], size = VALUES_PER_STATEMENT): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** How many rows of `columns` values one multi-row INSERT (or createMany call) may carry. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns));
}

/**
 * Runs `query` on each chunk of `items` and returns the results in chunk order, concatenated. The
 * chunks run one after another, so it works inside an interactive transaction (whose client takes
 * one statement at a time) and never holds more than one chunk's rows in flight. An empty list runs
 * no query. A caller that needs one global order sorts the result: each chunk comes back in its own.
 */
export async function inChunks<T, R>(items: readonly T[], query: (chunk: T[]) => Promise<R[]>, size = VALUES_PER_STATEMENT): Promise<R[]> {
  const results: R[] = [];
  for (const chunk of chunked(items, size)) {
    for (const row of await query(chunk)) results.push(row);
  }
  return results;
}
