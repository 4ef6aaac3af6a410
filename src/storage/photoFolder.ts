import { withoutMetadata } from "../domain/photoMetadata.ts";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { DomainError } from "../domain/errors.ts";
import { localPhotoRef, MAX_PHOTO_BYTES, parseLocalPhotoRef, photoTypeOf } from "../domain/photo.ts";

/** Only chibo's own user may read the photos: like the database, they belong to members' feedback. */
const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;
const BYTES_PER_MB = 1024 * 1024;

export interface KeptPhoto {
  ref: string;
  bytes: Buffer;
  mimeType: string;
  /** "<sha256>.jpg": the name the file has in the folder. */
  fileName: string;
}

/** Refused before it is written: not a JPEG, PNG or WebP, or past the size limit. */
export function checkPhotoBytes(bytes: Uint8Array): void {
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new DomainError("feedback:photoTooLarge", { maxMb: MAX_PHOTO_BYTES / BYTES_PER_MB }, "The photo is larger than the limit");
  }
  if (photoTypeOf(bytes) === null) throw new DomainError("feedback:photoNotImage", {}, "The file is not a JPEG, PNG or WebP image");
}

/**
 * The photos chibo keeps, one file each, named by the SHA-256 of their bytes (the same photo sent
 * twice is one file), in a folder next to the database. Files are written whole under a temporary
 * name and then renamed, so a crash never leaves half a photo under a real name.
 */
export function createPhotoFolder(folder: string) {
  let ready: Promise<void> | undefined;
  const ensure = () => (ready ??= fs.mkdir(folder, { recursive: true, mode: FOLDER_MODE }).then(() => undefined));
  const fileOf = (ref: string) => {
    const parsed = parseLocalPhotoRef(ref);
    return parsed ? { ...parsed, file: path.join(folder, parsed.fileName) } : null;
  };

  return {
    folder,
    /**
     * Checks and writes the photo; returns its local reference. Throws DomainError for what is
     * refused. The file is dated `now` (chibo's clock, which the sweep of unused photos reads).
     */
    async save(received: Buffer, now: Date): Promise<string> {
      checkPhotoBytes(received);
      // Kept without its metadata: a phone's EXIF holds where the photo was taken.
      const bytes = withoutMetadata(received, photoTypeOf(received)!);
      const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
      const ref = localPhotoRef(sha256, photoTypeOf(bytes)!);
      const target = fileOf(ref)!.file;
      await ensure();
      const temporary = `${target}.${crypto.randomUUID()}.part`;
      await fs.writeFile(temporary, bytes, { mode: FILE_MODE, flag: "wx" });
      await fs.utimes(temporary, now, now);
      // The same photo again replaces its file with the same bytes, dated now.
      await fs.rename(temporary, target);
      return ref;
    },
    async read(ref: string): Promise<KeptPhoto | null> {
      const found = fileOf(ref);
      if (!found) return null;
      try {
        return { ref, bytes: await fs.readFile(found.file), mimeType: found.mimeType, fileName: found.fileName };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async has(ref: string): Promise<boolean> {
      const found = fileOf(ref);
      return found !== null && (await fs.stat(found.file).then(() => true, () => false));
    },
    async remove(ref: string): Promise<boolean> {
      const found = fileOf(ref);
      if (!found) return false;
      return fs.unlink(found.file).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return false;
        throw error;
      });
    },
    /** Every kept photo with when it was last saved; leftovers of an interrupted write too. */
    async list(): Promise<{ ref: string | null; file: string; modifiedAt: Date }[]> {
      const names = await fs.readdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [] as string[];
        throw error;
      });
      const entries = [];
      for (const name of names) {
        const ref = name.endsWith(".part") ? null : `photo:${name}`;
        if (ref !== null && !parseLocalPhotoRef(ref)) continue;
        const file = path.join(folder, name);
        const stat = await fs.stat(file).catch(() => null);
        if (stat?.isFile()) entries.push({ ref, file, modifiedAt: stat.mtime });
      }
      return entries;
    },
    async removeFile(file: string): Promise<void> {
      await fs.rm(file, { force: true });
    },
  };
}

export type PhotoFolder = ReturnType<typeof createPhotoFolder>;
