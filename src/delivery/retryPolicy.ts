export interface RetryPolicy {
  /** Attempts in all, the first send included; 429s are not counted. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Hard ceiling: a jittered delay never exceeds it. */
  maxDelayMs: number;
  /** Fraction 0..1: each delay lands within ±jitter of the exponential value. */
  jitter: number;
}

/** Six attempts with 1, 2, 4, 8 and 16 s (±20%) between them: rides out about half a minute of trouble. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  jitter: 0.2,
};

/** Why one send failed, as a transport reports it; the outbox decides what to do from this alone. */
export type DeliveryFailure =
  | { kind: "rateLimited"; retryAfterMs: number } // 429
  | { kind: "blocked"; description: string } // 403: the bot was blocked or removed; never retry
  | { kind: "outsideWindow"; description: string } // the platform only lets us write within a window after the person's last message
  | { kind: "transient"; description: string } // 5xx, network, timeout
  | { kind: "permanent"; description: string }; // other 4xx: bad request, chat not found

export type NextStep =
  | { action: "retryAfter"; delayMs: number; countsAsAttempt: false; pauseAllMs: number }
  | { action: "retry"; delayMs: number }
  | { action: "deadLetter"; reason: string }
  | { action: "markUnreachable"; reason: string }
  | { action: "fallBack"; reason: string };

/** What a transport throws when a send fails, so the outbox can classify it without platform types. */
export class DeliveryError extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(failure.kind === "rateLimited" ? `rateLimited: retry after ${failure.retryAfterMs} ms` : `${failure.kind}: ${failure.description}`);
    this.name = "DeliveryError";
  }
}

/**
 * Delay before the retry that follows failure number `attempt` (1 = the first send failed):
 * base · 2^(attempt-1), capped at maxDelayMs, then spread by ±jitter so that a broadcast that
 * failed all at once does not retry all at once. Clamped to the cap again afterwards, so the cap
 * stays a true maximum; `random` returns [0, 1) like Math.random.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt counts from 1; got ${attempt}`);
  const exponentialMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const spread = policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, exponentialMs * (1 + spread))));
}

/** `attemptsSoFar` counts the send that just failed, and excludes sends answered with 429. */
export function decideNextStep(failure: DeliveryFailure, attemptsSoFar: number, policy: RetryPolicy, random: () => number = Math.random): NextStep {
  switch (failure.kind) {
    case "rateLimited": {
      // Telegram's 429 applies to the whole bot, so the outbox pauses every send, not just this one.
      const waitMs = Math.max(0, failure.retryAfterMs);
      return { action: "retryAfter", delayMs: waitMs, countsAsAttempt: false, pauseAllMs: waitMs };
    }
    case "blocked":
      return { action: "markUnreachable", reason: failure.description };
    case "outsideWindow":
      // The chat itself is fine (the window opens again when the person writes): the message goes
      // by another of the person's channels if there is one.
      return { action: "fallBack", reason: failure.description };
    case "permanent":
      return { action: "deadLetter", reason: failure.description };
    case "transient":
      if (attemptsSoFar >= policy.maxAttempts) {
        return { action: "deadLetter", reason: `gave up after ${attemptsSoFar} attempts: ${failure.description}` };
      }
      return { action: "retry", delayMs: backoffDelayMs(policy, Math.max(1, attemptsSoFar), random) };
  }
}
