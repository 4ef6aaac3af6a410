/** A failure to inject into one future call. */
export type InjectedFailure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  | { status: 403; description?: string }
  | { status: 400; description?: string }
  | { networkError: true }
  | { delayMs: number };

export interface FaultMatch {
  /** Only calls whose `chat_id` equals this one. */
  chatId?: string | number;
  /** How many matching calls the failure applies to; default 1. */
  times?: number;
}

interface FaultRule {
  failure: InjectedFailure;
  chatId: string | undefined;
  remaining: number;
}

/** Method name that matches every method. */
export const ANY_METHOD = "*";

/**
 * Failures queued per method, consumed first come first served. A call to a method with nothing
 * queued costs one map lookup, so a benchmark with no faults pays nothing for the feature.
 */
export class FaultQueue {
  private readonly rules = new Map<string, FaultRule[]>();

  add(method: string, failure: InjectedFailure, match: FaultMatch = {}) {
    const times = match.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, got ${times}`);
    const rule = { failure, chatId: match.chatId === undefined ? undefined : String(match.chatId), remaining: times };
    const queue = this.rules.get(method);
    if (queue) queue.push(rule);
    else this.rules.set(method, [rule]);
  }

  /** The failure for this call, if one is queued; it is used up. */
  take(method: string, chatId: string | undefined): InjectedFailure | undefined {
    return this.takeFrom(method, chatId) ?? this.takeFrom(ANY_METHOD, chatId);
  }

  clear() {
    this.rules.clear();
  }

  private takeFrom(key: string, chatId: string | undefined): InjectedFailure | undefined {
    const queue = this.rules.get(key);
    if (!queue) return undefined;
    const index = queue.findIndex((rule) => rule.chatId === undefined || rule.chatId === chatId);
    const rule = queue[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) queue.splice(index, 1);
    if (queue.length === 0) this.rules.delete(key);
    return rule.failure;
  }
}
