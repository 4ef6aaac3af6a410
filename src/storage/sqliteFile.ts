import fs from "node:fs";
import path from "node:path";

/** The file path of a "file:" SQLite URL, resolved against the working directory. */
export function sqlitePathFromUrl(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`Unsupported DATABASE_URL "${databaseUrl}": expected "file:<path>"`);
  }
  const raw = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  return path.resolve(raw);
}

/** Creates the folder that will hold the database file, so a fresh clone starts without setup. */
export function ensureParentFolder(filePath: string): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
}
