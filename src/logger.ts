import { pino, type DestinationStream, type Logger } from "pino";
import { secrets, type Redactor } from "./redaction.ts";

/** How log lines are written: one JSON object a line, one line a person reads, or pretty on a terminal only. */
export const LOG_FORMATS = ["auto", "pretty", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogOutput {
  write(line: string): unknown;
  /** Set on a terminal (process.stdout there): `auto` writes pretty lines to it. */
  isTTY?: boolean;
}

export interface LoggerOptions {
  destination?: LogOutput;
  redactor?: Redactor;
  /** Default `auto`: pretty on a terminal, JSON anywhere else (a file, a pipe, a log collector). */
  format?: LogFormat;
  /** Colours in pretty lines; by default on a terminal only. */
  color?: boolean;
}

/** chibo's logger; every line passes through the redactor on its way out (no secret is ever written). */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const redactor = options.redactor ?? secrets;
  const out = options.destination ?? process.stdout;
  const format = options.format ?? "auto";
  const pretty = format === "pretty" || (format === "auto" && out.isTTY === true);
  const color = options.color ?? (pretty && out.isTTY === true);
  // Redacted last, on the very text written: a pretty line shows values unescaped, as a secret is.
  const destination: DestinationStream = { write: (line: string) => out.write(redactor.redact(pretty ? prettyLine(line, color) : line)) };
  return pino({ level, base: { service: "chibo" } }, destination);
}

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: "TRACE", color: "90" },
  20: { label: "DEBUG", color: "90" },
  30: { label: "INFO", color: "32" },
  40: { label: "WARN", color: "33" },
  50: { label: "ERROR", color: "31" },
  60: { label: "FATAL", color: "31;1" },
};
/** Said by the line itself (message, level, time) or the same on every line. */
const NOT_FIELDS = new Set(["level", "time", "msg", "err", "pid", "hostname", "service"]);
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

interface LoggedError {
  type?: string;
  message?: string;
  stack?: string;
}

/**
 * One pino JSON line as a person reads it: the sentence first, then the details as key=value, the
 * level and the time (Vietnam); an error's message and stack on the lines below, indented.
 */
export function prettyLine(json: string, color = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = LEVELS[Number(entry.level)] ?? { label: String(entry.level), color: "0" };
  const err = typeof entry.err === "object" && entry.err !== null ? (entry.err as LoggedError) : undefined;
  const message = typeof entry.msg === "string" && entry.msg !== "" ? entry.msg : (err?.message ?? "");
  const fields = Object.entries(entry).filter(([key]) => !NOT_FIELDS.has(key)).map(([key, value]) => `${key}=${fieldText(value)}`);
  const sentence = Number(entry.level) >= 40 ? paint(level.color, message) : message;
  const details = fields.length > 0 ? `${paint("2", fields.join(" "))}  ` : "";
  const lines = [`${sentence}  · ${details}${paint(level.color, level.label)} ${paint("2", clockTime(entry.time))}`];
  if (err) for (const line of errorLines(err)) lines.push(`    ${paint("2", line)}`);
  return `${lines.join("\n")}\n`;
}

/** The error's own line ("Error: connect ECONNREFUSED …"), then its stack frames. */
function errorLines(err: LoggedError): string[] {
  const head = `${err.type ?? "Error"}: ${err.message ?? ""}`;
  const stack = (err.stack ?? "").split("\n").filter((line) => line.trim() !== "");
  if (stack.length === 0) return [head];
  return err.message && !stack[0]!.includes(err.message) ? [head, ...stack] : stack;
}

function fieldText(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** HH:MM:SS in Vietnam, where chibo's people are (UTC+7 all year). */
function clockTime(time: unknown): string {
  const at = new Date(typeof time === "number" ? time + VIETNAM_OFFSET_MS : Number.NaN);
  return Number.isNaN(at.getTime()) ? "--:--:--" : at.toISOString().slice(11, 19);
}
