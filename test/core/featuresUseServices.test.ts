import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every chat action is one service function (src/services), which the console calls too: a
 * feature file unpacks the input, calls a service and replies. It never reaches the database
 * itself — at most it names a stored row's type.
 */
const FEATURES_DIR = path.resolve(import.meta.dirname, "../../src/core/features");
const features = fs.readdirSync(FEATURES_DIR).filter((f) => f.endsWith(".ts")).sort();

/** Modules that hold the database client and its queries. */
const STORAGE = [/\/storage\//, /generated\/prisma\/client/];

interface ImportLine {
  text: string;
  from: string;
  typeOnly: boolean;
}

/** The static imports and re-exports of a file, and its dynamic imports (never type-only). */
function importsOf(source: string): ImportLine[] {
  const lines: ImportLine[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+([^;]*?)\s+from\s+["']([^"']+)["']/gm)) {
    const [text, , clause, from] = match as unknown as [string, string, string, string];
    lines.push({ text: text.trim(), from, typeOnly: isTypeOnly(clause) });
  }
  for (const match of source.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) lines.push({ text: match[0].trim(), from: match[1]!, typeOnly: false });
  for (const match of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) lines.push({ text: match[0], from: match[1]!, typeOnly: false });
  return lines;
}

/** `type { A }`, `{ type A, type B }`: nothing of it exists at run time. */
function isTypeOnly(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const names = braces[1]!.split(",").map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith("type "));
}

/** What in a feature's source reaches the database; empty when nothing does. */
function databaseUses(source: string): string[] {
  const found: string[] = [];
  if (/\bdeps\.db\b/.test(source)) found.push("deps.db");
  if (source.includes(".db.")) found.push(".db.");
  if (source.includes("$transaction")) found.push("$transaction");
  for (const line of importsOf(source)) {
    if (!line.typeOnly && STORAGE.some((pattern) => pattern.test(line.from))) found.push(line.text);
  }
  return found;
}

describe("chat features go through the services", () => {
  it("finds the feature files", () => {
    expect(features).toContain("notice.ts");
    expect(features.length).toBeGreaterThan(10);
  });

  it.each(features)("%s never reaches the database itself", (file) => {
    expect(databaseUses(fs.readFileSync(path.join(FEATURES_DIR, file), "utf8"))).toEqual([]);
  });

  it("catches each way of reaching the database, and lets a stored row's type through", () => {
    expect(databaseUses(`const n = await deps.db.member.count();`)).toEqual(["deps.db", ".db."]);
    expect(databaseUses(`const { db } = deps;\nawait services.db.member.count();`)).toEqual([".db."]);
    expect(databaseUses(`await tx.$transaction(async () => {});`)).toEqual(["$transaction"]);
    expect(databaseUses(`import { inChunks } from "../../storage/chunks.ts";`)).toEqual([`import { inChunks } from "../../storage/chunks.ts"`]);
    expect(databaseUses(`import {\n  Prisma,\n  type Member,\n} from "../../generated/prisma/client.ts";`)).toHaveLength(1);
    expect(databaseUses(`export { Prisma } from "../../generated/prisma/client.ts";`)).toHaveLength(1);
    expect(databaseUses(`const storage = await import("../../storage/database.ts");`)).toHaveLength(1);
    expect(databaseUses(`import type { Member } from "../../generated/prisma/client.ts";`)).toEqual([]);
    expect(databaseUses(`import { type Db, type Tx } from "../../storage/database.ts";`)).toEqual([]);
    expect(databaseUses(`import { isLeader } from "../authorization.ts";\nconst x = deps.services.notices;`)).toEqual([]);
  });
});
