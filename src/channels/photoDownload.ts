import { DomainError } from "../domain/errors.ts";

/**
 * A photo is fetched while its update is handled, and updates are handled one after another: a
 * platform that does not answer holds the others up to this long, then the photo is fetched later.
 */
export const PHOTO_DOWNLOAD_TIMEOUT_MS = 15_000;
const BYTES_PER_MB = 1024 * 1024;

export const photoTooLarge = (maxBytes: number) =>
  new DomainError("feedback:photoTooLarge", { maxMb: Math.floor(maxBytes / BYTES_PER_MB) }, "The photo is larger than the limit");

/**
 * Fetches a photo a platform holds, reading at most `maxBytes` (a larger one is refused as soon as
 * it shows, without reading the rest). Only https, or http when the platform itself is reached
 * over plain http (a local stand-in). Errors never carry the URL: Telegram's holds the bot token.
 */
export async function downloadPhoto(url: string, options: { maxBytes: number; allowHttp?: boolean; signal?: AbortSignal }): Promise<Buffer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError("feedback:photoUnreadable", {}, "The photo's address is not a URL");
  }
  if (parsed.protocol !== "https:" && !(options.allowHttp && parsed.protocol === "http:")) {
    throw new DomainError("feedback:photoUnreadable", {}, `A photo is not fetched over ${parsed.protocol}`);
  }
  const response = await fetch(parsed, { signal: options.signal ?? AbortSignal.timeout(PHOTO_DOWNLOAD_TIMEOUT_MS) }).catch((error: unknown) => {
    throw new Error(`photo download failed: ${error instanceof Error ? error.name : "network error"}`);
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`photo download failed: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw photoTooLarge(options.maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > options.maxBytes) throw photoTooLarge(options.maxBytes);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** A photo by the address the platform gave: Zalo's bot and OA both send an image as a URL on their servers. */
export function urlPhotoSource(options: { allowHttp: boolean }): (url: string, maxBytes: number) => Promise<Buffer> {
  return (url, maxBytes) => downloadPhoto(url, { maxBytes, allowHttp: options.allowHttp });
}
