import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { removeTempDirs } from "./db.ts";

/**
 * vitest.config.ts `setupFiles`, run before every test file: the file gets a temporary folder of
 * its own as the OS temp dir, for itself and the processes it starts. When the file ends, what
 * its tests left there fails the file, by name, and the folder goes either way, so a run leaves
 * nothing behind in the temp dir. Folders from tempDir() are removed by design before the look.
 */

/** Caches that tools keep in the temp dir on purpose (tsx's compiled files, for a process a test starts). */
const TOOL_CACHES = [/^tsx-/];

const fileTemp = fs.mkdtempSync(path.join(inject("tempRoot") ?? os.tmpdir(), "chibo-testfile-"));
const previousTmpdir = process.env.TMPDIR;
process.env.TMPDIR = fileTemp;

afterAll(() => {
  removeTempDirs();
  const left = fs.readdirSync(fileTemp).filter((name) => !TOOL_CACHES.some((cache) => cache.test(name)));
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  fs.rmSync(fileTemp, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`The tests of this file left ${left.length} item(s) in the temporary folder: ${left.sort().join(", ")}. Each test removes what it makes (database.cleanup(), tempDir()).`);
  }
});
