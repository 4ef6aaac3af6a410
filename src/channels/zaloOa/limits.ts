import type { RateLimits } from "../../delivery/rateLimiter.ts";

/**
 * Zalo documents 4,000 requests a minute per app (about 66 a second; -32 past it) and nothing per
 * person. The global figure stays at a third of that, leaving room for the token refreshes and for
 * a second instance sharing the app; the per-chat one is an assumption that keeps a burst of
 * replies to one member readable. The OA API has no group chats, so perGroup only fills the shape.
 */
export const ZALO_OA_LIMITS: RateLimits = {
  global: { count: 20, windowMs: 1000 },
  perChat: { count: 1, windowMs: 1000 },
  perGroup: { count: 1, windowMs: 1000 },
};
