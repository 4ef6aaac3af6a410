import type { Clock } from "../../src/services/clock.ts";

/**
 * A clock that starts at a chosen instant and runs at real speed, so rate limits and leases
 * behave as in production while the calendar is the test's; `jump` moves it forward.
 */
export function runningClock(at: string | Date): Clock & { jump(ms: number): void; set(at: string | Date): void } {
  let offset = new Date(at).getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    jump(ms) {
      offset += ms;
    },
    set(next) {
      offset = new Date(next).getTime() - Date.now();
    },
  };
}
