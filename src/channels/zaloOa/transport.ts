import type { Transport } from "../../delivery/outboxWorker.ts";
import { DeliveryError, type DeliveryFailure } from "../../delivery/retryPolicy.ts";
import type { Button, PhotoShelf } from "../types.ts";
import { postConsultationMessage, uploadImage, ZaloOaHttpError, type ZaloOaReply } from "./api.ts";
import { renderForZaloOa, type ZaloOaImage, type ZaloOaMessageBody } from "./render.ts";
import type { ZaloOaTokens } from "./tokens.ts";

/**
 * Zalo's error codes as chibo reads them (Zalo's published code table, docs/zalo-platforms.md):
 * -216 access token invalid, -220 access token expired or removed: refresh and send once more;
 * -230 no interaction in the last 7 days, -232 the last interaction has expired, -213 the person
 * does not follow the OA: the OA may not write to them now, another of their chats may;
 * -211 and -218 the OA's message quota is used up: likewise, as sends past 48 h are billed;
 * -32 more than the app's requests per minute: rate limited. Anything else (-201, a bad
 * parameter, say) will fail again the same way.
 */
export const INVALID_TOKEN_CODES: ReadonlySet<number> = new Set([-216, -220]);
export const OUTSIDE_WINDOW_CODES: ReadonlySet<number> = new Set([-230, -232, -213]);
export const QUOTA_CODES: ReadonlySet<number> = new Set([-211, -218]);
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([-32]);
/**
 * From our notes, not a published figure we could check: the OA's image upload takes JPEG and PNG
 * up to 1 MB. A larger photo, or a WebP, goes by its link instead (or, without one, as a note).
 */
export const ZALO_OA_IMAGE_UPLOAD_LIMIT_BYTES = 1024 * 1024;
const UPLOADABLE_TYPES = new Set(["image/jpeg", "image/png"]);
/** Zalo counts its request limit per minute; waiting less would likely be refused again. */
const RATE_LIMIT_WAIT_MS = 60_000;
export const OUTSIDE_WINDOW_DESCRIPTION = "outside Zalo OA's messaging window: the member has not written to the OA recently";

/**
 * Sends outbox rows as consultation messages. A token Zalo calls invalid is refreshed and the
 * message sent once more within the same send. The OA API takes no file with a consultation
 * message in one call, so a row's file is not sent: the text goes with a line saying where the
 * file can be had instead (`fileNote`). A kept photo is uploaded to Zalo first and sent as a media
 * message; one too large to upload goes by its signed link, and without a link, as a note (`photoNote`).
 */
