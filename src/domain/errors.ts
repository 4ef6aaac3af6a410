/**
 * A rule of the domain was broken by the input. `code` is an i18next key with its namespace,
 * e.g. "schedule:postponeTooLate", naming a sentence in locales/vi/schedule.json and
 * locales/en/schedule.json; `params` fill it in; `message` is an English fallback for logs.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
