/**
 * Writes the next migration from the change to prisma/schema.prisma:
 *   npm run db:migrate:new -- add_feedback_priority
 * Prisma's own `migrate dev` and `diff --from-migrations` replay SQLite migrations in a shadow
 * database through the WebAssembly engine and fail here (P3006); diffing two schema files works.
 * So each migration folder keeps the schema it was made from, and the next one diffs against it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR, listMigrations } from "../src/storage/migrate.ts";

const SCHEMA = path.resolve(import.meta.dirname, "../prisma/schema.prisma");

export function pendingSchemaChange(): string {
  const last = listMigrations().at(-1);
  if (!last) throw new Error("No migration yet");
  const previous = path.join(MIGRATIONS_DIR, last.name, "schema.prisma");
  const sql = execFileSync(
    process.execPath,
    [path.resolve(import.meta.dirname, "../node_modules/prisma/build/index.js"), "migrate", "diff", "--from-schema-datamodel", previous, "--to-schema-datamodel", SCHEMA, "--script"],
    // Diffing two schema files needs no database: give the CLI an in-memory one.
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "file::memory:" } },
  );
  return sql.includes("This is an empty migration.") ? "" : sql;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
  if (!name) {
    console.error("usage: npm run db:migrate:new -- <name>");
    process.exit(2);
  }
  const sql = pendingSchemaChange();
  if (!sql) {
    console.log("prisma/schema.prisma has no change since the last migration.");
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  fs.copyFileSync(SCHEMA, path.join(folder, "schema.prisma"));
  console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql; it is applied on the next start.`);
}
