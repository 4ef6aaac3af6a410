import { ConfigError, loadDotEnv, parseConfig } from "./config.ts";
import { describeConfigProblem } from "./configErrors.ts";
import { createTranslator, isLanguage } from "./i18n.ts";
import { createLogger } from "./logger.ts";
import { TelegramTokenRejected } from "./channels/telegram/index.ts";
import { ZaloBotTokenRejected } from "./channels/zaloBot/index.ts";
import { PortUnavailable, startChibo } from "./runtime.ts";
import { SecretUnreadable } from "./storage/secretBox.ts";

/** Entry point: config, then the runtime; graceful shutdown on SIGTERM and SIGINT. */
async function main(): Promise<void> {
  loadDotEnv();
  const fallbackLanguage = isLanguage(process.env.DEFAULT_LANGUAGE) ? process.env.DEFAULT_LANGUAGE : "vi";
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const t = createTranslator().t(fallbackLanguage);
    for (const p of error.problems) console.error(describeConfigProblem(p, t));
    process.exit(1);
  }

  const t = createTranslator({ defaultLanguage: config.DEFAULT_LANGUAGE }).t(config.DEFAULT_LANGUAGE);
  // NO_COLOR is the terminal's own convention (no-color.org), not a chibo setting.
  const logger = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT, color: process.stdout.isTTY === true && !process.env.NO_COLOR });
  let chibo;
  try {
    chibo = await startChibo({ config, logger });
  } catch (error) {
    if (error instanceof PortUnavailable) {
      const key = error.code === "EADDRINUSE" ? "common:portInUse" : "common:portUnavailable";
      logger.fatal({ port: error.port, code: error.code }, t(key, { port: error.port, code: error.code }));
      process.exit(1);
    }
    if (error instanceof SecretUnreadable) {
      logger.fatal(t(error.reason === "noKey" ? "common:secretKeyNeeded" : "common:secretKeyWrong"));
      process.exit(1);
    }
    if (!(error instanceof TelegramTokenRejected) && !(error instanceof ZaloBotTokenRejected)) throw error;
    logger.fatal(t(error instanceof ZaloBotTokenRejected ? "common:zaloBotTokenRejected" : "common:telegramTokenRejected"));
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, t("common:stopping"));
    const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await chibo.stop();
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
