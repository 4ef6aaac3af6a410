import { describe, expect, it } from "vitest";
import { TELEGRAM_LIMITS, createRateLimiter, type RateLimiter, type RateLimits } from "../../src/delivery/rateLimiter.ts";

const BENCH_LIMITS: RateLimits = { ...TELEGRAM_LIMITS, global: { count: 300, windowMs: 1000 } };

interface Recipient {
  chatId: string;
  isGroup: boolean;
}

function privateChats(count: number): Recipient[] {
  return Array.from({ length: count }, (_, i) => ({ chatId: `user-${i + 1}`, isGroup: false }));
}

function groupChats(count: number): Recipient[] {
  return Array.from({ length: count }, (_, i) => ({ chatId: `group-${i + 1}`, isGroup: true }));
}

/** A deterministic [0, 1) source, so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * An outbox worker on a simulated clock: it sleeps exactly as long as the limiter says (plus any
 * lateness), and sends only when the limiter answers 0. Returns the send times in order.
 */
function broadcast(
  limiter: RateLimiter,
  recipients: Recipient[],
  options: { startMs?: number; lateMs?: () => number; onSend?: (nowMs: number) => void } = {},
): number[] {
  const sentAtMs: number[] = [];
  let nowMs = options.startMs ?? 0;
  for (const { chatId, isGroup } of recipients) {
    for (let waitMs = limiter.delayFor(chatId, isGroup, nowMs); waitMs > 0; waitMs = limiter.delayFor(chatId, isGroup, nowMs)) {
      nowMs += waitMs + (options.lateMs?.() ?? 0);
    }
    limiter.record(chatId, isGroup, nowMs);
    sentAtMs.push(nowMs);
    options.onSend?.(nowMs);
  }
  return sentAtMs;
}

function fixedWindowMax(timesMs: number[], windowMs: number): number {
  const perWindow = new Map<number, number>();
  for (const t of timesMs) perWindow.set(Math.floor(t / windowMs), (perWindow.get(Math.floor(t / windowMs)) ?? 0) + 1);
  return Math.max(...perWindow.values());
}

/** The busiest window [t, t + windowMs) over all send times t; times must be ascending. */
function slidingWindowMax(timesMs: number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < timesMs.length; start++) {
    while (end < timesMs.length && (timesMs[end] ?? 0) < (timesMs[start] ?? 0) + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe("createRateLimiter: global limit", () => {
  it("sends 2,000 chats at 300/s with no 1-second window over 300 and in 2000/300 s", () => {
    const sentAtMs = broadcast(createRateLimiter(BENCH_LIMITS), privateChats(2000));

    expect(fixedWindowMax(sentAtMs, 1000)).toBeLessThanOrEqual(300);
    expect(slidingWindowMax(sentAtMs, 1000)).toBeLessThanOrEqual(300);
    const idealMs = (2000 / 300) * 1000;
    expect(Math.abs((sentAtMs.at(-1) ?? 0) - idealMs) / idealMs).toBeLessThan(0.01);
  });

  it("keeps every window within the limit when the worker wakes late", () => {
    const lateness = seededRandom(7);
    const sentAtMs = broadcast(createRateLimiter(BENCH_LIMITS), privateChats(2000), { lateMs: () => Math.floor(lateness() * 4) });

    expect(fixedWindowMax(sentAtMs, 1000)).toBeLessThanOrEqual(300);
    expect(slidingWindowMax(sentAtMs, 1000)).toBeLessThanOrEqual(300);
  });

  it("spreads Telegram's 30/s evenly instead of sending a second's budget at once", () => {
    const sentAtMs = broadcast(createRateLimiter(TELEGRAM_LIMITS), privateChats(300));

    expect(slidingWindowMax(sentAtMs, 1000)).toBeLessThanOrEqual(30);
    // Paced at 1000/30 ms, a tenth of a second holds 3 or 4 sends, never a burst of 30.
    expect(slidingWindowMax(sentAtMs, 100)).toBeLessThanOrEqual(5);
  });

  it("answers globalDelay from the global budget alone", () => {
    const limiter = createRateLimiter({ ...TELEGRAM_LIMITS, global: { count: 2, windowMs: 1000 } });
    limiter.record("a", false, 0);
    limiter.record("b", false, 0);

    expect(limiter.globalDelay(0)).toBe(1000);
    expect(limiter.globalDelay(999)).toBe(1);
    expect(limiter.globalDelay(1000)).toBe(0);
    expect(limiter.delayFor("a", false, 1000)).toBe(0);
  });

  it.each([
    ["a zero count", { count: 0, windowMs: 1000 }],
    ["a fractional count", { count: 1.5, windowMs: 1000 }],
    ["a zero window", { count: 30, windowMs: 0 }],
  ])("refuses %s", (_case, global) => {
    expect(() => createRateLimiter({ ...TELEGRAM_LIMITS, global })).toThrow(RangeError);
  });
});

describe("createRateLimiter: chat limits", () => {
  it.each([
    [0, 1000],
    [400, 600],
    [999, 1],
    [1000, 0],
  ])("makes a second message to the same private chat wait 1000 ms (at %i ms: %i ms)", (nowMs, expectedMs) => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.record("user-1", false, 0);
    expect(limiter.delayFor("user-1", false, nowMs)).toBe(expectedMs);
  });

  it("lets another chat send while one chat waits", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.record("user-1", false, 0);
    expect(limiter.delayFor("user-2", false, 0)).toBe(0);
  });

  it("lets a group take 20 messages a minute, one a second, then wait for the minute to pass", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    const sentAtMs = broadcast(limiter, Array.from({ length: 21 }, () => ({ chatId: "group-1", isGroup: true })));

    expect(sentAtMs.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    expect(sentAtMs[20]).toBe(60_000);
  });

  it("asks the 21st group message in a minute to wait until the first leaves the window", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    for (let i = 0; i < 20; i++) limiter.record("group-1", true, i * 1000);
    expect(limiter.delayFor("group-1", true, 20_000)).toBe(40_000);
  });

  it("does not hold private chats to the group limit", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    const sentAtMs = broadcast(limiter, Array.from({ length: 21 }, () => ({ chatId: "user-1", isGroup: false })));
    expect(sentAtMs[20]).toBe(20_000);
  });
});

