import path from "node:path";
import { open } from "node:fs/promises";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { checkFileSize } from "./limits.ts";
import { parseCsvText } from "./readCsv.ts";
import { readXlsxTable } from "./readXlsx.ts";
import type { Table } from "./table.ts";

export type { Table, TableRow } from "./table.ts";

/**
 * Reads a member list as text rows, by extension: `.csv` or `.xlsx` (first worksheet).
 * Errors carry only the file's base name, so a server's temporary upload path never reaches a user.
 * Past the limits (src/importing/limits.ts) a file is refused: its size before it is parsed, its
 * rows and cells as they are read.
 */
export async function readTable(filePath: string): Promise<Table> {
  const file = path.basename(filePath);
  const extension = path.extname(filePath).toLowerCase();
  if (extension !== ".csv" && extension !== ".xlsx") {
    throw new DomainError("import:unsupportedFormat", { file });
  }
  const bytes = await readBytes(filePath, file);
  if (extension === ".csv") return parseCsvText(decodeCsv(bytes, file), file);
  try {
    return await readXlsxTable(bytes, file);
  } catch (error) {
    if (isDomainError(error)) throw error;
    // exceljs throws zip and XML errors of many shapes; for the secretary they all mean the same.
    throw new DomainError("import:unreadable", { file });
  }
}

const READ_CHUNK_BYTES = 256 * 1024;

/** The file's bytes, its size checked first so a huge file is never read into memory. */
async function readBytes(filePath: string, file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(filePath, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DomainError("import:fileNotFound", { file });
    throw new DomainError("import:unreadable", { file });
  }
  try {
    checkFileSize((await handle.stat()).size, file);
    // Read with the limit too: a device or a file still growing says nothing true in its size.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(READ_CHUNK_BYTES) });
      if (bytesRead === 0) return Buffer.concat(chunks, total);
      total += bytesRead;
      checkFileSize(total, file);
      chunks.push(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new DomainError("import:unreadable", { file });
  } finally {
    await handle.close();
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];

/**
 * Excel's "CSV UTF-8" starts with a BOM and "Unicode Text" is UTF-16; plain "CSV" on a Vietnamese
 * Windows is code page 1258, which we refuse with a hint rather than import garbled names.
 */
function decodeCsv(bytes: Buffer, file: string): string {
  if (startsWith(bytes, UTF16LE_BOM)) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new DomainError("import:notUtf8", { file });
  }
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}
