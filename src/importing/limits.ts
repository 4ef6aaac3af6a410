import { DomainError } from "../domain/errors.ts";
import { columnLetter } from "./columns.ts";
import { unpackZipEntry, zipEntries } from "./zipEntries.ts";

/**
 * What a member file may hold. A commune's list is a few thousand rows of short cells in well under
 * a megabyte, so these leave room tenfold; they are checked before the work they bound, so a small
 * hostile file (a cell of 256 MiB compressed into 263 kB) is refused instead of costing gigabytes.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** All entries of an .xlsx (a zip) once unpacked: the XML that would be parsed. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 20_000;
/**
 * Cells and rows in the worksheets (styled empty ones count: exceljs builds an object for each), and
 * strings in the shared table: 25 columns of MAX_ROWS, and the rows themselves.
 */
export const MAX_CELLS = 26 * MAX_ROWS;
export const MAX_CELL_CHARS = 1_000;
/** The CSV parser stops at a record longer than this (a row of 64 cells at their limit). */
export const MAX_CSV_RECORD_CHARS = 64 * MAX_CELL_CHARS;

const MB = 1024 * 1024;

export function checkFileSize(bytes: number, file: string): void {
  if (bytes > MAX_FILE_BYTES) throw new DomainError("import:fileTooLarge", { file, maxMb: MAX_FILE_BYTES / MB });
}

/**
 * Reads the .xlsx's zip directory and refuses it, before anything is parsed, when its entries
 * would unpack past MAX_UNPACKED_BYTES. A directory may lie about sizes, so each entry is also
 * unpacked with its declared size as a hard cap: one that holds more is refused. The worksheets'
 * cells and rows and the shared strings are counted in the unpacked XML, since each parsed one costs
 * far more memory than its bytes (2.4 million empty rows in 6 MB took 12 s and 870 MB).
 */
export function checkXlsxPackage(bytes: Buffer, file: string): void {
  const entries = zipEntries(bytes);
  if (!entries) throw new DomainError("import:unreadable", { file });
  let declared = 0;
  for (const entry of entries) declared += entry.declaredBytes;
  if (declared > MAX_UNPACKED_BYTES) throw new DomainError("import:unpackedTooLarge", { file, maxMb: MAX_UNPACKED_BYTES / MB });
  let cells = 0;
  for (const entry of entries) {
    const unpacked = unpackZipEntry(bytes, entry);
    if (!unpacked) throw new DomainError("import:unreadable", { file });
    if (WORKSHEET.test(entry.name)) cells += countElements(unpacked, CELL_OR_ROW_ELEMENT);
    const strings = SHARED_STRINGS.test(entry.name) ? countElements(unpacked, SHARED_STRING_ELEMENT) : 0;
    if (cells > MAX_CELLS || strings > MAX_CELLS) throw new DomainError("import:tooManyCells", { file, max: MAX_CELLS });
  }
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
const SHARED_STRINGS = /^xl\/sharedStrings\.xml$/i;
/** `<c …>`, `<x:c …>`, `<row …>`: a cell or row element, whatever prefix the writer chose (text cannot hold a raw "<"). */
const CELL_OR_ROW_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]/g;
const SHARED_STRING_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?si[\s/>]/g;

function countElements(xml: Buffer, element: RegExp): number {
  const text = xml.toString("latin1");
  let count = 0;
  element.lastIndex = 0;
  while (element.exec(text)) count += 1;
  return count;
}

/** Counts a table's rows as they are read and refuses the file at the first row or cell past the limits. */
export function createRowChecker(file: string): (line: number, cells: readonly string[]) => void {
  let rows = 0;
  return (line, cells) => {
    rows += 1;
    if (rows > MAX_ROWS) throw new DomainError("import:tooManyRows", { file, max: MAX_ROWS });
    const long = cells.findIndex((cell) => cell.length > MAX_CELL_CHARS);
    if (long >= 0) throw new DomainError("import:cellTooLong", { file, line, column: columnLetter(long), max: MAX_CELL_CHARS });
  };
}
