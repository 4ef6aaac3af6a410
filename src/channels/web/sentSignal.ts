/**
 * Wakes the page's long poll when the outbox marks a message to its chat sent. Only a hint:
 * a waiter also looks at the table again after `recheckMs`, so a message sent by another
 * instance sharing the database is seen too, just later.
 */
export function createSentSignal() {
  const waiters = new Map<string, Set<() => void>>();
  let closed = false;

  return {
    notify(chatId: string): void {
      const set = waiters.get(chatId);
      if (!set) return;
      waiters.delete(chatId);
      for (const wake of set) wake();
    },
    /** Resolves when the chat got a message, after `ms`, or at shutdown. */
    wait(chatId: string, ms: number): Promise<void> {
      if (closed || ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const set = waiters.get(chatId) ?? new Set();
        waiters.set(chatId, set);
        const wake = () => {
          clearTimeout(timer);
          set.delete(wake);
          if (set.size === 0 && waiters.get(chatId) === set) waiters.delete(chatId);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        set.add(wake);
      });
    },
    get closed() {
      return closed;
    },
    /** Releases every waiter; later waits return at once. */
    close(): void {
      closed = true;
      for (const set of waiters.values()) for (const wake of [...set]) wake();
      waiters.clear();
    },
  };
}

export type SentSignal = ReturnType<typeof createSentSignal>;
