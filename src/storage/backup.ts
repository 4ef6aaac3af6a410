import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { DomainError } from "../domain/errors.ts";
import { listMigrations } from "./migrate.ts";
import { ensureParentFolder } from "./sqliteFile.ts";

/** A backup holds every member's party data: only chibo's user may read it. */
const BACKUP_MODE = 0o600;
const SQLITE_MODULE = createRequire(import.meta.url).resolve("better-sqlite3");

/**
 * `VACUUM INTO` copies the database as it stands when its read transaction begins: every row
 * committed before that is in the copy, nothing committed after is, and writers go on meanwhile
 * (WAL). It runs on a connection of its own in a worker thread, so a running chibo keeps
 * answering while a large database is copied. The copy is compact and holds no freed pages.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.sqliteModule);
const db = new Database(workerData.source, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
try { db.prepare("VACUUM INTO ?").run(workerData.target); } finally { db.close(); }
`;

export interface BackupOptions {
  /** The database file chibo uses. */
  source: string;
  target: string;
  /** Replace a file already at `target`; without it such a file is refused. */
  force?: boolean;
  busyTimeoutMs?: number;
}

/** Writes a consistent copy of the database to `target`, readable by chibo's user only. Returns its size in bytes. */
export async function backupDatabase(options: BackupOptions): Promise<number> {
  const { source, target } = options;
  if (!isFile(source)) throw new DomainError("cli:backupNoDatabase", { file: source });
  if (!options.force && fs.existsSync(target)) throw new DomainError("cli:backupExists", { file: target });
  const folder = path.dirname(target);
  if (!fs.existsSync(folder)) throw new DomainError("cli:backupNoFolder", { folder });
  // Written beside the target and renamed into place: a crash never leaves half a backup under its name.
  const partial = `${target}.partial-${crypto.randomBytes(4).toString("hex")}`;
  // SQLite takes an empty file for VACUUM INTO and keeps its mode: the copy is never readable by others.
  fs.writeFileSync(partial, "", { mode: BACKUP_MODE, flag: "wx" });
  try {
    await runWorker({ sqliteModule: SQLITE_MODULE, source, target: partial, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
    // VACUUM INTO does not sync what it wrote.
    syncFile(partial);
    if (options.force) fs.renameSync(partial, target);
    else placeNew(partial, target);
    syncFolder(folder);
    return fs.statSync(target).size;
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** What a restore found in the backup, against the migrations this chibo knows. */
export interface RestoreReport {
  /** Where the database that was replaced now is (none when there was no database yet). */
  keptAs?: string;
  /** Migrations this chibo has that the backup lacks: applied at the next start. */
  pendingMigrations: number;
}

export interface RestoreOptions {
  backup: string;
  /** The database file chibo uses. */
  target: string;
  now: Date;
}

/**
 * Puts a backup in place of the database, after checking that it is an intact chibo database this
 * chibo can run, and that nothing has the database open. The replaced database is kept beside it.
 */
export function restoreDatabase(options: RestoreOptions): RestoreReport {
  const { backup, target } = options;
  if (!isFile(backup)) throw new DomainError("cli:restoreNoFile", { file: backup });
  ensureParentFolder(target);
  // The checks run on the very bytes that are put in place: a private copy beside the database.
  const incoming = `${target}.restoring-${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(incoming, "", { mode: BACKUP_MODE, flag: "wx" });
  try {
    fs.copyFileSync(backup, incoming);
    fs.chmodSync(incoming, BACKUP_MODE);
    const pendingMigrations = checkBackup(incoming, backup);
    syncFile(incoming);
    const keptAs = setAside(target, options.now);
    fs.renameSync(incoming, target);
    syncFolder(path.dirname(target));
    return { keptAs, pendingMigrations };
  } finally {
    fs.rmSync(incoming, { force: true });
    for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${incoming}${suffix}`, { force: true });
  }
}

/** Refuses a file that is not an intact chibo database, or one written by a newer chibo; returns the migrations it lacks. */
function checkBackup(file: string, shownAs: string): number {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    throw new DomainError("cli:restoreNotDatabase", { file: shownAs });
  }
  try {
    let integrity: string[];
    try {
      integrity = (db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[]).map((row) => row.integrity_check);
    } catch (error) {
      // A file of another kind has no SQLite header; a SQLite file can be too damaged to check at all.
      const code = (error as { code?: string }).code;
      if (code === "SQLITE_NOTADB") throw new DomainError("cli:restoreNotDatabase", { file: shownAs });
      throw new DomainError("cli:restoreDamaged", { file: shownAs, detail: (error as Error).message });
    }
    if (integrity.length !== 1 || integrity[0] !== "ok") {
      throw new DomainError("cli:restoreDamaged", { file: shownAs, detail: integrity.slice(0, 3).join("; ") });
    }
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!hasTable) throw new DomainError("cli:restoreNotChibo", { file: shownAs });
    const applied = db.prepare(`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all().map((row) => (row as { name: string }).name);
    const known = listMigrations().map((m) => m.name);
    const unknown = applied.filter((name) => !known.includes(name));
    if (unknown.length > 0) throw new DomainError("cli:restoreNewer", { file: shownAs, migrations: unknown.join(", ") });
    if (applied.length === 0) throw new DomainError("cli:restoreNotChibo", { file: shownAs });
    return known.filter((name) => !applied.includes(name)).length;
  } finally {
    db.close();
  }
}

/**
 * Moves the current database aside as `<file>.before-restore-<time>`, refusing while anything has
 * it open. Leaving WAL mode needs every other connection closed, and a running chibo (or another
 * admin command) keeps one open, so it is the test; it also folds the WAL into the file kept.
 * Returns where it went; nothing when there was no database.
 */
function setAside(target: string, now: Date): string | undefined {
  const keptAs = `${target}.before-restore-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
  const exists = fs.existsSync(target);
  if (exists) checkNotInUse(target);
  if (fs.existsSync(keptAs)) throw new DomainError("cli:backupExists", { file: keptAs });
  if (exists) fs.renameSync(target, keptAs);
  // Leaving WAL mode removed these; one left without its database (or a journal of another kind)
  // must never be applied to the restored file.
  for (const suffix of ["-wal", "-shm", "-journal"]) {
    if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${keptAs}${suffix}`);
  }
  return exists ? keptAs : undefined;
}

function checkNotInUse(target: string): void {
  const db = new Database(target, { timeout: 0 });
  try {
    let mode: unknown;
    try {
      mode = db.pragma("journal_mode = DELETE", { simple: true });
    } catch (error) {
      // A damaged file is nobody's database to be in use: it is kept aside like any other.
      const code = (error as { code?: string }).code;
      mode = code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" ? "delete" : undefined;
    }
    if (mode !== "delete") throw new DomainError("cli:restoreInUse", { file: target });
  } finally {
    db.close();
  }
}

function runWorker(workerData: { sqliteModule: string; source: string; target: string; busyTimeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`backup worker stopped with code ${code}`))));
  });
}

/** Links the finished copy under its name, failing if a file appeared there meanwhile. */
function placeNew(partial: string, target: string): void {
  try {
    fs.linkSync(partial, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new DomainError("cli:backupExists", { file: target });
    throw error;
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable; not every system lets a folder be opened for it, and then it is skipped. */
function syncFolder(folder: string): void {
  try {
    syncFile(folder);
  } catch {
    // The file itself is synced; only the rename might not survive a power cut.
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const NIGHTLY_NAME = /^chibo-\d{4}-\d{2}-\d{2}\.db$/;
const NIGHTLY_PARTIAL = /^chibo-\d{4}-\d{2}-\d{2}\.db\.partial-[0-9a-f]{8}$/;
/** A copy left half-written by a process that was killed; one this old is not being written any more. */
const STALE_PARTIAL_MS = 24 * 3_600_000;

/** The name of the nightly backup of a day ("2026-12-04"): sorting the names sorts the days. */
export function nightlyBackupName(day: string): string {
  return `chibo-${day}.db`;
}

/**
 * Deletes the nightly backups beyond the newest `keep`, and any copy a killed backup left half-written.
 * Other files in the folder are never touched. Returns the names deleted.
 */
export function rotateNightlyBackups(folder: string, keep: number, now: Date): string[] {
  const names = fs.readdirSync(folder);
  const old = names.filter((name) => NIGHTLY_NAME.test(name)).sort().reverse().slice(keep);
  const stale = names.filter((name) => NIGHTLY_PARTIAL.test(name) && now.getTime() - fs.statSync(path.join(folder, name)).mtimeMs > STALE_PARTIAL_MS);
  for (const name of [...old, ...stale]) fs.rmSync(path.join(folder, name), { force: true });
  return old;
}
