const POLL_MS = 5;

/**
 * Polls rather than listens, so a predicate may look at anything (the fake, a database, a spy).
 * The error names the calls so far: a wait that fails usually means a call never came.
 */
export async function waitUntil(predicate: () => boolean, timeoutMs: number, callsSoFar: () => Record<string, number>) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= deadline) {
      throw new Error(`waitFor: condition still false after ${timeoutMs} ms; calls so far: ${JSON.stringify(callsSoFar())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
