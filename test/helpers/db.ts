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

export function tempDir(prefix = "chibo-files-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
