import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * Applies the committed migrations in prisma/migrations to a SQLite file, in order, each in its
 * own transaction. It keeps Prisma's own `_prisma_migrations` table (same columns, same SHA-256
 * checksum of the file) so `prisma migrate status` and `migrate deploy` agree with it.
 *
 * Why not spawn `prisma migrate deploy`: it takes over a second on every start and every test
 * database, and its WebAssembly engine has known problems on PostgreSQL; applying plain SQL
 * files in a transaction is all `deploy` does for us.
 */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export function migrateSqlite(filePath: string, options: { busyTimeoutMs?: number; dir?: string } = {}): MigrationResult {
  const db = new Database(filePath, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL lets readers go on while one writer writes; it is a property of the file and persists.
    db.pragma("journal_mode = WAL");
    db.exec(CREATE_TABLE);
    const done = new Set(
      db
        .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((row) => (row as { migration_name: string }).migration_name),
    );
    const applied: string[] = [];
    for (const migration of listMigrations(options.dir)) {
      if (done.has(migration.name)) continue;
      const checksum = crypto.createHash("sha256").update(migration.sql).digest("hex");
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(crypto.randomUUID(), checksum, Date.now(), migration.name, Date.now());
      })();
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    db.close();
  }
}
