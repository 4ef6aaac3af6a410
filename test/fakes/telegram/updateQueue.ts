import { apiError, badRequest, ok, type ApiReply } from "./apiReplies.ts";
import type { Params } from "./requestParams.ts";

/** An Update as the fake stores it: whatever the test pushed, with an id. */
export type StoredUpdate = { update_id: number } & Record<string, unknown>;

interface HeldPoll {
  limit: number;
  settle: (reply: ApiReply) => void;
}

const MAX_LIMIT = 100;
// Sent only to bots that ask for them in allowed_updates (Bot API, getUpdates).
const OPT_IN_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/**
 * The bot's update queue on Telegram's side: getUpdates long polling and the webhook that
 * excludes it. Updates stay queued until a later call confirms them with a greater offset,
 * so a bot that crashes before confirming gets them again, as on Telegram.
 */
export class UpdateQueue {
  private pending: StoredUpdate[] = [];
  private nextUpdateId = 1;
  private held: HeldPoll | undefined;
  private allowedTypes: Set<string> | undefined;
  private webhook: { url: string; params: Params } | undefined;

  push(update: object): number {
    const given = (update as { update_id?: unknown }).update_id;
    const updateId = typeof given === "number" ? given : this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    const stored = { ...update, update_id: updateId } as StoredUpdate;
    const last = this.pending[this.pending.length - 1];
    if (!last || last.update_id < updateId) this.pending.push(stored);
    else this.pending = [...this.pending, stored].sort((a, b) => a.update_id - b.update_id);
    this.wakeHeldPoll();
    return updateId;
  }

  getUpdates(params: Params, clientGone: AbortSignal): ApiReply | Promise<ApiReply> {
    if (this.webhook) return apiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    this.held?.settle(apiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    this.confirm(Number(params.offset ?? 0));
    if (Array.isArray(params.allowed_updates)) {
      this.allowedTypes = params.allowed_updates.length > 0 ? new Set(params.allowed_updates.map(String)) : undefined;
    }
    const limit = Math.min(Math.max(Number(params.limit ?? MAX_LIMIT) || MAX_LIMIT, 1), MAX_LIMIT);
    const timeoutSeconds = Number(params.timeout ?? 0) || 0;
    const ready = this.take(limit);
    if (ready.length > 0 || timeoutSeconds <= 0) return ok(ready);
    return new Promise((resolve) => {
      const poll: HeldPoll = {
        limit,
        settle: (reply) => {
          clearTimeout(timer);
          clientGone.removeEventListener("abort", onGone);
          if (this.held === poll) this.held = undefined;
          resolve(reply);
        },
      };
      const timer = setTimeout(() => poll.settle(ok([])), timeoutSeconds * 1000);
      const onGone = () => poll.settle(ok([]));
      clientGone.addEventListener("abort", onGone);
      this.held = poll;
    });
  }

  setWebhook(params: Params): ApiReply {
    const url = String(params.url ?? "");
    if (url !== "" && !url.startsWith("https://")) return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    if (params.drop_pending_updates === true || params.drop_pending_updates === "true") this.pending = [];
    this.webhook = url === "" ? undefined : { url, params };
    this.held?.settle(ok([]));
    return ok(true);
  }

  deleteWebhook(params: Params): ApiReply {
    return this.setWebhook({ drop_pending_updates: params.drop_pending_updates, url: "" });
  }

  webhookInfo(): ApiReply {
    const info: Record<string, unknown> = { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.pending.length };
    const { max_connections, allowed_updates } = this.webhook?.params ?? {};
    if (max_connections !== undefined) info.max_connections = Number(max_connections);
    if (allowed_updates !== undefined) info.allowed_updates = allowed_updates;
    return ok(info);
  }

  /** Answers a waiting long poll with no updates, so close() never waits out its timeout. */
  releaseHeldPoll() {
    this.held?.settle(ok([]));
  }

  /** Forgets the queue and the webhook; update ids keep counting up, as Telegram's never repeat. */
  reset() {
    this.releaseHeldPoll();
    this.pending = [];
    this.allowedTypes = undefined;
    this.webhook = undefined;
  }

  private confirm(offset: number) {
    if (offset > 0) {
      let confirmed = 0;
      while (confirmed < this.pending.length && (this.pending[confirmed]?.update_id ?? Infinity) < offset) confirmed += 1;
      if (confirmed > 0) this.pending = this.pending.slice(confirmed);
    } else if (offset < 0) {
      this.pending = this.pending.slice(offset);
    }
  }

  /** The first `limit` updates the bot takes; those of types it did not ask for are dropped. */
  private take(limit: number): StoredUpdate[] {
    if (this.pending.some((update) => !this.isAllowed(update))) this.pending = this.pending.filter((update) => this.isAllowed(update));
    return this.pending.slice(0, limit);
  }

  private isAllowed(update: StoredUpdate): boolean {
    const type = Object.keys(update).find((key) => key !== "update_id") ?? "";
    return this.allowedTypes ? this.allowedTypes.has(type) : !OPT_IN_TYPES.has(type);
  }

  private wakeHeldPoll() {
    if (!this.held) return;
    const ready = this.take(this.held.limit);
    if (ready.length > 0) this.held.settle(ok(ready));
  }
}
