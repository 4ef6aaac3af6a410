import type { TFunction } from "i18next";
import type { Config } from "../config.ts";
import type { Language } from "../i18n.ts";
import { systemClock, type Clock } from "../services/clock.ts";
import { createServices, type Services } from "../services/index.ts";
import { openDatabase, type Database } from "../storage/database.ts";

/** Everything a CLI command may use, built once per invocation. */
export interface CliContext {
  config: Config;
  t: TFunction;
  language: Language;
  clock: Clock;
  out(line?: string): void;
  /** Set by a command that finished but failed (e.g. an import refused for bad rows). */
  exitCode: number;
  services(): Promise<Services>;
  close(): Promise<void>;
}

export function createCliContext(options: { config: Config; t: TFunction; language: Language; clock?: Clock; out?: (line: string) => void }): CliContext {
  let database: Database | undefined;
  let services: Services | undefined;
  return {
    config: options.config,
    exitCode: 0,
    t: options.t,
    language: options.language,
    clock: options.clock ?? systemClock,
    out: (line = "") => (options.out ?? ((l: string) => process.stdout.write(`${l}\n`)))(line),
    // The database opens only for commands that need it, so `--help` works anywhere.
    async services() {
      if (!services) {
        database = await openDatabase({ url: options.config.DATABASE_URL, busyTimeoutMs: options.config.SQLITE_BUSY_TIMEOUT_MS });
        const { config } = options;
        services = createServices({
          db: database.prisma, inviteTtlDays: config.INVITE_TTL_DAYS,
          console: { linkMinutes: config.CONSOLE_LINK_MINUTES, idleMinutes: config.CONSOLE_IDLE_MINUTES, sessionHours: config.CONSOLE_SESSION_HOURS },
        });
      }
      return services;
    },
    async close() {
      await database?.close();
    },
  };
}
