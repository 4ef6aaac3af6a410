import { CsvError, parse } from "csv-parse/sync";
import { DomainError } from "../domain/errors.ts";
import { createRowChecker, MAX_CSV_RECORD_CHARS } from "./limits.ts";
import { isBlankRow, type Table, type TableRow } from "./table.ts";

const DELIMITERS = [",", ";", "\t"] as const;
/** Title lines (party letterhead, list name, date) sit above the header; it is within these. */
const DELIMITER_SAMPLE_LINES = 15;

/**
 * Parses CSV text whose delimiter is not known: Excel writes "," or ";" depending on the
 * computer's regional settings, and "Unicode Text" uses tabs.
 */
export function parseCsvText(text: string, file: string): Table {
  // csv-parse miscounts lines when "\r\n" sits inside a quoted field; one line ending avoids it.
  const normalized = text.replace(/\r\n?/g, "\n");
  let previousEndLine = 0;
  const startLines: number[] = [];
  const checkRow = createRowChecker(file);
  let records: string[][];
  try {
    records = parse(normalized, {
      delimiter: detectDelimiter(normalized),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      // Stops at once on a runaway record (an unclosed quote swallowing the file, a huge cell).
      max_record_size: MAX_CSV_RECORD_CHARS,
      // `lines` is where a record ends; a quoted multi-line name starts after the previous one.
      on_record: (cells: string[], context) => {
        const line = previousEndLine + 1;
        startLines.push(line);
        previousEndLine = context.lines;
        if (!isBlankRow(cells)) checkRow(line, cells);
        return cells;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === "CSV_MAX_RECORD_SIZE") throw new DomainError("import:rowTooLong", { file, line: previousEndLine + 1, max: MAX_CSV_RECORD_CHARS });
    // The broken record starts after the last good one, where its unclosed quote opened.
    throw new DomainError("import:malformedCsv", { file, line: previousEndLine + 1 });
  }
  const rows = records.map((cells, i): TableRow => ({ line: startLines[i] ?? 0, cells }));
  return { rows: rows.filter((row) => !isBlankRow(row.cells)) };
}

export function detectDelimiter(text: string): string {
  const lines = text.split("\n").slice(0, DELIMITER_SAMPLE_LINES);
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = Math.max(0, ...lines.map((line) => countOutsideQuotes(line, delimiter)));
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count += 1;
  }
  return count;
}
