import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../../src/storage/database.ts";

export interface TestDatabase extends Database {
  url: string;
  file: string;
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated SQLite file of its own for one test. */
export async function freshDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-test-"));
  const file = path.join(dir, "chibo.db");
  const url = `file:${file}`;
  const database = await openDatabase({ url, busyTimeoutMs: 5000 });
  return {
    ...database,
    url,
    file,
    dir,
    async cleanup() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const madeByTempDir: string[] = [];

/** A new, empty temporary folder; it is removed with everything in it when its test file ends. */
export function tempDir(prefix = "chibo-files-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeByTempDir.push(dir);
  return dir;
}

/** Removes every folder tempDir() made (test/helpers/tempFolder.ts does, as each test file ends). */
export function removeTempDirs(): void {
  for (const dir of madeByTempDir.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
