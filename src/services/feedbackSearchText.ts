import { searchKey } from "../domain/text.ts";
import type { Db } from "../storage/database.ts";

const BATCH = 500;

/**
 * Folds the text of feedback stored before `searchText` existed (or written without it), so the
 * console's search finds it typed without diacritics. Runs at start; a few hundred rows at a time,
 * and nothing to do once every item has its folded text.
 */
export async function foldFeedbackSearchText(db: Db): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db.feedback.findMany({ where: { searchText: "", NOT: { text: "" } }, select: { id: true, text: true }, take: BATCH });
    if (rows.length === 0) return done;
    await db.$transaction(rows.map((row) => db.feedback.update({ where: { id: row.id }, data: { searchText: searchKey(row.text) || " " } })));
    done += rows.length;
  }
}
