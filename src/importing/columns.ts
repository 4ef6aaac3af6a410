import { DomainError } from "../domain/errors.ts";
import { foldVietnamese, searchKey } from "../domain/text.ts";
import type { Table, TableRow } from "./table.ts";

export const MEMBER_FIELDS = [
  "fullName",
  "birthDate",
  "phone",
  "cell",
  "position",
  "admittedOn",
  "fullMembershipOn",
] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

/**
 * Without a "Ngày chính thức" column every member would silently become probationary, so the
 * column is required even though its cells may be empty.
 */
export const REQUIRED_FIELDS: readonly MemberField[] = ["fullName", "cell", "fullMembershipOn"];

/** Official letterhead, list title and date usually take 4–8 lines above the header. */
export const HEADER_SEARCH_ROWS = 15;

/** Header spellings after `headerKey`: folded, without punctuation or notes in parentheses. */
const HEADER_NAMES: Record<MemberField | "rowNumber", string[]> = {
  fullName: ["ho va ten", "ho ten", "ten dang vien", "ho va ten dang vien", "ho ten dang vien"],
  birthDate: ["ngay sinh", "nam sinh", "ngay thang nam sinh", "sinh ngay"],
  phone: ["so dien thoai", "sdt", "dien thoai", "di dong", "so di dong", "so dt", "dt", "dtdd", "dien thoai di dong"],
  cell: ["chi bo", "ten chi bo", "thuoc chi bo", "chi bo sinh hoat"],
  position: ["chuc vu", "chuc vu dang", "chuc vu trong chi bo", "chuc vu chi bo"],
  admittedOn: ["ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay ket nap vao dang"],
  fullMembershipOn: ["ngay chinh thuc", "ngay cong nhan chinh thuc", "ngay chuyen chinh thuc", "ngay dang vien chinh thuc"],
  // Recognized so it is not taken for data, then ignored.
  rowNumber: ["stt", "tt", "so tt", "so thu tu"],
};

const FIELD_BY_HEADER = new Map<string, MemberField | "rowNumber">(
  Object.entries(HEADER_NAMES).flatMap(([field, names]) =>
    names.map((name) => [name, field as MemberField | "rowNumber"] as const),
  ),
);

/** Where each member field sits: a 0-based index into a row's cells. */
export type ColumnMap = Partial<Record<MemberField, number>>;

export interface MemberHeader {
  /** Index in `table.rows` of the header row; data starts after it. */
  rowIndex: number;
  columns: ColumnMap;
  /** The row-number (STT) column, where the template marks its example row. */
  rowNumberColumn?: number;
}

/** The row-number column's title in the template. */
export const ROW_NUMBER_HEADER = "STT";
/** The template's example row says so in its STT column; these spellings, folded, mark such a row. */
export const EXAMPLE_MARK = "Ví dụ";
const EXAMPLE_MARKS = new Set(["vi du", "vd", "mau", "dong mau"]);

/** True for the template's example row ("Ví dụ" in the STT column), which an import skips. */
export function isExampleRow(cells: readonly string[], header: MemberHeader): boolean {
  if (header.rowNumberColumn === undefined) return false;
  return EXAMPLE_MARKS.has(headerKey(cells[header.rowNumberColumn] ?? ""));
}

/** "Ngày sinh (dd/mm/yyyy) *" → "ngay sinh"; works for NFC and NFD text alike. */
export function headerKey(header: string): string {
  // Fold before stripping punctuation: in NFD text the accents are marks that would be stripped too.
  return searchKey(foldVietnamese(header).replace(/\([^)]*\)/g, " ").replace(/[^a-z0-9\s]/g, " "));
}

export function fieldOfHeader(header: string): MemberField | "rowNumber" | undefined {
  return FIELD_BY_HEADER.get(headerKey(header));
}

/**
 * Finds the header row: the first of the top rows naming the full name and another field.
 * Failing that, the row naming the most fields, so the error says which column is missing.
 */
export function findMemberHeader(table: Table): MemberHeader {
  const candidates = table.rows.slice(0, HEADER_SEARCH_ROWS);
  let best: { rowIndex: number; fields: number } | undefined;
  for (const [rowIndex, row] of candidates.entries()) {
    const fields = knownFields(row);
    if (fields.has("fullName") && fields.size >= 2) return { rowIndex, columns: mapColumns(row), ...rowNumberColumn(row) };
    if (fields.size > (best?.fields ?? 0)) best = { rowIndex, fields: fields.size };
  }
  const row = best && table.rows[best.rowIndex];
  if (!best || !row) throw new DomainError("import:headerNotFound", { rows: HEADER_SEARCH_ROWS });
  return { rowIndex: best.rowIndex, columns: mapColumns(row) };
}

function rowNumberColumn(row: TableRow): { rowNumberColumn?: number } {
  const index = row.cells.findIndex((cell) => fieldOfHeader(cell) === "rowNumber");
  return index < 0 ? {} : { rowNumberColumn: index };
}

function knownFields(row: TableRow): Set<MemberField> {
  const fields = new Set<MemberField>();
  for (const cell of row.cells) {
    const field = fieldOfHeader(cell);
    if (field && field !== "rowNumber") fields.add(field);
  }
  return fields;
}

/** Maps a header row, refusing a field named twice and a missing required field. */
export function mapColumns(row: TableRow): ColumnMap {
  const columns: ColumnMap = {};
  for (const [index, header] of row.cells.entries()) {
    const field = fieldOfHeader(header);
    if (!field || field === "rowNumber") continue;
    const first = columns[field];
    if (first !== undefined) {
      throw new DomainError("import:duplicateColumn", {
        column: field,
        first: columnLetter(first),
        second: columnLetter(index),
      });
    }
    columns[field] = index;
  }
  for (const field of REQUIRED_FIELDS) {
    if (columns[field] === undefined) throw new DomainError("import:missingColumn", { column: field });
  }
  return columns;
}

/** 0 → "A", 26 → "AA": how Excel names the column, which the secretary can find. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
