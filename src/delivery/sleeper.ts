/**
 * A loop's sleep that can be cut short: by a stop, or by news the loop should act on (a send
 * finished). News that comes while the loop is busy is kept, so its next sleep returns at once
 * instead of missing it for a whole poll.
 */
export function createSleeper() {
  let wakeNow: (() => void) | undefined;
  let woken = false;
  return {
    sleep(ms: number): Promise<void> {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          wakeNow = undefined;
          woken = false;
          resolve();
        }
        wakeNow = done;
      });
    },
    wake(): void {
      woken = true;
      wakeNow?.();
    },
  };
}
