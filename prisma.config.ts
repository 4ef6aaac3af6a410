import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Prisma's CLI runs here on its WebAssembly engines through the driver adapter, so no native
// engine is downloaded. Only used by the CLI (generate, migrate diff); the application applies
// migrations itself on start (src/storage/migrate.ts).
// The schema reads DATABASE_URL; without it Prisma falls back to downloading native engines.
process.env.DATABASE_URL ??= "file:./data/chibo.db";
const url = process.env.DATABASE_URL;
// A fresh clone has no ./data yet; the CLI opens the file even for commands that only diff schemas.
if (url.startsWith("file:") && !url.includes(":memory:")) fs.mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
