/**
 * Platform secrets must never reach a log line or a stored error. Libraries put them in messages
 * (telegraf's "404: Not Found" for `…/bot<TOKEN>/getMe` when a proxy answers HTML, an OA refresh
 * in a URL), so every log line and every error text chibo stores passes through `redact`.
 *
 * The secrets chibo holds are registered once they are known (the tokens from the environment at
 * start, each new OA token pair when it is refreshed). Patterns catch what was never registered:
 * a Bot API path `/bot<token>/`, `access_token=`/`refresh_token=` query values, a `secret_key`.
 */
const MIN_SECRET_LENGTH = 8;
const REDACTED = "[redacted]";

const PATTERNS: [RegExp, string][] = [
  [/\/bot[^/\s"'<>]{8,}\//g, `/bot${REDACTED}/`],
  [/((?:access_token|refresh_token|secret_key|app_secret)["']?\s*[=:]\s*["']?)[^\s"'&,}]+/gi, `$1${REDACTED}`],
];

export interface Redactor {
  /** Adds a value that must never be shown (too short a value is ignored: it would mask common text). */
  register(secret: string | undefined | null): void;
  redact(text: string): string;
  /** An error's message, redacted: what chibo stores about a failure. */
  errorText(error: unknown): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  let ordered: string[] = [];
  const redact = (text: string): string => {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
  return {
    register(secret) {
      if (!secret || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
      secrets.add(secret);
      ordered = [...secrets].sort((a, b) => b.length - a.length);
    },
    redact,
    errorText: (error) => redact(error instanceof Error ? error.message : String(error)),
  };
}

/** The process's redactor: logging and error storage are process-wide concerns, like the logger itself. */
export const secrets = createRedactor();
