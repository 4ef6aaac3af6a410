import crypto from "node:crypto";
import type { Express } from "express";
import { parseLocalPhotoRef } from "../domain/photo.ts";
import type { Clock } from "../services/clock.ts";
import type { Db } from "../storage/database.ts";
import { isUniqueViolation } from "../storage/errors.ts";
import type { KeptPhoto } from "../storage/photoFolder.ts";
import { parseSecretKey } from "../storage/secretBox.ts";

export const PHOTO_LINK_PATH = "/photos";
/**
 * How long a photo link works. A platform that shows a photo by its address (the Zalo bot's
 * sendPhoto, the OA's image message) fetches it when the message is sent; a day leaves room for
 * a message that waits in the outbox, and a reviewer who needs it later opens the item again.
 */
export const PHOTO_LINK_TTL_MS = 24 * 3_600_000;
const KEY_STATE = "photoLinks:key";
const KEY_BYTES = 32;
const FILE_NAME = /^[0-9a-f]{64}\.(?:jpg|png|webp)$/;

/**
 * The key that signs photo links: derived from CHIBO_SECRET_KEY when it is set, otherwise a random
 * one made once and kept in the database, so every instance sharing it signs alike.
 */
export async function photoLinkKey(db: Db, secretKey: string | undefined): Promise<Buffer> {
  if (secretKey) return crypto.createHmac("sha256", parseSecretKey(secretKey)).update("chibo photo links").digest();
  const stored = await db.channelState.findUnique({ where: { key: KEY_STATE } });
  if (stored) return Buffer.from(stored.value, "base64url");
  const value = crypto.randomBytes(KEY_BYTES).toString("base64url");
  try {
    await db.channelState.create({ data: { key: KEY_STATE, value } });
    return Buffer.from(value, "base64url");
  } catch (error) {
    // Another instance made it at the same moment: use theirs.
    if (!isUniqueViolation(error)) throw error;
    return Buffer.from((await db.channelState.findUniqueOrThrow({ where: { key: KEY_STATE } })).value, "base64url");
  }
}

export interface PhotoLinks {
  /** A link to a kept photo that works until it expires; undefined without a public URL to link from. */
  urlFor(ref: string, now: Date): string | undefined;
  mount(app: Express): void;
}

/**
 * Kept photos served at `<PUBLIC_URL>/photos/<file>?exp=<unix seconds>&sig=<HMAC>`, for the
 * platforms that show a photo by its address. Whoever holds a link sees that one photo until it
 * expires; without the signature, after the expiry, or for a photo chibo no longer keeps, the
 * answer is the same 404.
 */
export function createPhotoLinks(deps: { publicUrl?: string; key: Buffer; read(ref: string): Promise<KeptPhoto | null>; clock: Clock }): PhotoLinks {
  const sign = (fileName: string, expires: number) => crypto.createHmac("sha256", deps.key).update(`${fileName}:${expires}`).digest("base64url");

  return {
    urlFor(ref, now) {
      const parsed = parseLocalPhotoRef(ref);
      if (!deps.publicUrl || !parsed) return undefined;
      const expires = Math.floor((now.getTime() + PHOTO_LINK_TTL_MS) / 1000);
      const url = new URL(`${PHOTO_LINK_PATH}/${parsed.fileName}`, deps.publicUrl);
      url.searchParams.set("exp", String(expires));
      url.searchParams.set("sig", sign(parsed.fileName, expires));
      return url.toString();
    },
    mount(app) {
      app.get(`${PHOTO_LINK_PATH}/:file`, async (req, res, next) => {
        try {
          const file = String(req.params.file);
          const expires = Number(req.query.exp);
          const given = Buffer.from(typeof req.query.sig === "string" ? req.query.sig : "", "utf8");
          const expected = Buffer.from(FILE_NAME.test(file) && Number.isSafeInteger(expires) ? sign(file, expires) : "", "utf8");
          const valid = expected.length > 0 && given.length === expected.length && crypto.timingSafeEqual(given, expected);
          const photo = valid && expires * 1000 > deps.clock.now().getTime() ? await deps.read(`photo:${file}`) : null;
          res.set({ "cache-control": "private, no-store", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
          if (!photo) {
            res.status(404).json({ error: "not_found" });
            return;
          }
          res.type(photo.mimeType).set("content-disposition", "inline").send(photo.bytes);
        } catch (error) {
          next(error);
        }
      });
    },
  };
}
