import type { Db } from "../../src/storage/database.ts";

/** The forms a text may take in a stored value: as written, and escaped inside JSON either way. */
function formsOf(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const ascii = json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [...new Set([text, json, ascii])];
}

/**
 * Every "Table.column" of the database whose stored value holds `text`, read with plain SQL from
 * every table, so a copy kept anywhere (a payload, a draft, a queued message) is found.
 */
export async function columnsHolding(db: Db, text: string): Promise<string[]> {
  const forms = formsOf(text);
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  const found = new Set<string>();
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}"`);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const stored = typeof value === "string" ? value : value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : null;
        if (stored !== null && forms.some((form) => stored.includes(form))) found.add(`${name}.${column}`);
      }
    }
  }
  return [...found];
}
