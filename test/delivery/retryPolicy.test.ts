import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  DeliveryError,
  backoffDelayMs,
  decideNextStep,
  type DeliveryFailure,
  type RetryPolicy,
} from "../../src/delivery/retryPolicy.ts";

const NO_JITTER: RetryPolicy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
const LOWEST = () => 0;
const MIDDLE = () => 0.5;
const HIGHEST = () => 0.999_999;

describe("backoffDelayMs", () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [9, 256_000],
    [10, 300_000],
    [60, 300_000],
    [2000, 300_000],
  ])("waits base · 2^(attempt-1) capped at 5 min: attempt %i → %i ms", (attempt, expectedMs) => {
    expect(backoffDelayMs(NO_JITTER, attempt)).toBe(expectedMs);
  });

  it("lands exactly on the exponential value when the random draw is in the middle", () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, MIDDLE)).toBe(4000);
  });

  it.each([
    ["the lowest draw", LOWEST, 3200],
    ["the highest draw", HIGHEST, 4800],
  ])("stays within ±20%% of 4 s for %s", (_case, random, expectedMs) => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, random)).toBe(expectedMs);
  });

  it("keeps a thousand random delays within ±jitter and spreads them", () => {
    const delaysMs = Array.from({ length: 1000 }, () => backoffDelayMs(DEFAULT_RETRY_POLICY, 4));
    expect(Math.min(...delaysMs)).toBeGreaterThanOrEqual(6400);
    expect(Math.max(...delaysMs)).toBeLessThanOrEqual(9600);
    expect(new Set(delaysMs).size).toBeGreaterThan(100);
  });

  it("never exceeds the cap, jitter included, but still spreads delays below it", () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, HIGHEST)).toBe(300_000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, LOWEST)).toBe(240_000);
  });

  it.each([0, -1, 1.5])("refuses attempt %s", (attempt) => {
    expect(() => backoffDelayMs(DEFAULT_RETRY_POLICY, attempt)).toThrow(RangeError);
  });
});

describe("decideNextStep", () => {
  const transient: DeliveryFailure = { kind: "transient", description: "502 Bad Gateway" };

  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16_000],
  ])("retries a transient failure after attempt %i with a %i ms backoff", (attemptsSoFar, delayMs) => {
    expect(decideNextStep(transient, attemptsSoFar, DEFAULT_RETRY_POLICY, MIDDLE)).toEqual({ action: "retry", delayMs });
  });

  it.each([6, 7])("dead-letters a transient failure once %i attempts have been made", (attemptsSoFar) => {
    expect(decideNextStep(transient, attemptsSoFar, DEFAULT_RETRY_POLICY)).toEqual({
      action: "deadLetter",
      reason: `gave up after ${attemptsSoFar} attempts: 502 Bad Gateway`,
    });
  });

  it.each([
    ["403 blocked by the user, on the first attempt", { kind: "blocked", description: "Forbidden: bot was blocked by the user" }, 1,
      { action: "markUnreachable", reason: "Forbidden: bot was blocked by the user" }],
    ["403 kicked from the group, with attempts to spare", { kind: "blocked", description: "Forbidden: bot was kicked from the group chat" }, 3,
      { action: "markUnreachable", reason: "Forbidden: bot was kicked from the group chat" }],
    ["400 bad request, on the first attempt", { kind: "permanent", description: "Bad Request: message is too long" }, 1,
      { action: "deadLetter", reason: "Bad Request: message is too long" }],
    ["400 chat not found, on the first attempt", { kind: "permanent", description: "Bad Request: chat not found" }, 1,
      { action: "deadLetter", reason: "Bad Request: chat not found" }],
  ] as const)("does not retry %s", (_case, failure, attemptsSoFar, step) => {
    expect(decideNextStep(failure, attemptsSoFar, DEFAULT_RETRY_POLICY)).toEqual(step);
  });

  it.each([1, 6, 100])("waits out a 429 and pauses every send, not counting it, after %i attempts", (attemptsSoFar) => {
    expect(decideNextStep({ kind: "rateLimited", retryAfterMs: 35_000 }, attemptsSoFar, DEFAULT_RETRY_POLICY)).toEqual({
      action: "retryAfter",
      delayMs: 35_000,
      countsAsAttempt: false,
      pauseAllMs: 35_000,
    });
  });

  it("honours a 429's wait even when it is longer than the backoff cap", () => {
    const hoursMs = 3 * 60 * 60_000;
    const step = decideNextStep({ kind: "rateLimited", retryAfterMs: hoursMs }, 1, DEFAULT_RETRY_POLICY);
    expect(step).toMatchObject({ action: "retryAfter", delayMs: hoursMs, pauseAllMs: hoursMs });
  });
});

describe("DeliveryError", () => {
  it("carries the failure a transport classified, with a message for logs", () => {
    const error = new DeliveryError({ kind: "blocked", description: "Forbidden: bot was blocked by the user" });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DeliveryError");
    expect(error.failure).toEqual({ kind: "blocked", description: "Forbidden: bot was blocked by the user" });
    expect(error.message).toBe("blocked: Forbidden: bot was blocked by the user");
  });

  it("names the wait in a 429's message", () => {
    expect(new DeliveryError({ kind: "rateLimited", retryAfterMs: 5000 }).message).toBe("rateLimited: retry after 5000 ms");
  });
});
