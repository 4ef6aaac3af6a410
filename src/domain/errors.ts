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

/**
 * The acting member's roles do not cover what they asked for (another cell, an organization
 * outside their subtree). The default sentence is the chat's "not allowed"; a use case may name a
 * more precise one.
 */
export class NotAllowedError extends DomainError {
  constructor(code = "chat:notAllowed", params: Record<string, string | number> = {}) {
    super(code, params, `not allowed (${code})`);
    this.name = "NotAllowedError";
  }
}

/**
 * What the input names is not there (any more): a notice, a meeting, a member. In the chat it
 * came from an old button, hence the default sentence.
 */
export class NotFoundError extends DomainError {
  constructor(code = "chat:staleButton", params: Record<string, string | number> = {}) {
    super(code, params, `not found (${code})`);
    this.name = "NotFoundError";
  }
}
