import crypto from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../../services/clock.ts";
import type { Db } from "../../storage/database.ts";
import { secrets } from "../../redaction.ts";
import { createSecretBox, type SecretBox } from "../../storage/secretBox.ts";
import type { RefreshedTokens } from "./api.ts";

export const TOKENS_STATE_KEY = "zalo_oa:tokens";
/** Access tokens last about 25 h; one with less than this left is replaced before it is used. */
export const REFRESH_WHEN_LEFT_MS = 60 * 60_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/** As kept in the ChannelState row; `seed` fingerprints the configured tokens the pair descends from. */
interface StoredPair {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  seed?: string;
}

interface Read {
  pair: TokenPair;
  /** The row's value as read, for the compare-and-swap. */
  raw: string;
  seed: string | undefined;
}

export class ZaloOaTokensMissing extends Error {
  constructor() {
    super("no Zalo OA tokens: set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN");
    this.name = "ZaloOaTokensMissing";
  }
}

export interface ZaloOaTokensDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Trades a refresh token for a new pair (the OAuth call); throws when Zalo refuses. */
  refresh(refreshToken: string): Promise<RefreshedTokens>;
  initialAccessToken?: string;
  initialRefreshToken?: string;
  /** Seals the stored pair when the operator set a key; without one the pair is stored as is. */
  box?: SecretBox;
}

/**
 * The OA's access token, kept fresh. Zalo's refresh token works once, so two refreshes from the
 * same token must never both be trusted: within a process one refresh runs and the other callers
 * wait for it; across processes the new pair is written only if the stored row is still the one
 * the refresh started from, and a process that finds the row changed takes the stored pair. The
 * new pair is stored before anyone uses it, so a crash right after a refresh loses nothing.
 */
export function createZaloOaTokens(deps: ZaloOaTokensDeps) {
  const { db, clock, logger } = deps;
  const box = deps.box ?? createSecretBox();
  let refreshing: Promise<TokenPair> | undefined;

  async function read(): Promise<Read | undefined> {
    const row = await db.channelState.findUnique({ where: { key: TOKENS_STATE_KEY } });
    if (!row) return undefined;
    const stored = JSON.parse(box.open(row.value, TOKENS_STATE_KEY)) as StoredPair;
    // Known from here on: never in a log line or a stored error.
    secrets.register(stored.accessToken);
    secrets.register(stored.refreshToken);
    return { pair: { accessToken: stored.accessToken, refreshToken: stored.refreshToken, expiresAt: new Date(stored.expiresAt) }, raw: row.value, seed: stored.seed };
  }

  async function readOrFail(): Promise<Read> {
    const current = await read();
    if (!current) throw new ZaloOaTokensMissing();
    return current;
  }

  const serialize = (pair: TokenPair, seed: string | undefined): string => box.seal(
    JSON.stringify({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: pair.expiresAt.toISOString(), ...(seed ? { seed } : {}) } satisfies StoredPair),
    TOKENS_STATE_KEY,
  );

  async function refreshFrom(seen: Read): Promise<TokenPair> {
    const latest = await readOrFail();
    if (latest.pair.refreshToken !== seen.pair.refreshToken) return latest.pair;
    let fresh: RefreshedTokens;
    try {
      fresh = await deps.refresh(latest.pair.refreshToken);
      secrets.register(fresh.accessToken);
      secrets.register(fresh.refreshToken);
    } catch (error) {
      // Another process may have used the token first; its pair is stored then.
      const after = await readOrFail();
      if (after.pair.refreshToken !== latest.pair.refreshToken) return after.pair;
      throw error;
    }
    const next: TokenPair = { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: new Date(clock.now().getTime() + fresh.expiresInSeconds * 1000) };
    const written = await db.channelState.updateMany({ where: { key: TOKENS_STATE_KEY, value: latest.raw }, data: { value: serialize(next, latest.seed) } });
    if (written.count === 1) {
      logger.info({ expiresAt: next.expiresAt }, "refreshed the Zalo OA access token");
      return next;
    }
    // The row changed while we refreshed (new tokens configured, say): the stored pair wins.
    logger.warn("the Zalo OA tokens changed during a refresh; using the stored ones");
    return (await readOrFail()).pair;
  }

  /** One refresh at a time in this process; callers arriving meanwhile get its result. */
  function refreshOnce(seen: Read): Promise<TokenPair> {
    refreshing ??= refreshFrom(seen).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    /**
     * Stores the configured tokens unless the stored pair already descends from them; tokens
     * configured anew (after authorizing the app again) replace the stored pair. The configured
     * access token's age is unknown, so it is refreshed on first use, and used as is meanwhile
     * if that refresh fails. Run at start: a pair the key cannot open stops the start here
     * (SecretUnreadable), and a pair stored before a key was set is sealed now.
     */
    async seed(): Promise<void> {
      const current = await read();
      if (current && box.hasKey && !box.isSealed(current.raw)) {
        await db.channelState.updateMany({ where: { key: TOKENS_STATE_KEY, value: current.raw }, data: { value: serialize(current.pair, current.seed) } });
      }
      if (!deps.initialAccessToken && !deps.initialRefreshToken) return;
      const seed = crypto.createHash("sha256").update(`${deps.initialAccessToken ?? ""}\n${deps.initialRefreshToken ?? ""}`).digest("hex").slice(0, 16);
      if (current?.seed === seed) return;
      const expiresAt = new Date(deps.initialAccessToken ? clock.now().getTime() + REFRESH_WHEN_LEFT_MS : 0);
      const value = serialize({ accessToken: deps.initialAccessToken ?? "", refreshToken: deps.initialRefreshToken ?? "", expiresAt }, seed);
      await db.channelState.upsert({ where: { key: TOKENS_STATE_KEY }, create: { key: TOKENS_STATE_KEY, value }, update: { value } });
    },

    /** A token to send with: refreshed first when less than an hour is left. */
    async accessToken(): Promise<string> {
      const current = await readOrFail();
      const leftMs = current.pair.expiresAt.getTime() - clock.now().getTime();
      if (leftMs > REFRESH_WHEN_LEFT_MS) return current.pair.accessToken;
      try {
        return (await refreshOnce(current)).accessToken;
      } catch (error) {
        if (leftMs <= 0 || !current.pair.accessToken) throw error;
        logger.warn({ err: error }, "could not refresh the Zalo OA access token; using it until it expires");
        return current.pair.accessToken;
      }
    },

    /** After Zalo refused `rejected`: a new token, unless someone already replaced that one. */
    async afterRejection(rejected: string): Promise<string> {
      const current = await readOrFail();
      if (current.pair.accessToken !== rejected) return current.pair.accessToken;
      return (await refreshOnce(current)).accessToken;
    },

    /** The stored pair, if any. */
    async current(): Promise<TokenPair | undefined> {
      return (await read())?.pair;
    },
  };
}

export type ZaloOaTokens = ReturnType<typeof createZaloOaTokens>;
