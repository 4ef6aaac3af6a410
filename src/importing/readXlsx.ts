import type ExcelJS from "exceljs";
import { checkXlsxPackage, createRowChecker } from "./limits.ts";
import { isBlankRow, type Table } from "./table.ts";

/**
 * Reads the first worksheet; each row keeps its Excel row number. The package is checked against
 * the limits before exceljs sees it, the rows and cells as they are read.
 */
export async function readXlsxTable(bytes: Buffer, file: string): Promise<Table> {
  checkXlsxPackage(bytes, file);
  const checkRow = createRowChecker(file);
  // exceljs weighs ~30 MB once loaded: only when a workbook is made or read.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  // exceljs's declared Buffer type predates @types/node 20's generic Buffer.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [] };
  const rows: Table["rows"] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // `values` is 1-based and holds only cells with content: a sheet formatted across all 16,384
    // columns would otherwise cost a cell object each. A merged cell repeats its value in every
    // cell it covers, so a "Chi bộ" merged down its members' rows gives each of them the name.
    const values = row.values as ExcelJS.CellValue[];
    const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
    if (isBlankRow(cells)) return;
    checkRow(rowNumber, cells);
    rows.push({ line: rowNumber, cells });
  });
  return { rows };
}

/** The text a secretary sees, in the forms the validators expect (dates as "YYYY-MM-DD"). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return utcDateText(value);
  if ("richText" in value) return value.richText.map((run) => run.text).join("");
  if ("hyperlink" in value) return hyperlinkText(value.text);
  if ("error" in value) return value.error;
  if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
  return "";
}

function numberText(value: number): string {
  // Integers print without ".0"; a phone typed as a number loses its leading 0, restored later.
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

/** exceljs turns a date serial into UTC midnight; local parts would shift it a day in the west. */
function utcDateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

// exceljs types a hyperlink's text as a string, but a styled link holds rich text.
function hyperlinkText(text: unknown): string {
  if (typeof text === "string") return text;
  if (text && typeof text === "object" && "richText" in text) {
    return cellText(text as ExcelJS.CellRichTextValue);
  }
  return "";
}
