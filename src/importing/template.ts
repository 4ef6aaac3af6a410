import type ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { EXAMPLE_MARK, MEMBER_FIELDS, REQUIRED_FIELDS, ROW_NUMBER_HEADER, type MemberField } from "./columns.ts";

/** Rows prepared as text, so Excel keeps a phone's leading 0 and a date as it is typed. */
const PREPARED_ROWS = 2000;
const TEXT = "@";
const WIDTHS: Record<MemberField | "rowNumber", number> = {
  rowNumber: 8, fullName: 28, birthDate: 13, phone: 15, cell: 30, position: 16, admittedOn: 15, fullMembershipOn: 16,
};

export interface TemplateOptions {
  /** Sentences for the instructions sheet, in the reader's language. */
  t: TFunction;
  /** Column headers and positions, always in Vietnamese: the words the importer reads. */
  headerT: TFunction;
  /** The cells a list may name (under the organization it is for); the example row uses the first. */
  cells?: { name: string }[];
  organizationName?: string;
}

/**
 * The member list to fill in, as an .xlsx: a sheet with the columns the importer reads (a header,
 * then an example row marked "Ví dụ" that an import skips), and a sheet of instructions. With the
 * cells of an organization, "Chi bộ" offers exactly their names.
 */
export async function memberListTemplate(options: TemplateOptions): Promise<Buffer> {
  const { t, headerT } = options;
  // exceljs weighs ~30 MB once loaded: only when a workbook is made or read.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "chibo";
  // The importer reads the first sheet, whatever its name.
  const list = workbook.addWorksheet(t("template:sheetList"), { views: [{ state: "frozen", ySplit: 1 }] });
  const help = workbook.addWorksheet(t("template:sheetHelp"));

  const columns = ["rowNumber", ...MEMBER_FIELDS] as const;
  list.columns = columns.map((field) => ({ width: WIDTHS[field], style: { numFmt: TEXT } }));
  const header = list.addRow(columns.map((field) => (field === "rowNumber" ? ROW_NUMBER_HEADER : headerT(`import:field_${field}`))));
  header.font = { bold: true };
  header.eachCell((cell, column) => {
    const field = columns[column - 1];
    if (field && field !== "rowNumber" && REQUIRED_FIELDS.includes(field)) cell.font = { bold: true, color: { argb: "FFC00000" } };
  });
  const cellName = options.cells?.[0]?.name ?? t("template:exampleCell");
  const example = list.addRow([
    EXAMPLE_MARK, t("template:exampleName"), "15/03/1960", "0912345678", cellName, headerT("common:role_secretary"), "10/05/1985", "10/05/1986",
  ]);
  example.font = { italic: true, color: { argb: "FF808080" } };

  const positions = ["secretary", "deputy_secretary", "committee_member"].map((role) => headerT(`common:role_${role}`)).join(",");
  const below = addInstructions(help, t);
  const cellsRange = options.cells?.length ? addCellList(help, below + 2, options.cells.map((c) => c.name), t, options.organizationName ?? "") : undefined;
  for (let row = 2; row <= PREPARED_ROWS + 1; row += 1) {
    const cells = list.getRow(row);
    cells.getCell(columns.indexOf("position") + 1).dataValidation = { type: "list", allowBlank: true, formulae: [`"${positions}"`] };
    if (cellsRange) cells.getCell(columns.indexOf("cell") + 1).dataValidation = { type: "list", allowBlank: true, formulae: [cellsRange] };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The instructions, one sentence a row, in the reader's language; returns the last row used. */
function addInstructions(sheet: ExcelJS.Worksheet, t: TFunction): number {
  sheet.getColumn(1).width = 110;
  const lines = t("template:instructions", { returnObjects: true, example: EXAMPLE_MARK }) as string[];
  sheet.getCell(1, 1).value = t("template:helpTitle");
  sheet.getCell(1, 1).font = { bold: true, size: 13 };
  lines.forEach((line, i) => {
    const cell = sheet.getCell(i + 2, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: "top" };
  });
  return lines.length + 1;
}

/** Lists the organization's cells below the instructions; returns the range "Chi bộ" draws its choices from. */
function addCellList(sheet: ExcelJS.Worksheet, titleRow: number, names: string[], t: TFunction, organization: string): string {
  sheet.getCell(titleRow, 1).value = t("template:cellsTitle", { organization });
  sheet.getCell(titleRow, 1).font = { bold: true };
  const first = titleRow + 1;
  names.forEach((name, i) => (sheet.getCell(first + i, 1).value = name));
  return `'${sheet.name.replace(/'/g, "''")}'!$A$${first}:$A$${first + names.length - 1}`;
}
