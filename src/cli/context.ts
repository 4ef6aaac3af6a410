import type { TFunction } from "i18next";
import type { Config } from "../config.ts";
import type { Language } from "../i18n.ts";
import { systemClock, type Clock } from "../services/clock.ts";
import { createDemoService } from "../services/demo.ts";
import { createInviteService } from "../services/invites.ts";
import { createMeetingService } from "../services/meetings.ts";
import { createMemberImportService } from "../services/memberImport.ts";
import { createMemberService } from "../services/members.ts";
import { createOrganizationService } from "../services/organizations.ts";
import { openDatabase, type Database } from "../storage/database.ts";

/** Everything a CLI command may use, built once per invocation. */
export interface CliContext {
  t: TFunction;
  language: Language;
  clock: Clock;
  out(line?: string): void;
  /** Set by a command that finished but failed (e.g. an import refused for bad rows). */
  exitCode: number;
  services(): Promise<Services>;
  close(): Promise<void>;
}

export type Services = ReturnType<typeof buildServices>;

function buildServices(database: Database, config: Config) {
  const db = database.prisma;
  const organizations = createOrganizationService({ db });
  const invites = createInviteService({ db, ttlDays: config.INVITE_TTL_DAYS });
  return {
    db,
    organizations,
    invites,
    members: createMemberService({ db }),
    meetings: createMeetingService({ db, organizations }),
    memberImport: createMemberImportService({ db, organizations }),
    demo: createDemoService({ db, organizations, invites }),
  };
}

export function createCliContext(options: { config: Config; t: TFunction; language: Language; clock?: Clock; out?: (line: string) => void }): CliContext {
  let database: Database | undefined;
  let services: Services | undefined;
  return {
    exitCode: 0,
    t: options.t,
    language: options.language,
    clock: options.clock ?? systemClock,
    out: (line = "") => (options.out ?? ((l: string) => process.stdout.write(`${l}\n`)))(line),
    // The database opens only for commands that need it, so `--help` works anywhere.
    async services() {
      if (!services) {
        database = await openDatabase({ url: options.config.DATABASE_URL, busyTimeoutMs: options.config.SQLITE_BUSY_TIMEOUT_MS });
        services = buildServices(database, options.config);
      }
      return services;
    },
    async close() {
      await database?.close();
    },
  };
}
