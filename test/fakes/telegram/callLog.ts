import type { Params } from "./requestParams.ts";

/** One Bot API call as the fake received and answered it. */
export interface RecordedCall {
  /** The Bot API's spelling (`sendMessage` even if sent as `sendmessage`); unknown methods as sent. */
  method: string;
  /** Parameters from the query, JSON or form body; uploads as `{ filename, size }`. */
  body: Params;
  /** When the fake received it, in ms from the fake's clock. */
  at: number;
  /** HTTP status answered; 0 when an injected network error dropped the connection. */
  status: number;
  /** `chat_id` as a string, when the call had one. */
  chatId?: string;
  /** The new message's id, for a successful send. */
  messageId?: number;
  /** True when the answer came from `failNext` rather than from the fake's own rules. */
  injected?: boolean;
}

/**
 * The call log, kept whole by default. With a cap it keeps the latest `maxCalls` and trims in
 * batches, so recording stays O(1) amortized; counts per method are always kept, even when
 * recording is off, so a benchmark can check totals without holding every call.
 */
export class CallLog {
  private entries: RecordedCall[] = [];
  private readonly counts = new Map<string, number>();
  private total = 0;

  constructor(private readonly options: { record: boolean; maxCalls: number }) {}

  add(call: RecordedCall) {
    this.total += 1;
    this.counts.set(call.method, (this.counts.get(call.method) ?? 0) + 1);
    if (!this.options.record) return;
    this.entries.push(call);
    if (this.entries.length >= this.options.maxCalls * 2) this.entries = this.entries.slice(-this.options.maxCalls);
  }

  all(): readonly RecordedCall[] {
    const { maxCalls } = this.options;
    return this.entries.length > maxCalls ? this.entries.slice(-maxCalls) : this.entries;
  }

  count(method?: string): number {
    return method === undefined ? this.total : this.counts.get(method) ?? 0;
  }

  countsByMethod(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset() {
    this.entries = [];
    this.counts.clear();
    this.total = 0;
  }
}

/** A message the bot sent successfully. */
export interface SentMessage {
  chatId: string;
  text: string;
  replyMarkup?: unknown;
  messageId: number;
  at: number;
}

export function sentMessagesIn(calls: readonly RecordedCall[]): SentMessage[] {
  const sent: SentMessage[] = [];
  for (const call of calls) {
    if (call.method !== "sendMessage" || call.status !== 200 || call.messageId === undefined) continue;
    const message: SentMessage = { chatId: call.chatId ?? "", text: String(call.body.text ?? ""), messageId: call.messageId, at: call.at };
    if (call.body.reply_markup !== undefined) message.replyMarkup = call.body.reply_markup;
    sent.push(message);
  }
  return sent;
}
