import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";
import { migrateSqlite, type MigrationResult } from "./migrate.ts";
import { ensureParentFolder, restrictDatabaseFile, sqlitePathFromUrl } from "./sqliteFile.ts";

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
/** Either: code that only reads or writes rows can run inside or outside a transaction. */
export type DbClient = Db | Tx;

export interface Database {
  prisma: PrismaClient;
  /** Answers true while the database answers a trivial query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url: string;
  busyTimeoutMs: number;
  /** Apply committed migrations before opening (the start command does; tests may share one). */
  migrate?: boolean;
}

/** Opens chibo's database: the SQLite file is created and migrated on first use. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database & { migrations?: MigrationResult }> {
  const filePath = sqlitePathFromUrl(options.url);
  ensureParentFolder(filePath);
  restrictDatabaseFile(filePath);
  const migrations = options.migrate === false ? undefined : migrateSqlite(filePath, { busyTimeoutMs: options.busyTimeoutMs });
  const adapter = new PrismaBetterSQLite3({ url: filePath, timeout: options.busyTimeoutMs });
  const prisma = new PrismaClient({ adapter });
  // Deleted or overwritten texts (an anonymous author's words in a sent message, an erased
  // member) are zeroed in the file, not left in free pages for anyone holding a copy to read.
  await prisma.$queryRawUnsafe("PRAGMA secure_delete = ON");
  return {
    prisma,
    migrations,
    async isReachable() {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    close: () => prisma.$disconnect(),
  };
}
