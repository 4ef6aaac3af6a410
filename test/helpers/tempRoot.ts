import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's temporary folder; each test file makes its own inside it (tempFolder.ts). */
    tempRoot: string;
  }
}

/**
 * vitest.config.ts `globalSetup`: one temporary folder for the whole run, removed when the run
 * ends, so a test file whose process died before its own cleanup leaves nothing behind either.
 */
export default function setup(project: TestProject): () => void {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "chibo-testrun-"));
  project.provide("tempRoot", tempRoot);
  return () => fs.rmSync(tempRoot, { recursive: true, force: true });
}
