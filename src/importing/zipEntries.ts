import zlib from "node:zlib";

/** One file of a zip, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated: the only two an .xlsx uses. */
  method: number;
  compressedBytes: number;
  /** The size once unpacked, as the directory states it. */
  declaredBytes: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA = 0x0001;
const ZIP64_MARK = 0xffffffff;

/**
 * The entries of a zip, read from its central directory (the end of the file) without unpacking
 * anything; undefined when the bytes are not a zip this can read (a zip64 directory, for one: no
 * workbook small enough to import needs it).
 */
export function zipEntries(bytes: Buffer): ZipEntry[] | undefined {
  const end = findEndOfDirectory(bytes);
  if (end === undefined) return undefined;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || at === ZIP64_MARK) return undefined;
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY) return undefined;
    const nameBytes = bytes.readUInt16LE(at + 28);
    const extraBytes = bytes.readUInt16LE(at + 30);
    const commentBytes = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameBytes + extraBytes > bytes.length) return undefined;
    const sizes = {
      declaredBytes: bytes.readUInt32LE(at + 24),
      compressedBytes: bytes.readUInt32LE(at + 20),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    };
    if (!readZip64Sizes(bytes.subarray(at + 46 + nameBytes, at + 46 + nameBytes + extraBytes), sizes)) return undefined;
    entries.push({ name: bytes.toString("utf8", at + 46, at + 46 + nameBytes), method: bytes.readUInt16LE(at + 10), ...sizes });
    at += 46 + nameBytes + extraBytes + commentBytes;
  }
  return entries;
}

/**
 * The entry unpacked, with its declared size as a hard cap, so a directory that lies costs at most
 * what it declared; undefined when it holds more than declared or cannot be unpacked.
 */
export function unpackZipEntry(bytes: Buffer, entry: ZipEntry): Buffer | undefined {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_HEADER) return undefined;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  if (start + entry.compressedBytes > bytes.length) return undefined;
  const data = bytes.subarray(start, start + entry.compressedBytes);
  if (entry.method === 0) return data.length === entry.declaredBytes ? data : undefined;
  if (entry.method !== 8) return undefined;
  try {
    // Throws (ERR_BUFFER_TOO_LARGE) as soon as the output would pass the cap.
    const unpacked = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.declaredBytes) });
    return unpacked.length <= entry.declaredBytes ? unpacked : undefined;
  } catch {
    return undefined;
  }
}

function findEndOfDirectory(bytes: Buffer): number | undefined {
  const lowest = Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - END_RECORD_BYTES; at >= lowest; at -= 1) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return undefined;
}

/** A size of 0xFFFFFFFF means "in the zip64 extra field", which lists only those, in this order. */
function readZip64Sizes(extra: Buffer, sizes: { declaredBytes: number; compressedBytes: number; localHeaderOffset: number }): boolean {
  const fields = (["declaredBytes", "compressedBytes", "localHeaderOffset"] as const).filter((field) => sizes[field] === ZIP64_MARK);
  if (fields.length === 0) return true;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== ZIP64_EXTRA) continue;
    if (extra.readUInt16LE(at + 2) < fields.length * 8) return false;
    fields.forEach((field, i) => {
      sizes[field] = Number(extra.readBigUInt64LE(at + 4 + i * 8));
    });
    return true;
  }
  return false;
}
