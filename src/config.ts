import fs from "node:fs";
import { z } from "zod";

/** Every setting chibo reads from the environment, with its default. See .env.example. */
const ConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, { message: "must look like file:./data/chibo.db" })
    .default("file:./data/chibo.db"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEFAULT_LANGUAGE: z.enum(["vi", "en"]).default("vi"),
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; problem: string; value: string | undefined }[]) {
    super(problems.map((p) => `${p.variable}: ${p.problem}`).join("; "));
    this.name = "ConfigError";
  }
}

/** Parses the environment once. Empty strings count as unset, as in most .env files. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const present = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .map((key) => [key, env[key]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = ConfigSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "?");
      return { variable, problem: issue.message, value: present[variable] };
    }),
  );
}

/** Reads ./.env when there is one; variables already set in the environment win. */
export function loadDotEnv(file = ".env"): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
