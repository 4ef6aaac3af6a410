import { forbiddenFor, tooManyRequests, type ApiReply } from "./apiReplies.ts";

export interface RateLimit {
  perSecond: number;
  retryAfterSeconds: number;
}

export interface SendGateOptions {
  rateLimit: RateLimit | undefined;
  random429Rate: number;
  random429RetryAfterSeconds: number;
  seed: number;
}

// Methods refused once a person blocks the bot or a group removes it, as Telegram does.
const CHAT_METHODS = new Set(["sendMessage", "sendDocument", "sendChatAction", "editMessageText", "editMessageReplyMarkup"]);
/** The one method the flood limits and the per-second counts apply to. */
export const LIMITED_METHOD = "sendMessage";

/**
 * Telegram's refusals that do not depend on the message: blocked chats and flood control.
 * The flood window is a fixed second, floor(at / 1000), the same one `windowsOverLimit` counts in,
 * so a test can line up what was refused with what was received.
 */
export class SendGate {
  private readonly blocked = new Set<string>();
  private readonly receivedPerSecond = new Map<number, number>();
  private random: () => number;
  private currentSecond = Number.NaN;
  private admittedThisSecond = 0;

  constructor(private readonly options: SendGateOptions) {
    this.random = seededRandom(options.seed);
  }

  block(chatId: string) {
    this.blocked.add(chatId);
  }

  unblock(chatId: string) {
    this.blocked.delete(chatId);
  }

  /** Counts a limited call as received, whatever its answer turns out to be. */
  noteReceived(method: string, at: number) {
    if (method !== LIMITED_METHOD) return;
    const second = Math.floor(at / 1000);
    this.receivedPerSecond.set(second, (this.receivedPerSecond.get(second) ?? 0) + 1);
  }

  /** The refusal for this call, or undefined to let it through. */
  check(method: string, chatId: string | undefined, at: number): ApiReply | undefined {
    if (chatId !== undefined && this.blocked.has(chatId) && CHAT_METHODS.has(method)) return forbiddenFor(chatId);
    if (method !== LIMITED_METHOD) return undefined;
    const { rateLimit, random429Rate, random429RetryAfterSeconds } = this.options;
    if (rateLimit) {
      const second = Math.floor(at / 1000);
      if (second !== this.currentSecond) {
        this.currentSecond = second;
        this.admittedThisSecond = 0;
      }
      if (this.admittedThisSecond >= rateLimit.perSecond) return tooManyRequests(rateLimit.retryAfterSeconds);
      this.admittedThisSecond += 1;
    }
    if (random429Rate > 0 && this.random() < random429Rate) return tooManyRequests(random429RetryAfterSeconds);
    return undefined;
  }

  windowsOverLimit(limitPerSecond: number): number {
    let over = 0;
    for (const count of this.receivedPerSecond.values()) if (count > limitPerSecond) over += 1;
    return over;
  }

  peakPerSecond(): number {
    let peak = 0;
    for (const count of this.receivedPerSecond.values()) peak = Math.max(peak, count);
    return peak;
  }

  reset() {
    this.blocked.clear();
    this.receivedPerSecond.clear();
    this.currentSecond = Number.NaN;
    this.admittedThisSecond = 0;
    this.random = seededRandom(this.options.seed);
  }
}

/** mulberry32: small, fast and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
