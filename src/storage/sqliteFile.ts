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

/** Only chibo's own user may read the database: it holds members' political affiliation. */
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates the folder that will hold the database file, so a fresh clone starts without setup; a
 * folder chibo creates is readable by its user only (an existing one is the operator's choice).
 */
export function ensureParentFolder(filePath: string): void {
  const folder = path.dirname(filePath);
  if (!fs.existsSync(folder)) fs.mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
}

/**
 * Makes the database file (created empty if missing: SQLite takes an empty file as a new
 * database) and its journal files readable and writable by chibo's user only. SQLite gives the
 * journal files it creates later the database file's mode. A file of another owner is left as it
 * is (chmod would fail): the operator set it up that way.
 */
export function restrictDatabaseFile(filePath: string): void {
  try {
    fs.writeFileSync(filePath, "", { flag: "wx", mode: FILE_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  for (const file of [filePath, `${filePath}-wal`, `${filePath}-shm`]) {
    try {
      const stat = fs.statSync(file);
      if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) fs.chmodSync(file, FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