export function createZaloOaTransport(deps: {
  apiRoot: string; tokens: ZaloOaTokens; fileNote(fileName: string): string; photoNote?(): string; photos?: PhotoShelf;
}): Transport {
  async function call(request: () => Promise<ZaloOaReply>): Promise<ZaloOaReply> {
    try {
      return await request();
    } catch (error) {
      throw new DeliveryError(classifyZaloOaFailure(error));
    }
  }

  /** How the row's photo can go: uploaded, by its link, or not at all (undefined). */
  async function photoWay(photoRef: string): Promise<{ upload: { bytes: Buffer; mimeType: string } } | { url: string } | undefined> {
    if (!deps.photos) return undefined;
    const photo = await deps.photos.read(photoRef);
    if (!photo) throw new DeliveryError({ kind: "permanent", description: "the photo is no longer kept" });
    if (photo.bytes.length <= ZALO_OA_IMAGE_UPLOAD_LIMIT_BYTES && UPLOADABLE_TYPES.has(photo.mimeType)) return { upload: photo };
    const url = deps.photos.link(photoRef);
    return url ? { url } : undefined;
  }

  return {
    async send(row) {
      const buttons = row.buttons ? (JSON.parse(row.buttons) as Button[][]) : undefined;
      const attachment = row.attachment ? attachmentOf(row.attachment) : undefined;
      const photo = attachment?.photoRef ? await photoWay(attachment.photoRef) : undefined;
      const notes = !attachment || photo ? [] : [attachment.photoRef && deps.photoNote ? deps.photoNote() : deps.fileNote(attachment.fileName)];
      // One try: the image uploaded (if it goes so), then the message; a stale token fails either call alike.
      const attempt = async (token: string): Promise<ZaloOaReply> => {
        let image: ZaloOaImage | undefined;
        if (photo && "upload" in photo) {
          const uploaded = await call(() => uploadImage(deps.apiRoot, token, { ...photo.upload, fileName: attachment!.fileName }));
          if (uploaded.error !== 0) return uploaded;
          if (!uploaded.data?.attachment_id) throw new DeliveryError({ kind: "transient", description: "Zalo OA's image upload gave no attachment id" });
          image = { attachment_id: uploaded.data.attachment_id };
        } else if (photo) {
          image = { url: photo.url };
        }
        const body: ZaloOaMessageBody = renderForZaloOa(row.chatId, { text: row.text, buttons }, notes, image);
        return call(() => postConsultationMessage(deps.apiRoot, token, body));
      };
      let token = await tokenOrTransient(() => deps.tokens.accessToken());
      let reply = await attempt(token);
      if (INVALID_TOKEN_CODES.has(reply.error)) {
        token = await tokenOrTransient(() => deps.tokens.afterRejection(token));
        reply = await attempt(token);
      }
      if (reply.error !== 0) throw new DeliveryError(classifyZaloOaReply(reply));
      return { externalMessageId: reply.data?.message_id ?? "" };
    },
  };
}

/** A token problem is the OA's, not the message's: the row waits and tries again. */
async function tokenOrTransient(get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (error) {
    throw new DeliveryError({ kind: "transient", description: `no usable Zalo OA access token: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** The file's name and, for a kept photo, its reference; the bytes of a file are never sent here. */
function attachmentOf(json: string): { fileName: string; photoRef?: string } {
  try {
    const value = JSON.parse(json) as { fileName?: unknown; photoRef?: unknown } | null;
    const fileName = typeof value?.fileName === "string" && value.fileName !== "" ? value.fileName : "file";
    return { fileName, ...(typeof value?.photoRef === "string" && value.photoRef !== "" ? { photoRef: value.photoRef } : {}) };
  } catch {
    return { fileName: "file" };
  }
}

/** What a Zalo answer with a non-zero `error` means for the outbox. */
export function classifyZaloOaReply(reply: ZaloOaReply): DeliveryFailure {
  const description = `${reply.error}: ${reply.message ?? "Zalo OA error"}`;
  if (OUTSIDE_WINDOW_CODES.has(reply.error)) return { kind: "outsideWindow", description: `${OUTSIDE_WINDOW_DESCRIPTION} (${description})` };
  if (QUOTA_CODES.has(reply.error)) return { kind: "outsideWindow", description: `Zalo OA's message quota is used up (${description})` };
  if (RATE_LIMIT_CODES.has(reply.error)) return { kind: "rateLimited", retryAfterMs: RATE_LIMIT_WAIT_MS };
  // Still invalid after a fresh token: the app's authorization is the problem; keep the row.
  if (INVALID_TOKEN_CODES.has(reply.error)) return { kind: "transient", description };
  return { kind: "permanent", description };
}

/** Sends that got no Zalo answer: 5xx, resets, timeouts; the message may not have left, so again. */
export function classifyZaloOaFailure(error: unknown): DeliveryFailure {
  if (error instanceof ZaloOaHttpError) {
    if (error.status === 429) return { kind: "rateLimited", retryAfterMs: RATE_LIMIT_WAIT_MS };
    if (error.status >= 500 || error.status === 408) return { kind: "transient", description: error.message };
    return { kind: "permanent", description: error.message };
  }
  return { kind: "transient", description: error instanceof Error ? error.message : String(error) };
}
