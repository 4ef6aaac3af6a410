import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chunked, inChunks, rowsPerStatement, SQL_PARAMS_PER_STATEMENT, VALUES_PER_STATEMENT } from "../../src/storage/chunks.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

describe("chunked", () => {
  it("cuts a list into consecutive chunks, the last one shorter", () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
    expect(chunked([], 2)).toEqual([]);
  });

  it("keeps every chunk under the statement's parameter limit by default, with room for filters", () => {
    const chunks = chunked(Array.from({ length: 2500 }, (_, i) => i));
    expect(chunks.map((c) => c.length)).toEqual([VALUES_PER_STATEMENT, VALUES_PER_STATEMENT, 2500 - 2 * VALUES_PER_STATEMENT]);
    expect(VALUES_PER_STATEMENT).toBeLessThan(SQL_PARAMS_PER_STATEMENT);
  });

  it("refuses a chunk size that is not a positive integer", () => {
    expect(() => chunked([1], 0)).toThrow(RangeError);
    expect(() => chunked([1], 1.5)).toThrow(RangeError);
  });

  it("fits rows of several columns into one statement", () => {
    expect(rowsPerStatement(3) * 3).toBeLessThanOrEqual(VALUES_PER_STATEMENT);
    expect(rowsPerStatement(3)).toBe(Math.floor(VALUES_PER_STATEMENT / 3));
    expect(rowsPerStatement(5000)).toBe(1);
  });
});

describe("inChunks", () => {
  it("runs the query once per chunk, in order, and concatenates the results", async () => {
    const seen: number[][] = [];
    const result = await inChunks([1, 2, 3, 4, 5], async (chunk) => {
      seen.push(chunk);
      return chunk.map((n) => n * 10);
    }, 2);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(result).toEqual([10, 20, 30, 40, 50]);
  });

  it("runs no query for an empty list", async () => {
    let calls = 0;
    expect(await inChunks([], async () => [++calls])).toEqual([]);
    expect(calls).toBe(0);
  });

  it("runs one chunk at a time, so a transaction's client is never asked twice at once", async () => {
    let running = 0;
    let most = 0;
    await inChunks(Array.from({ length: 10 }, (_, i) => i), async (chunk) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
      return chunk;
    }, 3);
    expect(most).toBe(1);
  });
});

describe("on SQLite through the driver adapter", () => {
  let database: TestDatabase;
  let ids: number[];
  beforeEach(async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const cell = await db.organization.create({ data: { level: "cell", name: "Chi bộ", searchName: "chi bo", code: "cell", path: "/1/" } });
    await db.member.createMany({ data: Array.from({ length: 3000 }, (_, i) => ({ fullName: `Member ${i}`, searchName: `member ${i}`, status: "full", cellId: cell.id })) });
    ids = (await db.member.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((m) => m.id);
  });
  afterEach(() => database.cleanup());

  it("a list of 3,000 ids beside another filter is refused in one statement and answered in chunks", async () => {
    const db = database.prisma;
    const query = (chunk: number[]) => db.member.findMany({ where: { id: { in: chunk }, status: "full" }, select: { id: true }, orderBy: { id: "asc" } });
    await expect(query(ids)).rejects.toThrow(/query parameter limit/);
    expect((await inChunks(ids, query)).map((m) => m.id)).toEqual(ids);
  });
});
