import type { LocalDate } from "../domain/localTime.ts";
import { searchKey } from "../domain/text.ts";
import { findMemberHeader, isExampleRow } from "./columns.ts";
import { checkMemberRow, rowValues } from "./memberRow.ts";
import type { Table } from "./table.ts";
import type { MemberDraft, RowProblem } from "./types.ts";

export type { ImportRole, MemberDraft, RowProblem } from "./types.ts";

export interface ParseMemberRowsOptions {
  /** Today in Vietnam; when given, dates after it are refused as typing mistakes. */
  today?: LocalDate;
}

/** One member row as read, with what is wrong in it; fields that failed are null or "" in the draft. */
export interface CheckedRow {
  draft: MemberDraft;
  problems: RowProblem[];
}

/**
 * Turns a member list into drafts and a list of every problem in it, row by row, so the
 * secretary can fix the whole file in one go. Only rows without problems become drafts.
 * Throws DomainError for problems of the file itself (no header, missing or repeated column).
 */
export function parseMemberRows(
  table: Table,
  options: ParseMemberRowsOptions = {},
): { drafts: MemberDraft[]; problems: RowProblem[] } {
  const rows = checkMemberRows(table, options);
  return { drafts: rows.filter((row) => row.problems.length === 0).map((row) => row.draft), problems: rows.flatMap((row) => row.problems) };
}

/**
 * Every member row of a list with its own problems, a wrong row included, so the checks against
 * the database (is the cell known, is the phone someone else's) can report on it too.
 */
export function checkMemberRows(table: Table, options: ParseMemberRowsOptions = {}): CheckedRow[] {
  const header = findMemberHeader(table);
  const rows: CheckedRow[] = [];
  const lineByPhone = new Map<string, number>();
  const lineByMember = new Map<string, number>();

  for (const row of table.rows.slice(header.rowIndex + 1)) {
    const values = rowValues(row.cells, header.columns);
    // Row numbers (STT) filled down past the last member, or notes alone, are not members; nor is
    // the template's example row, which a secretary may well leave in.
    if (Object.values(values).every((value) => value === "") || isExampleRow(row.cells, header)) continue;
    const checked = checkMemberRow(row.line, values, options.today);
    const { draft } = checked;
    const report = (field: string, code: string, params: RowProblem["params"]) =>
      checked.problems.push({ line: row.line, field, code, params });

    if (draft.phone) {
      const otherLine = lineByPhone.get(draft.phone);
      if (otherLine === undefined) lineByPhone.set(draft.phone, row.line);
      else report("phone", "import:duplicatePhone", { value: values.phone, otherLine });
    }
    // Same name and birth date is the same person; so is the same name twice with no birth
    // date, since nothing would then tell the two apart in the database.
    const identityKnown = !checked.problems.some((p) => p.field === "fullName" || p.field === "birthDate");
    if (identityKnown) {
      const key = `${searchKey(draft.fullName)}|${draft.birthDate ?? ""}`;
      const otherLine = lineByMember.get(key);
      if (otherLine === undefined) lineByMember.set(key, row.line);
      else report("row", "import:duplicateMember", { name: draft.fullName, otherLine });
    }
    rows.push(checked);
  }
  return rows;
}
