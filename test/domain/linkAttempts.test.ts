import { describe, expect, it } from "vitest";
import { LINK_FAILURE_WINDOW_MINUTES, linkingBlockedUntil, minutesToWait } from "../../src/domain/linkAttempts.ts";

const NOW = new Date("2026-12-03T03:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe("how long linking waits after wrong codes", () => {
  it("lets a chat try while fewer than the maximum failures fall in the window", () => {
    expect(linkingBlockedUntil([{ max: 5, maxthNewestAt: null }], NOW)).toBeNull();
    // The fifth newest failure is older than the window: it no longer counts.
    expect(linkingBlockedUntil([{ max: 5, maxthNewestAt: minutesAgo(LINK_FAILURE_WINDOW_MINUTES) }], NOW)).toBeNull();
  });

  it("waits until the maximum-th newest failure is a full window old (the window slides)", () => {
    const until = linkingBlockedUntil([{ max: 5, maxthNewestAt: minutesAgo(4) }], NOW);
    expect(until).toEqual(new Date(NOW.getTime() + 11 * 60_000));
    expect(minutesToWait(until!, NOW)).toBe(11);
  });

  it("takes the longest wait of the counts that are over their maximum", () => {
    const until = linkingBlockedUntil([
      { max: 5, maxthNewestAt: minutesAgo(10) },
      { max: 5, maxthNewestAt: null },
      { max: 200, maxthNewestAt: minutesAgo(1) },
    ], NOW);
    expect(until).toEqual(new Date(NOW.getTime() + 14 * 60_000));
  });

  it("tells whole minutes, rounded up, never zero", () => {
    expect(minutesToWait(new Date(NOW.getTime() + 61_000), NOW)).toBe(2);
    expect(minutesToWait(new Date(NOW.getTime() + 1_000), NOW)).toBe(1);
    expect(minutesToWait(new Date(NOW.getTime() + 15 * 60_000), NOW)).toBe(15);
  });
});
