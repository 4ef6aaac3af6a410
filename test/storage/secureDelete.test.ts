import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/storage/database.ts";
import { tempDir } from "../helpers/db.ts";

/**
 * A text chibo blanks (a sent message carrying an anonymous author's words, an erased member's
 * name) must be gone from the file itself: SQLite otherwise leaves the old bytes in free space,
 * readable by anyone holding a copy or a backup of the file.
 */
const MARKER = "Ý-kiến-ẩn-danh-cần-biến-mất-0123456789";

let database: Database | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await database?.close();
  database = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function fileBytes(file: string): string {
  return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("utf8")).join("");
}

describe("secure delete", () => {
  it("leaves no trace of a blanked or deleted text in the database file", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "chibo.db");
    database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 });
    const db = database.prisma;
    // Many rows, so the text lands in pages that stay in use after the change.
    for (let i = 0; i < 20; i++) await db.channelState.create({ data: { key: `k${i}`, value: `${MARKER}-${i}` } });
    await db.channelState.create({ data: { key: "other", value: "x".repeat(2000) } });
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(fileBytes(file)).toContain(MARKER);

    await db.channelState.updateMany({ where: { key: { startsWith: "k1" } }, data: { value: "" } });
    await db.channelState.deleteMany({ where: { key: { startsWith: "k" } } });
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");

    expect(fileBytes(file)).not.toContain(MARKER);
  });
});
