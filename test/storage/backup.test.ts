import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createOutbox } from "../../src/delivery/outbox.ts";
import { createTranslator } from "../../src/i18n.ts";
import { startChibo } from "../../src/runtime.ts";
import { nightlyBackupJob, nightlyBackupSettings } from "../../src/scheduling/jobs/nightlyBackup.ts";
import { createScheduler } from "../../src/scheduling/scheduler.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { createFeedbackService } from "../../src/services/feedback.ts";
import { MIGRATIONS_DIR, listMigrations, migrateSqlite } from "../../src/storage/migrate.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { chibo } from "../helpers/cli.ts";
import { freshDatabase, tempDir } from "../helpers/db.ts";
import { buildServices } from "../helpers/services.ts";
import { waitUntil } from "../helpers/wait.ts";

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
};
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const NOW = "2026-12-04T03:00:00Z";
const cli = (databaseUrl: string, args: string[]) => chibo(args, { databaseUrl, now: NOW });

/** What a SQLite file holds, read with a connection of its own that is closed at once. */
function rows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe("backup and restore", () => {
  it("restores a backup taken while rows are written, with every row committed before it began", async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const db = database.prisma;
    // A few megabytes, so the copy takes long enough for writes to land while it runs.
    const payload = "x".repeat(300);
    for (let chunk = 0; chunk < 20; chunk += 1) {
      const data = Array.from({ length: 1000 }, (_, i) => ({ channel: "telegram", externalId: `seed-${chunk}-${i}`, payload, receivedAt: new Date(NOW) }));
      await db.inboundUpdate.createMany({ data });
    }
    // The writes come from another process, as from a running chibo.
    const script = path.resolve(import.meta.dirname, "../fixtures/rowWriterProcess.ts");
    const writer = spawn(process.execPath, ["--import", "tsx", script, database.url], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    cleanups.push(async () => {
      if (writer.exitCode === null) writer.kill("SIGKILL");
    });
    const committed: number[] = [];
    let partial = "";
    writer.stdout.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) committed.push(Number(line));
    });
    await waitUntil(() => committed.length >= 20, 20_000);

    const before = [...committed];
    const backupFile = path.join(folder(), "chibo-backup.db");
    const backup = await cli(database.url, ["backup", backupFile]);
    const writtenDuring = committed.length - before.length;
    writer.kill("SIGTERM");
    await exited;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Đã sao lưu cơ sở dữ liệu vào .*chibo-backup\.db \(\d+\.\d MB\)\.$/m);
    expect(writtenDuring).toBeGreaterThan(0);
    expect(modeOf(backupFile)).toBe(0o600);

    const restoredDir = folder();
    const restoredFile = path.join(restoredDir, "chibo.db");
    const restore = await cli(`file:${restoredFile}`, ["restore", backupFile]);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(modeOf(restoredFile)).toBe(0o600);
    const ids = rows<{ id: number }>(restoredFile, `SELECT id FROM "InboundUpdate" ORDER BY id`).map((r) => r.id);
    const present = new Set(ids);
    expect(ids.length).toBeGreaterThanOrEqual(20_000 + before.length);
    expect(before.filter((id) => !present.has(id))).toEqual([]);
    // One writer commits in id order: a consistent copy holds an unbroken run of ids, none half-written.
    expect(ids.at(-1)).toBe(ids.length);
    // The copy was logged in the audit log before it was made, so the backup holds its own record.
    expect(rows<{ detail: string }>(restoredFile, `SELECT detail FROM "AuditLog" WHERE "subjectType" = 'Database' AND action = 'export'`))
      .toEqual([{ detail: JSON.stringify({ file: "chibo-backup.db" }) }]);
    // The restored database opens and runs as chibo's.
    const reopened = await openDatabase({ url: `file:${restoredFile}`, busyTimeoutMs: 5000 });
    expect(await reopened.prisma.inboundUpdate.count()).toBe(ids.length);
    await reopened.close();
  });

  it("never writes over a file unless --force, and then keeps the copy readable by chibo's user only", async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const file = path.join(folder(), "kept.db");
    fs.writeFileSync(file, "the operator's own file", { mode: 0o644 });
    const refused = await cli(database.url, ["backup", file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`Tệp ${file} đã có nên không ghi đè. Hãy chọn tên khác, hoặc thêm --force để ghi đè.`);
    expect(fs.readFileSync(file, "utf8")).toBe("the operator's own file");

    const forced = await cli(database.url, ["backup", file, "--force"]);
    expect(forced.code).toBe(0);
    expect(modeOf(file)).toBe(0o600);
    expect(rows<{ n: number }>(file, `SELECT count(*) AS n FROM "_prisma_migrations"`)).toEqual([{ n: listMigrations().length }]);
    // Nothing half-written is left beside it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(["kept.db"]);

    const missing = await cli(`file:${path.join(folder(), "none.db")}`, ["backup", path.join(folder(), "x.db"), "--lang", "en"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^There is no database at .*none\.db \(DATABASE_URL\) to back up\.$/);
  });

  it("refuses to restore while chibo runs on the database; once it is stopped, restores and keeps the replaced one", async () => {
    const dir = folder();
    const file = path.join(dir, "chibo.db");
    const url = `file:${file}`;
    const config = parseConfig({ DATABASE_URL: url, HOST: "127.0.0.1", PORT: "0", SCHEDULER_ENABLED: "false" });
    const running = await startChibo({ config, logger: pino({ level: "silent" }) });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await running.stop();
    });
    expect((await cli(url, ["org", "add-province", "Tỉnh ủy Trước", "--code", "truoc"])).code).toBe(0);
    const backupFile = path.join(folder(), "backup.db");
    expect((await cli(url, ["backup", backupFile])).code).toBe(0);
    expect((await cli(url, ["org", "add-province", "Tỉnh ủy Sau", "--code", "sau"])).code).toBe(0);

    const refused = await cli(url, ["restore", backupFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`Cơ sở dữ liệu ${file} đang được dùng (chibo đang chạy, hoặc một lệnh chibo khác) nên chưa khôi phục gì. Hãy dừng chibo rồi chạy lại lệnh.`);
    expect((await running.db.organization.findMany({ orderBy: { id: "asc" } })).map((o) => o.code)).toEqual(["truoc", "sau"]);
    expect(fs.readdirSync(dir).filter((name) => !name.startsWith("chibo.db"))).toEqual([]);

    await running.stop();
    stopped = true;
    const restored = await cli(url, ["restore", backupFile]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    const keptAs = `${file}.before-restore-20261204T030000Z`;
    expect(restored.stdout.split("\n")).toEqual([
      `Đã khôi phục cơ sở dữ liệu ${file} từ bản sao lưu ${backupFile}.`,
      `Cơ sở dữ liệu trước khi khôi phục được giữ ở ${keptAs}; hãy xóa tệp này khi không cần nữa (có dữ liệu cá nhân).`,
      "Khởi động lại chibo: «npm start».",
    ]);
    expect(rows<{ code: string }>(file, `SELECT code FROM "Organization" ORDER BY id`)).toEqual([{ code: "truoc" }]);
    expect(rows<{ code: string }>(keptAs, `SELECT code FROM "Organization" ORDER BY id`)).toEqual([{ code: "truoc" }, { code: "sau" }]);
    expect(modeOf(file)).toBe(0o600);
    // No journal of the replaced database is left to be applied to the restored one.
    expect(fs.readdirSync(dir).sort()).toEqual(["chibo.db", "chibo.db.before-restore-20261204T030000Z"]);
  });

  it("refuses what is not an intact chibo database this chibo can run, and leaves the database alone", async () => {
    const database = await freshDatabase();
    await database.prisma.organization.create({ data: { name: "Tỉnh ủy Giữ", searchName: "tinh uy giu", code: "giu", level: "province" } });
    await database.close();
    const dir = folder();
    const backupOf = async (name: string) => {
      const file = path.join(dir, name);
      expect((await cli(database.url, ["backup", file])).code).toBe(0);
      return file;
    };
    cleanups.push(async () => fs.rmSync(database.dir, { recursive: true, force: true }));
    const restore = (file: string) => cli(database.url, ["restore", file]);

    const text = path.join(dir, "notes.txt");
    fs.writeFileSync(text, "Danh sách đảng viên\n".repeat(200));
    expect((await restore(text)).stderr).toBe(`Tệp ${text} không phải cơ sở dữ liệu SQLite nên không khôi phục.`);

    const other = path.join(dir, "other.db");
    const plain = new Database(other);
    plain.exec("CREATE TABLE notes (text TEXT)");
    plain.close();
    expect((await restore(other)).stderr).toBe(`Tệp ${other} không phải cơ sở dữ liệu của chibo nên không khôi phục.`);

    const newer = await backupOf("newer.db");
    const future = new Database(newer);
    future.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
      VALUES ('f', 'x', 1, '29991231000000_from_the_future', 1, 1)`).run();
    future.close();
    expect((await restore(newer)).stderr).toBe(`Tệp ${newer} được sao lưu từ một phiên bản chibo mới hơn (có bước cập nhật cấu trúc mà bản này chưa biết: 29991231000000_from_the_future) nên không khôi phục. Hãy cập nhật chibo trước rồi khôi phục lại.`);

    const damaged = await backupOf("damaged.db");
    const bytes = fs.readFileSync(damaged);
    const pageSize = bytes.readUInt16BE(16);
    // Every page after the first two scrambled: the tables' pages no longer hold what the schema says.
    for (let i = pageSize * 2; i < bytes.length; i += 7) bytes[i] = (bytes[i]! + 97) % 256;
    fs.writeFileSync(damaged, bytes);
    const refusedDamaged = await restore(damaged);
    expect(refusedDamaged.code).toBe(1);
    expect(refusedDamaged.stderr).toMatch(new RegExp(`^Tệp ${damaged.replace(/[.]/g, "\\.")} bị hỏng \\(kiểm tra toàn vẹn báo: .+\\) nên không khôi phục\\. Hãy dùng một bản sao lưu khác\\.$`));

    expect((await restore(path.join(dir, "missing.db"))).stderr).toBe(`Không tìm thấy tệp sao lưu ${path.join(dir, "missing.db")}.`);
    // The database is as it was, with no file of a failed restore beside it.
    expect(rows<{ code: string }>(database.file, `SELECT code FROM "Organization"`)).toEqual([{ code: "giu" }]);
    expect(fs.readdirSync(database.dir).filter((name) => !/^chibo\.db(-wal|-shm)?$/.test(name))).toEqual([]);
  });

  it("takes back a backup from an older chibo and migrates it at the next start", async () => {
    const dir = folder();
    // A database as the previous release left it: every migration but the last.
    const older = path.join(dir, "older");
    fs.mkdirSync(older);
    const migrations = fs.readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    for (const name of migrations.slice(0, -1)) fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(older, name), { recursive: true });
    const oldFile = path.join(dir, "old.db");
    migrateSqlite(oldFile, { dir: older });

    const file = path.join(dir, "chibo.db");
    const restored = await cli(`file:${file}`, ["restore", oldFile]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("Bản sao lưu làm từ phiên bản chibo cũ hơn: 1 bước cập nhật cấu trúc sẽ được áp dụng khi chibo khởi động.");
    // There was no database yet: nothing to keep.
    expect(restored.stdout).not.toContain("before-restore");
    const started = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 });
    expect(started.migrations?.applied).toEqual([migrations.at(-1)]);
    await started.close();
  });
});

describe("the nightly backup", () => {
  it("copies the database once with two schedulers, and keeps only the newest copies", async () => {
    const database = await freshDatabase();
    cleanups.push(() => database.cleanup());
    const db = database.prisma;
    await db.organization.create({ data: { name: "Tỉnh ủy Đêm", searchName: "tinh uy dem", code: "dem", level: "province" } });
    const backups = path.join(folder(), "sao-luu");
    fs.mkdirSync(backups);
    for (const day of ["2026-11-30", "2026-12-01", "2026-12-02"]) fs.writeFileSync(path.join(backups, `chibo-${day}.db`), "old");
    fs.writeFileSync(path.join(backups, "ghi-chu.txt"), "the operator's note");

    // Friday 4 December 2026, 02:31 in Vietnam: just after BACKUP_TIME.
    const clock = fixedClock("2026-12-03T19:31:00Z");
    const outbox = createOutbox({ db, clock });
    const translator = createTranslator();
    const deps = {
      db, services: buildServices(db), feedback: createFeedbackService({ db, outbox, translator }), outbox, translator, defaultLanguage: "vi" as const,
      backup: { databasePath: database.file, folder: backups, keep: 2, at: "02:30" },
    };
    const scheduler = (instanceId: string) =>
      createScheduler({ db, outbox, jobs: [nightlyBackupJob(deps)], clock, logger: pino({ level: "silent" }), instanceId, catchUpMs: 3_600_000 });
    const reports = await Promise.all([scheduler("a").runDue(), scheduler("b").runDue()]);

    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    expect(reports.flatMap((r) => r.ran)).toEqual([{ job: "nightly-backup", slot: "2026-12-04", queued: 0 }]);
    expect(fs.readdirSync(backups).sort()).toEqual(["chibo-2026-12-02.db", "chibo-2026-12-04.db", "ghi-chu.txt"]);
    const copy = path.join(backups, "chibo-2026-12-04.db");
    expect(modeOf(copy)).toBe(0o600);
    expect(rows<{ code: string }>(copy, `SELECT code FROM "Organization"`)).toEqual([{ code: "dem" }]);
    expect(await db.auditLog.count({ where: { subjectType: "Database", action: "export", actorKind: "system" } })).toBe(1);
  });

  it("is off without BACKUP_DIR, keeps 7 at 02:30 by default, and refuses a time that is not HH:MM", () => {
    expect(nightlyBackupSettings(parseConfig({}))).toBeUndefined();
    expect(nightlyBackupSettings(parseConfig({ BACKUP_DIR: "sao-luu", DATABASE_URL: "file:./data/chibo.db" }))).toEqual({
      databasePath: path.resolve("data/chibo.db"), folder: path.resolve("sao-luu"), keep: 7, at: "02:30",
    });
    expect(() => parseConfig({ BACKUP_DIR: "sao-luu", BACKUP_TIME: "2:30 sáng" })).toThrow(/BACKUP_TIME/);
  });
});
