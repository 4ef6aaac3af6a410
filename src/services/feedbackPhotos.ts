import type { Logger } from "pino";
import { isDomainError } from "../domain/errors.ts";
import { MAX_PHOTO_REF_LENGTH } from "../domain/feedback.ts";
import { isLocalPhotoRef, MAX_PHOTO_BYTES, parseLocalPhotoRef, parsePlatformPhotoRef, platformPhotoRef } from "../domain/photo.ts";
import type { Db } from "../storage/database.ts";
import type { PhotoFolder } from "../storage/photoFolder.ts";

/**
 * Fetches the bytes of a photo a platform holds, by the platform's own reference. Throws a
 * DomainError for a photo that will never do (too large, unreadable), any other error when a
 * later try may work (the platform did not answer).
 */
export type PhotoSource = (platformRef: string, maxBytes: number) => Promise<Buffer>;

/** What became of a photo a member sent. */
export type TakenPhoto =
  | { kind: "kept"; ref: string }
  /** Not a photo chibo keeps; the code names the reason for the member. */
  | { kind: "refused"; code: string; params: Record<string, string | number> }
  /** The platform could not be reached: its reference is kept and the photo fetched later. */
  | { kind: "pending"; ref: string };

/** A photo not yet fetched is tried again for this long; a platform's link rarely lives longer. */
const PENDING_RETRY_DAYS = 30;
/** At most this many items are fetched again per sweep, so one night's pass stays short. */
const PENDING_PER_SWEEP = 50;
/**
 * A photo nothing refers to is deleted only once its file is this old: one just taken for a
 * /gopy draft may not be in the draft's row yet, and a draft lasts a day at most.
 */
const UNUSED_GRACE_MS = 2 * 86_400_000;
const MS_PER_DAY = 86_400_000;
const LOCAL_REFS = /photo:[0-9a-f]{64}\.(?:jpg|png|webp)/g;
const UNREADABLE: TakenPhoto = { kind: "refused", code: "feedback:photoUnreadable", params: {} };

/**
 * The photos sent with feedback, kept by chibo with the item: taken in when a member sends one
 * (fetched from the platform at once, while its reference still works), fetched again later when
 * the platform could not be reached, read for the reviewer, and deleted once nothing refers to them.
 */
export function createFeedbackPhotos(deps: {
  db: Db; folder: PhotoFolder; sources: Partial<Record<string, PhotoSource>>; logger?: Pick<Logger, "warn">;
}) {
  const { db, folder } = deps;

  async function fetchAndKeep(channel: string, platformRef: string, now: Date): Promise<TakenPhoto> {
    const ref = platformPhotoRef(channel, platformRef);
    // A reference too long to store could never be fetched later: only a photo at hand is taken then.
    const pending: TakenPhoto = ref.length <= MAX_PHOTO_REF_LENGTH ? { kind: "pending", ref } : UNREADABLE;
    const source = deps.sources[channel];
    if (!source) return pending;
    try {
      return { kind: "kept", ref: await folder.save(await source(platformRef, MAX_PHOTO_BYTES), now) };
    } catch (error) {
      if (isDomainError(error)) return { kind: "refused", code: error.code, params: error.params };
      deps.logger?.warn({ err: error, channel }, "could not fetch a feedback photo from the platform; it is fetched again later");
      return pending;
    }
  }

  /** Settles a stored reference: chibo's own once fetched, null when the photo turned out unusable. */
  async function settle(ref: string | null, now: Date): Promise<string | null> {
    if (ref === null || isLocalPhotoRef(ref)) return ref;
    const platform = parsePlatformPhotoRef(ref);
    if (!platform) return ref;
    const taken = await fetchAndKeep(platform.channel, platform.platformRef, now);
    return taken.kind === "refused" ? null : taken.ref;
  }

  /** Fetches an item's photo if chibo does not hold it yet, and writes the new reference on the item. */
  async function settleItem(item: { id: number; photoRef: string | null }, now: Date): Promise<string | null> {
    const ref = await settle(item.photoRef, now);
    if (ref !== item.photoRef) await db.feedback.updateMany({ where: { id: item.id, photoRef: item.photoRef }, data: { photoRef: ref } });
    return ref;
  }

  /** References to kept photos anywhere but in items: open drafts, messages not yet sent, web uploads not yet handled. */
  async function referencedElsewhere(): Promise<Set<string>> {
    const found = new Set<string>();
    const collect = (text: string | null) => {
      for (const match of text?.matchAll(LOCAL_REFS) ?? []) found.add(match[0]);
    };
    for (const flow of await db.chatFlow.findMany({ where: { data: { contains: "photo:" } }, select: { data: true } })) collect(flow.data);
    const unsent = await db.outboxMessage.findMany({
      where: { status: { in: ["queued", "sending"] }, attachment: { contains: "photo:" } }, select: { attachment: true },
    });
    for (const row of unsent) collect(row.attachment);
    const unhandled = await db.inboundUpdate.findMany({ where: { status: "pending", payload: { contains: "photo:" } }, select: { payload: true } });
    for (const update of unhandled) collect(update.payload);
    return found;
  }

  return {
    /**
     * A photo that came with a member's message, kept at once when possible. Only the web chat hands
     * in a photo chibo already keeps (its upload route saved it); from a platform, a reference that
     * looks like chibo's own is refused rather than taken as a way to another item's photo.
     */
    async take(channel: string, ref: string, now: Date): Promise<TakenPhoto> {
      if (isLocalPhotoRef(ref)) {
        return channel === "web" && (await folder.has(ref)) ? { kind: "kept", ref } : UNREADABLE;
      }
      return fetchAndKeep(channel, ref, now);
    },
    settle,
    settleItem,
    /** The photo itself, for a channel sending it; null when chibo does not hold it (any more). */
    read: (ref: string) => folder.read(ref),
    /** How a kept photo is named and typed, for the message that carries it; null when chibo does not hold it. */
    describe: async (ref: string) => ((await folder.has(ref)) ? parseLocalPhotoRef(ref) : null),
    /**
     * The nightly pass: fetches again the photos a platform could not give at first (for
     * PENDING_RETRY_DAYS), and deletes the photos nothing refers to any more: a cancelled or
     * expired draft's, and an item's once the item is deleted. An erased member's items stay,
     * anonymous, with their photos.
     */
    async sweep(now: Date): Promise<{ fetched: number; deleted: number }> {
      const since = new Date(now.getTime() - PENDING_RETRY_DAYS * MS_PER_DAY);
      const pending = await db.feedback.findMany({
        where: { createdAt: { gte: since }, OR: ["telegram:", "zalo_bot:", "zalo_oa:"].map((prefix) => ({ photoRef: { startsWith: prefix } })) },
        select: { id: true, photoRef: true },
        orderBy: { id: "asc" },
        take: PENDING_PER_SWEEP,
      });
      let fetched = 0;
      for (const item of pending) if (isLocalPhotoRef(await settleItem(item, now))) fetched += 1;

      const inItems = await db.feedback.findMany({ where: { photoRef: { startsWith: "photo:" } }, select: { photoRef: true } });
      const used = await referencedElsewhere();
      for (const item of inItems) used.add(item.photoRef!);
      let deleted = 0;
      for (const entry of await folder.list()) {
        if ((entry.ref !== null && used.has(entry.ref)) || now.getTime() - entry.modifiedAt.getTime() < UNUSED_GRACE_MS) continue;
        await folder.removeFile(entry.file);
        if (entry.ref !== null) deleted += 1;
      }
      return { fetched, deleted };
    },
  };
}

export type FeedbackPhotos = ReturnType<typeof createFeedbackPhotos>;
