import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.ts";
import { tempDir } from "../helpers/db.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe("the database file at rest", () => {
  it("creates the data folder for its user only and the database and its journal readable by its user only", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "data", "chibo.db");
    const database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 });
    await database.prisma.organization.count();
    expect(modeOf(path.dirname(file))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    await database.close();
  });

  it("closes a database file an earlier version left readable by everyone", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "chibo.db");
    await (await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 })).close();
    fs.chmodSync(file, 0o644);
    const database = await openDatabase({ url: `file:${file}`, busyTimeoutMs: 5000 });
    expect(modeOf(file)).toBe(0o600);
    await database.close();
  });
});
