/**
 * A photo's embedded metadata (EXIF with the GPS position and the phone's make, XMP, IPTC, text
 * chunks) can name where an anonymous author lives: chibo drops it before keeping the photo. Only
 * the container is rewritten; the image data is untouched. Pure: bytes in, bytes out. A file that
 * does not parse as expected is returned as it came (the type check has already accepted it).
 */
import type { PhotoType } from "./photo.ts";

export function withoutMetadata(bytes: Buffer, type: PhotoType): Buffer {
  try {
    if (type === "jpeg") return jpegWithoutMetadata(bytes);
    if (type === "png") return pngWithoutMetadata(bytes);
    return webpWithoutMetadata(bytes);
  } catch {
    return bytes;
  }
}

/** APP1 (EXIF, XMP), APP13 (IPTC/Photoshop) and comments go; APP0 (JFIF), APP2 (ICC colours), APP14 stay. */
const JPEG_DROPPED = new Set([0xe1, 0xed, 0xfe]);
const JPEG_START_OF_SCAN = 0xda;

function jpegWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === JPEG_START_OF_SCAN) break;
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return bytes;
    if (!JPEG_DROPPED.has(marker)) kept.push(bytes.subarray(at, end));
    at = end;
  }
  if (bytes[at] !== 0xff || bytes[at + 1] !== JPEG_START_OF_SCAN) return bytes;
  kept.push(bytes.subarray(at));
  return Buffer.concat(kept);
}

const PNG_DROPPED = new Set(["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]);
const PNG_SIGNATURE_BYTES = 8;

function pngWithoutMetadata(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, PNG_SIGNATURE_BYTES)];
  let at = PNG_SIGNATURE_BYTES;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const end = at + 12 + length;
    if (end > bytes.length) return bytes;
    if (!PNG_DROPPED.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === "IEND") break;
  }
  return Buffer.concat(kept);
}

const WEBP_HEADER_BYTES = 12;
/** VP8X flags: bit 3 says an EXIF chunk follows, bit 2 an XMP chunk. */
const VP8X_METADATA_FLAGS = 0b0000_1100;

function webpWithoutMetadata(bytes: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let at = WEBP_HEADER_BYTES;
  while (at + 8 <= bytes.length) {
    const type = bytes.toString("latin1", at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > bytes.length) return bytes;
    const chunk = Buffer.from(bytes.subarray(at, Math.min(end, bytes.length)));
    if (type === "VP8X") chunk[8] = chunk[8]! & ~VP8X_METADATA_FLAGS;
    if (type !== "EXIF" && type !== "XMP ") chunks.push(chunk);
    at = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.from(bytes.subarray(0, WEBP_HEADER_BYTES));
  header.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([header, body]);
}
