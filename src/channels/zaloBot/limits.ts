import type { RateLimits } from "../../delivery/rateLimiter.ts";

/**
 * Assumptions, not published figures: the Zalo Bot Platform documents no sending limits. These
 * stay below Telegram's (which the platform copies in shape) until real 429s say otherwise; a
 * 429 pauses every send anyway.
 */
export const ZALO_BOT_LIMITS: RateLimits = {
  global: { count: 20, windowMs: 1000 },
  perChat: { count: 1, windowMs: 1000 },
  perGroup: { count: 20, windowMs: 60_000 },
};
