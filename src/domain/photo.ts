/**
 * A photo sent with feedback, as chibo refers to it. Once chibo holds the photo itself the
 * reference is local, "photo:<sha256>.<ext>", and names a file in chibo's photo folder; until then
 * it is the platform's own, "<channel>:<platform reference>" (a Telegram file id, a Zalo image
 * URL), from which the photo can still be fetched. Pure: no file or network here.
 */

/** The largest photo chibo keeps: Telegram's limit for sending a photo, and far above a phone's compressed shot. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export const PHOTO_TYPES = {
  jpeg: { extension: "jpg", mimeType: "image/jpeg" },
  png: { extension: "png", mimeType: "image/png" },
  webp: { extension: "webp", mimeType: "image/webp" },
} as const;
export type PhotoType = keyof typeof PHOTO_TYPES;

const LOCAL_REF = /^photo:([0-9a-f]{64})\.(jpg|png|webp)$/;
const PLATFORM_REF = /^(telegram|zalo_bot|zalo_oa):(.+)$/s;

/** What the first bytes say the file is: JPEG, PNG or WebP, or null for anything else. */
export function photoTypeOf(bytes: Uint8Array): PhotoType | null {
  const starts = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value);
  if (bytes.length >= 3 && starts(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (bytes.length >= 8 && starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  // "RIFF" <size> "WEBP"
  if (bytes.length >= 12 && starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return "webp";
  return null;
}

export const localPhotoRef = (sha256: string, type: PhotoType) => `photo:${sha256}.${PHOTO_TYPES[type].extension}`;

/** The file a local reference names, or null when it is not one (the only shape that reaches the file system). */
export function parseLocalPhotoRef(ref: string): { sha256: string; fileName: string; mimeType: string } | null {
  const match = LOCAL_REF.exec(ref);
  if (!match) return null;
  const type = (Object.keys(PHOTO_TYPES) as PhotoType[]).find((key) => PHOTO_TYPES[key].extension === match[2])!;
  return { sha256: match[1]!, fileName: `${match[1]}.${match[2]}`, mimeType: PHOTO_TYPES[type].mimeType };
}

export const isLocalPhotoRef = (ref: string | null | undefined): ref is string => typeof ref === "string" && LOCAL_REF.test(ref);

export const platformPhotoRef = (channel: string, platformRef: string) => `${channel}:${platformRef}`;

/** The channel and its own reference of a photo chibo does not hold yet; null for a local or unknown one. */
export function parsePlatformPhotoRef(ref: string): { channel: string; platformRef: string } | null {
  const match = PLATFORM_REF.exec(ref);
  return match ? { channel: match[1]!, platformRef: match[2]! } : null;
}
