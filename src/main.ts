import type { Server } from "node:http";
import { ConfigError, loadDotEnv, parseConfig } from "./config.ts";
import { createHttpApp } from "./http/app.ts";
import { createTranslator, isLanguage } from "./i18n.ts";
import { createLogger } from "./logger.ts";
import { openDatabase } from "./storage/database.ts";
import { describeSetup } from "./services/setupStatus.ts";

/** Composition root: config → database → http; graceful shutdown on SIGTERM and SIGINT. */
async function main(): Promise<void> {
  loadDotEnv();
  const fallbackLanguage = isLanguage(process.env.DEFAULT_LANGUAGE) ? process.env.DEFAULT_LANGUAGE : "vi";
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const t = createTranslator().t(fallbackLanguage);
    for (const p of error.problems) console.error(t("common:configInvalid", { variable: p.variable, problem: p.problem }));
    process.exit(1);
  }

  const t = createTranslator({ defaultLanguage: config.DEFAULT_LANGUAGE }).t(config.DEFAULT_LANGUAGE);
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  if (database.migrations?.applied.length) {
    logger.info({ migrations: database.migrations.applied }, t("common:migrationsApplied", { count: database.migrations.applied.length }));
  }

  const app = createHttpApp({ isDatabaseReachable: database.isReachable, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port, database: config.DATABASE_URL }, t("common:started", { port }));
  for (const line of await describeSetup(database.prisma, t)) logger.info(line);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, t("common:stopping"));
    const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    logger.info(t("common:stopped"));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
