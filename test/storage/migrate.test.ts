import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { listMigrations, migrateSqlite } from "../../src/storage/migrate.ts";
import { tempDir } from "../helpers/db.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, "fresh.db");
}

describe("migrations applied on start", () => {
  it("creates every table of the data model in a fresh file", () => {
    const file = newFile();
    const result = migrateSqlite(file);
    expect(result.applied).toEqual(listMigrations().map((m) => m.name));
    const db = new Database(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    db.close();
    for (const table of ["Organization", "MeetingRule", "Meeting", "Member", "Role", "ChatIdentity", "GroupChat", "InviteCode", "Attendance", "Feedback", "FeedbackEvent", "Notice", "NoticeDelivery", "AuditLog", "Holiday"]) {
      expect(tables).toContain(table);
    }
  });

  it("applies nothing the second time and records Prisma's checksum", () => {
    const file = newFile();
    migrateSqlite(file);
    expect(migrateSqlite(file)).toEqual({ applied: [], alreadyApplied: listMigrations().length });
    const db = new Database(file);
    const rows = db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations"`).all() as { migration_name: string; checksum: string }[];
    const journal = db.pragma("journal_mode", { simple: true });
    db.close();
    const first = listMigrations()[0]!;
    expect(rows.find((r) => r.migration_name === first.name)?.checksum).toBe(crypto.createHash("sha256").update(first.sql).digest("hex"));
    expect(journal).toBe("wal");
  });

  it("rolls a failing migration back whole and records nothing for it", () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "001_ok"));
    fs.writeFileSync(path.join(dir, "001_ok", "migration.sql"), `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    fs.mkdirSync(path.join(dir, "002_bad"));
    fs.writeFileSync(path.join(dir, "002_bad", "migration.sql"), `CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);\nTHIS IS NOT SQL;`);
    const file = path.join(dir, "x.db");
    expect(() => migrateSqlite(file, { dir })).toThrow();
    const db = new Database(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name);
    const names = db.prepare(`SELECT migration_name FROM "_prisma_migrations"`).all().map((r) => (r as { migration_name: string }).migration_name);
    db.close();
    expect(tables).toContain("A");
    expect(tables).not.toContain("B");
    expect(names).toEqual(["001_ok"]);
  });
});
