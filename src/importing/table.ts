/** One row of a spreadsheet as text, with the line number the secretary sees in Excel or an editor. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A sheet read from a CSV or XLSX file: rows in file order, blank rows left out. */
export interface Table {
  rows: TableRow[];
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}
