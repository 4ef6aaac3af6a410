import type { RateLimits } from "../../delivery/rateLimiter.ts";

/**
 * Assumptions, not published figures: Zalo does not publish a per-second limit for consultation
 * messages, and answers -32 when an app calls too often in a minute. These stay well below what
 * OAs are reported to send (a broadcast to 3,000 members takes about 10 minutes at 5/s) and can be
 * raised once real traffic shows the ceiling. The OA API has no group chats, so perGroup only
 * satisfies the shape.
 */
export const ZALO_OA_LIMITS: RateLimits = {
  global: { count: 5, windowMs: 1000 },
  perChat: { count: 1, windowMs: 1000 },
  perGroup: { count: 1, windowMs: 1000 },
};
