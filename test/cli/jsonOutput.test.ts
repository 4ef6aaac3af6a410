import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/db.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("JSON from the admin CLI", () => {
  it("is the whole output of the documented `npm run -s chibo -- demo --json`, ready for a file", () => {
    const dir = tempDir();
    dirs.push(dir);
    const result = spawnSync("npm", ["run", "-s", "chibo", "--", "demo", "--json"], {
      cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, DATABASE_URL: `file:${path.join(dir, "chibo.db")}` },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const members = JSON.parse(result.stdout) as { inviteCode: string }[];
    expect(members).toHaveLength(60);
  });

  it("is asked for in the README with npm's -s wherever a command prints JSON", () => {
    const jsonCommands = README.split("\n").filter((line) => /npm run .*--json/.test(line));
    expect(jsonCommands.length).toBeGreaterThanOrEqual(3);
    expect(jsonCommands.filter((line) => !/npm run -s chibo -- /.test(line))).toEqual([]);
  });
});
