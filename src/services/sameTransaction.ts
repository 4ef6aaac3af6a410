import type { Db, Tx } from "../storage/database.ts";

/**
 * A transaction client that can stand in for the database: a use case written over `Db` (which
 * opens its own `$transaction`) then runs inside the caller's transaction, so the change and its
 * audit row are saved together or not at all. SQLite has one writer, so the nested transaction
 * simply joins the outer one.
 */
export function sameTransaction(tx: Tx): Db {
  const join = (work: unknown) => (typeof work === "function" ? work(tx) : Promise.all(work as Promise<unknown>[]));
  return new Proxy(tx, {
    get: (target, property, receiver) => (property === "$transaction" ? join : Reflect.get(target, property, receiver)),
  }) as unknown as Db;
}
