/** At most `count` sends in any interval of `windowMs` milliseconds. */
export interface Limit {
  count: number;
  windowMs: number;
}

export interface RateLimits {
  global: Limit;
  /** Every chat, private or group. */
  perChat: Limit;
  /** Group chats, on top of `perChat`. */
  perGroup: Limit;
}

/** Telegram's published bulk limits: ~30/s per bot, 1/s per chat, 20/min per group. */
export const TELEGRAM_LIMITS: RateLimits = {
  global: { count: 30, windowMs: 1000 },
  perChat: { count: 1, windowMs: 1000 },
  perGroup: { count: 20, windowMs: 60_000 },
};

/** The outbox worker's gate; every time is in ms on the caller's clock, and nothing here reads it. */
export interface RateLimiter {
  /** ms to wait until a send to this chat is allowed by all limits at `nowMs` (0 = now); a whole number. */
  delayFor(chatId: string, isGroup: boolean, nowMs: number): number;
  /** Records a send at nowMs (call only when delayFor returned 0; a send is recorded even if not). */
  record(chatId: string, isGroup: boolean, nowMs: number): void;
  /** Globally pause all sends until untilMs (Telegram 429 retry_after). */
  pauseUntil(untilMs: number): void;
  /** ms until the global budget allows any send (ignoring chat limits). */
  globalDelay(nowMs: number): number;
  /** Chat entries held in memory (per-chat plus per-group); entries whose window has passed are dropped. */
  trackedChatCount(): number;
}

/**
 * The global budget is both a hard sliding window (a ring of the last `count` send times) and a
 * pacer that spaces sends `windowMs / count` apart. Without the pacer the window lets a whole
 * second's budget go at once and then idles, so 2,000 sends at 300/s would take 6 s of bursts
 * rather than an even 6.7 s, and Telegram answers bursts with 429s even under the nominal limit.
 * Chat windows are not paced: a group may get a few replies in quick succession.
 *
 * Times that go backwards are never trusted to free budget: a send is recorded at the latest
 * time seen, and waits are measured from the (earlier) clock reading, so they only grow.
 */
export function createRateLimiter(limits: RateLimits): RateLimiter {
  for (const [name, limit] of Object.entries(limits)) checkLimit(name, limit);
  const globalWindow = new SendWindow(limits.global.count, limits.global.windowMs);
  const pacer = new Pacer(limits.global.windowMs / limits.global.count);
  const chats = new ChatWindows(limits.perChat);
  const groups = new ChatWindows(limits.perGroup);
  let pausedUntilMs = -Infinity;
  let latestSendMs = -Infinity;

  const globalDelay = (nowMs: number): number =>
    wholeMs(Math.max(pausedUntilMs - nowMs, globalWindow.delayMs(nowMs), pacer.delayMs(nowMs)));

  return {
    globalDelay,
    delayFor(chatId, isGroup, nowMs) {
      const chatDelayMs = Math.max(chats.delayMs(chatId, nowMs), isGroup ? groups.delayMs(chatId, nowMs) : 0);
      return Math.max(globalDelay(nowMs), wholeMs(chatDelayMs));
    },
    record(chatId, isGroup, nowMs) {
      latestSendMs = Math.max(latestSendMs, nowMs);
      globalWindow.record(latestSendMs);
      pacer.record(latestSendMs);
      chats.record(chatId, latestSendMs);
      if (isGroup) groups.record(chatId, latestSendMs);
      // Both maps on every send: a run of private sends must still let idle groups go.
      chats.prune(nowMs);
      groups.prune(nowMs);
    },
    pauseUntil(untilMs) {
      // A shorter retry_after arriving after a longer one must not cut the longer pause short.
      pausedUntilMs = Math.max(pausedUntilMs, untilMs);
    },
    trackedChatCount: () => chats.size + groups.size,
  };
}

function checkLimit(name: string, limit: Limit): void {
  if (!Number.isInteger(limit.count) || limit.count < 1 || !(limit.windowMs > 0)) {
    throw new RangeError(`Rate limit "${name}" needs a whole count >= 1 and a positive window; got ${limit.count}/${limit.windowMs} ms`);
  }
}

/** Rounded up so that a caller sleeping exactly this long finds the send allowed. */
function wholeMs(delayMs: number): number {
  return delayMs > 0 ? Math.ceil(delayMs) : 0;
}

/** Ring of the last `count` send times, oldest at `next`; times are recorded in order. */
class SendWindow {
  private readonly timesMs: number[];
  private next = 0;
  private filled = 0;

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
  ) {
    this.timesMs = new Array<number>(count).fill(0);
  }

  /** A send at nowMs is allowed once the count-th most recent send has left the window. */
  delayMs(nowMs: number): number {
    if (this.filled < this.count) return 0;
    return (this.timesMs[this.next] ?? 0) + this.windowMs - nowMs;
  }

  record(atMs: number): void {
    this.timesMs[this.next] = atMs;
    this.next = (this.next + 1) % this.count;
    this.filled = Math.min(this.filled + 1, this.count);
  }

  get latestMs(): number {
    return this.timesMs[(this.next + this.count - 1) % this.count] ?? 0;
  }
}

/**
 * GCRA-style spacing: each send moves the theoretical next slot on by one interval. One interval
 * of slack lets a caller that wakes a little late (whole-ms sleeps) keep the full rate instead of
 * losing the lateness on every send; the sliding window still caps any burst this allows.
 */
class Pacer {
  private nextSlotMs = -Infinity;

  constructor(private readonly intervalMs: number) {}

  delayMs(nowMs: number): number {
    return this.nextSlotMs - this.intervalMs - nowMs;
  }

  record(atMs: number): void {
    this.nextSlotMs = Math.max(this.nextSlotMs, atMs) + this.intervalMs;
  }
}

/**
 * One sliding window per chat. Map order is kept as order of last send (an entry is moved to the
 * end when it sends, and sends are recorded in time order), so expired entries sit at the front
 * and pruning is amortised O(1) per send: a 50,000-chat broadcast holds only the chats of the
 * last window, not every chat it has touched.
 */
class ChatWindows {
  private readonly windows = new Map<string, SendWindow>();

  constructor(private readonly limit: Limit) {}

  get size(): number {
    return this.windows.size;
  }

  delayMs(chatId: string, nowMs: number): number {
    return this.windows.get(chatId)?.delayMs(nowMs) ?? 0;
  }

  /** `atMs` must not be earlier than any time recorded before, which keeps the map in expiry order. */
  record(chatId: string, atMs: number): void {
    const window = this.windows.get(chatId) ?? new SendWindow(this.limit.count, this.limit.windowMs);
    this.windows.delete(chatId);
    window.record(atMs);
    this.windows.set(chatId, window);
  }

  /** Pruned against the raw clock: if it went backwards, entries are kept longer, never dropped early. */
  prune(nowMs: number): void {
    for (const [chatId, window] of this.windows) {
      if (window.latestMs + this.limit.windowMs > nowMs) return;
      this.windows.delete(chatId);
    }
  }
}
