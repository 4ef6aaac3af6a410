import crypto from "node:crypto";
import fs from "node:fs";
import { z } from "zod";
import { problemFromIssue, type ConfigProblem } from "./configErrors.ts";

/** A host name or address ("[IPv6]" in brackets), with an optional port: one of WEB_CHAT_HOSTS. */
const HOST_ENTRY = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Every setting chibo reads from the environment, with its default. See .env.example. */
const ConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, { message: "must look like file:./data/chibo.db" })
    .default("file:./data/chibo.db"),
  // This machine only unless set: polling needs no inbound connection; a reverse proxy here reaches 127.0.0.1.
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // auto: one readable line per event on a terminal, JSON lines anywhere else.
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  DEFAULT_LANGUAGE: z.enum(["vi", "en"]).default("vi"),
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  // The committee console: how long a sign-in link from /web stays valid, and how long a session lasts.
  CONSOLE_LINK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  CONSOLE_IDLE_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  SCHEDULER_ENABLED: z.stringbool({ error: "must be true or false" }).default(true),
  SCHEDULE_CATCH_UP_HOURS: z.coerce.number().int().min(0).max(168).default(24),
  RETENTION_OUTBOX_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_INBOUND_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RETENTION_ATTENDANCE_REASON_DAYS: z.coerce.number().int().min(366).max(3650).default(400),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  FLOW_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, { message: "must look like 123456789:AAE…, as given by @BotFather" }).optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("https://api.telegram.org"),
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be the https URL where chibo is reachable" }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { message: "must be 16–256 letters, digits, _ or -" }).optional(),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(30),
  TELEGRAM_RATE_PER_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
  TELEGRAM_RATE_PER_GROUP_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
  ZALO_BOT_TOKEN: z.string().regex(/^[A-Za-z0-9:_-]{10,200}$/, { message: "must be the bot token from Zalo Bot Creator" }).optional(),
  ZALO_BOT_API_ROOT: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("https://bot-api.zaloplatforms.com"),
  ZALO_BOT_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{8,256}$/, { message: "must be 8–256 letters, digits, _ or -" }).optional(),
  ZALO_BOT_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  ZALO_BOT_RATE_PER_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
  ZALO_OA_APP_ID: z.string().regex(/^\d{5,30}$/, { message: "must be the app id (digits) from developers.zalo.me" }).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(8, { message: "must be the OA secret key from the app's Webhook page" }).optional(),
  ZALO_OA_APP_SECRET: z.string().min(8, { message: "must be the app's secret key from developers.zalo.me" }).optional(),
  ZALO_OA_ACCESS_TOKEN: z.string().min(10, { message: "must be the OA access token" }).optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().min(10, { message: "must be the OA refresh token" }).optional(),
  ZALO_OA_API_ROOT: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("https://openapi.zalo.me"),
  ZALO_OA_OAUTH_ROOT: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("https://oauth.zaloapp.com"),
  ZALO_OA_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  ZALO_OA_RATE_PER_CHAT_PER_SECOND: z.coerce.number().int().min(1).max(100).default(1),
  // Unset: on while no chat platform is connected (see webChatSetting).
  WEB_CHAT_ENABLED: z.stringbool({ error: "must be true or false" }).optional(),
  WEB_CHAT_HOSTS: z.string()
    .refine((value) => value.split(",").every((host) => HOST_ENTRY.test(host.trim())), { message: "must be host names or addresses, each with an optional :port, separated by commas" })
    .optional(),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(512),
  CHIBO_SECRET_KEY: z.string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, { message: "must be 32 random bytes as 64 hex digits (e.g. from «openssl rand -hex 32») or base64" })
    .optional(),
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  // Unset: no nightly backup (`npm run chibo -- backup <file>` still makes one by hand).
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(366).default(7),
  BACKUP_TIME: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time of day as HH:MM, e.g. 02:30" }).default("02:30"),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Every variable chibo reads, in the schema's order (README and .env.example list each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ConfigSchema.shape);

