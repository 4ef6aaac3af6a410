import { pino } from "pino";
import { parseConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/runtime.ts";
import type { Clock } from "../../src/services/clock.ts";
import type { DemoMember } from "../../src/services/demo.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";

export interface LocalChibo {
  chibo: Chibo;
  database: TestDatabase;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * chibo as `npm start` builds it with no Telegram token, on a fresh database and a free port;
 * `options.clock` fixes the calendar (the system clock otherwise).
 */
export async function startChiboLocal(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<LocalChibo> {
  const database = await freshDatabase();
  const config = parseConfig({ DATABASE_URL: database.url, HOST: "127.0.0.1", PORT: "0", OUTBOX_LEASE_SECONDS: "5", SCHEDULER_ENABLED: "false", ...env });
  const chibo = await startChibo({ config, logger: pino({ level: "silent" }), ...(options.clock ? { clock: options.clock } : {}) });
  let stopped = false;
  return {
    chibo,
    database,
    baseUrl: `http://127.0.0.1:${chibo.port}`,
    /** Safe to call twice (a test may stop chibo early to see the page lose it). */
    async stop() {
      if (stopped) return;
      stopped = true;
      await chibo.stop();
      await database.cleanup();
    },
  };
}

/** Loads the demo province (as `npm run chibo -- demo` does) and returns its members. */
export async function loadDemo(chibo: Chibo): Promise<DemoMember[]> {
  const { members } = await chibo.services.demo.load(new Date(), { kind: "cli" });
  return members;
}

/** The demo secretary of a cell. */
export function demoSecretary(members: DemoMember[], cellCode = "demo-thon-dong"): DemoMember {
  const found = members.find((m) => m.cellCode === cellCode && m.roles.includes("secretary"));
  if (!found) throw new Error(`no demo secretary in ${cellCode}`);
  return found;
}
