import { pino, type DestinationStream, type Logger } from "pino";
import { secrets, type Redactor } from "./redaction.ts";

/** chibo's logger; every line passes through the redactor on its way out (no secret is ever written). */
export function createLogger(level: string, options: { destination?: { write(line: string): unknown }; redactor?: Redactor } = {}): Logger {
  const redactor = options.redactor ?? secrets;
  const out = options.destination ?? process.stdout;
  const destination: DestinationStream = { write: (line: string) => out.write(redactor.redact(line)) };
  return pino({ level, base: { service: "chibo" } }, destination);
}