describe("createRateLimiter: pauses", () => {
  it("holds every send until a 429's pause ends", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.pauseUntil(5000);

    expect(limiter.delayFor("user-1", false, 1000)).toBe(4000);
    expect(limiter.delayFor("group-1", true, 1000)).toBe(4000);
    expect(limiter.globalDelay(1000)).toBe(4000);
    expect(limiter.delayFor("user-1", false, 5000)).toBe(0);
  });

  it("keeps the longer pause when a shorter one arrives later", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.pauseUntil(5000);
    limiter.pauseUntil(3000);
    expect(limiter.globalDelay(1000)).toBe(4000);
  });
});

describe("createRateLimiter: a clock that goes backwards", () => {
  it("measures the wait from the earlier reading, so it grows", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.record("user-1", false, 10_000);
    expect(limiter.delayFor("user-1", false, 9500)).toBe(1500);
  });

  it("records a send stamped earlier than the last one at the later time", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.record("user-1", false, 10_000);
    limiter.record("user-1", false, 9000);
    // Stored at 9000, the chat would be free again at 10,000: the moment of the real last send.
    expect(limiter.delayFor("user-1", false, 10_500)).toBe(500);
  });

  it("keeps the global window closed after a backwards step", () => {
    const limiter = createRateLimiter({ ...TELEGRAM_LIMITS, global: { count: 1, windowMs: 1000 } });
    limiter.record("user-1", false, 10_000);
    expect(limiter.delayFor("user-2", false, 9000)).toBe(2000);
  });
});

describe("createRateLimiter: memory", () => {
  it("holds only the last second's private chats during a 50,000-chat broadcast", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    let mostTracked = 0;
    broadcast(limiter, privateChats(50_000), { onSend: () => (mostTracked = Math.max(mostTracked, limiter.trackedChatCount())) });

    // At 30 sends a second, at most 30 chats have a send inside their 1-second window.
    expect(mostTracked).toBeLessThanOrEqual(30);
  });

  it("holds a group for its full minute and then drops it", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    let mostTracked = 0;
    const sentAtMs = broadcast(limiter, groupChats(5000), { onSend: () => (mostTracked = Math.max(mostTracked, limiter.trackedChatCount())) });

    // Each group sits in the per-group map for 60 s and the per-chat map for 1 s: 30/s of each.
    expect(mostTracked).toBeGreaterThan(1000);
    expect(mostTracked).toBeLessThanOrEqual(30 * 60 + 30);

    limiter.record("user-1", false, (sentAtMs.at(-1) ?? 0) + 60_000);
    expect(limiter.trackedChatCount()).toBe(1);
  });

  it("drops a private chat once its second has passed and limits it afresh on its next send", () => {
    const limiter = createRateLimiter(TELEGRAM_LIMITS);
    limiter.record("user-1", false, 0);
    limiter.record("user-2", false, 5000);
    expect(limiter.trackedChatCount()).toBe(1);

    limiter.record("user-1", false, 5000);
    expect(limiter.trackedChatCount()).toBe(2);
    expect(limiter.delayFor("user-1", false, 5000)).toBe(1000);
  });
});