export class ConfigError extends Error {
  /** Each problem says what was given and what is expected; describeConfigProblem makes it a sentence. */
  constructor(readonly problems: ConfigProblem[]) {
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
  if (result.success) {
    // Zalo OA needs all of its keys or none.
    const oaKeys = ["ZALO_OA_APP_ID", "ZALO_OA_SECRET_KEY", "ZALO_OA_APP_SECRET", "ZALO_OA_REFRESH_TOKEN"] as const;
    const given = oaKeys.filter((key) => result.data[key] !== undefined);
    if (given.length > 0 && given.length < oaKeys.length) {
      throw new ConfigError(oaKeys.filter((key) => result.data[key] === undefined).map((variable) => ({
        variable, problem: `is needed with ${given.join(", ")} to connect the Zalo Official Account`, value: undefined, expected: { kind: "neededWith", given },
      })));
    }
    // Node refuses a server whose headers may take longer than the whole request.
    if (result.data.HTTP_HEADERS_TIMEOUT_MS > result.data.HTTP_REQUEST_TIMEOUT_MS) {
      throw new ConfigError([{
        variable: "HTTP_HEADERS_TIMEOUT_MS", problem: `must not exceed HTTP_REQUEST_TIMEOUT_MS (${result.data.HTTP_REQUEST_TIMEOUT_MS})`, value: String(result.data.HTTP_HEADERS_TIMEOUT_MS),
        expected: { kind: "notAbove", other: "HTTP_REQUEST_TIMEOUT_MS", otherValue: result.data.HTTP_REQUEST_TIMEOUT_MS },
      }]);
    }
    return result.data;
  }
  const shape: Record<string, z.ZodType> = ConfigSchema.shape;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "?");
      return problemFromIssue(issue, shape[variable], present[variable]);
    }),
  );
}

/** Why the web chat is on or off: as set, or by default on only while no chat platform is connected. */
export type WebChatSetting = { enabled: true; reason: "set" | "noChannel" } | { enabled: false; reason: "set" | "channelConnected" };

export function webChatSetting(config: Config): WebChatSetting {
  if (config.WEB_CHAT_ENABLED === true) return { enabled: true, reason: "set" };
  if (config.WEB_CHAT_ENABLED === false) return { enabled: false, reason: "set" };
  const connected = Boolean(config.TELEGRAM_BOT_TOKEN || config.ZALO_BOT_TOKEN || config.ZALO_OA_APP_ID);
  return connected ? { enabled: false, reason: "channelConnected" } : { enabled: true, reason: "noChannel" };
}

/** The hosts (with an optional port) the web chat answers besides this machine's own names. */
export function webChatHosts(config: Config): string[] {
  return (config.WEB_CHAT_HOSTS ?? "").split(",").map((host) => host.trim().toLowerCase()).filter((host) => host !== "");
}

/**
 * The webhook secret: the one configured, or one derived from the bot token so it stays the same
 * across restarts without another setting (anyone holding the token controls the bot anyway).
 */
/** The Zalo bot's webhook secret: as configured, or derived from its token (stable across restarts). */
export function zaloBotWebhookSecret(config: Config): string | undefined {
  if (config.ZALO_BOT_WEBHOOK_SECRET) return config.ZALO_BOT_WEBHOOK_SECRET;
  if (!config.ZALO_BOT_TOKEN) return undefined;
  return crypto.createHash("sha256").update(`chibo-zalo-webhook:${config.ZALO_BOT_TOKEN}`).digest("hex").slice(0, 48);
}

export function telegramWebhookSecret(config: Config): string | undefined {
  if (config.TELEGRAM_WEBHOOK_SECRET) return config.TELEGRAM_WEBHOOK_SECRET;
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  return crypto.createHash("sha256").update(`chibo-webhook:${config.TELEGRAM_BOT_TOKEN}`).digest("hex").slice(0, 48);
}

/** Reads ./.env when there is one; variables already set in the environment win. */
export function loadDotEnv(file = ".env"): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
