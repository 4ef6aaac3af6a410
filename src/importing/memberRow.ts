import type { LocalDate } from "../domain/localTime.ts";
import { cleanText } from "../domain/text.ts";
import type { ColumnMap, MemberField } from "./columns.ts";
import { parseImportDate } from "./dates.ts";
import { normalizePhone } from "./phone.ts";
import { parsePosition } from "./position.ts";
import { parsed, refused, type MemberDraft, type Parsed, type RowProblem } from "./types.ts";

export const MAX_NAME_LENGTH = 100;

/** A row's cells by field, cleaned (NFC, single spaces); "" where the column is absent. */
export type RowValues = Record<MemberField, string>;

/**
 * Checks every cell of one row and reports all that is wrong, not just the first thing.
 * The draft is always built (fields that failed are null) so duplicate checks can still use
 * what was valid; it is only worth keeping when `problems` is empty.
 */
export function checkMemberRow(
  line: number,
  values: RowValues,
  today?: LocalDate,
): { draft: MemberDraft; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const report = (field: string, code: string, params: RowProblem["params"] = {}) =>
    problems.push({ line, field, code, params });
  const take = <T>(field: string, result: Parsed<T>, fallback: T): T => {
    if (result.ok) return result.value;
    report(field, result.code, result.params);
    return fallback;
  };

  const fullName = take("fullName", checkName(values.fullName), "");
  const birthDate = take("birthDate", parseImportDate(values.birthDate, today), null);
  const phone = take("phone", normalizePhone(values.phone), null);
  const cellName = values.cell;
  if (cellName === "") report("cell", "import:cellRequired");
  const role = take("position", parsePosition(values.position), "member");
  const admittedOn = take("admittedOn", parseImportDate(values.admittedOn, today), null);
  const fullMembershipOn = take("fullMembershipOn", parseImportDate(values.fullMembershipOn, today), null);

  // ISO dates compare as strings. Each order check runs only when both dates were read.
  if (birthDate && admittedOn && admittedOn <= birthDate) {
    report("admittedOn", "import:admittedBeforeBirth", { value: values.admittedOn, birthDate: values.birthDate });
  }
  if (admittedOn && fullMembershipOn && fullMembershipOn <= admittedOn) {
    report("fullMembershipOn", "import:fullMembershipBeforeAdmission", {
      value: values.fullMembershipOn,
      admittedOn: values.admittedOn,
    });
  }
  // A probationary member's 12 months run from admission, so that date cannot be missing.
  if (values.fullMembershipOn === "" && values.admittedOn === "") {
    report("admittedOn", "import:probationaryNeedsAdmission");
  }

  const status = values.fullMembershipOn === "" ? "probationary" : "full";
  const draft = { line, fullName, birthDate, phone, cellName, role, status, admittedOn, fullMembershipOn } as const;
  return { draft, problems };
}

function checkName(name: string): Parsed<string> {
  if (name === "") return refused("import:nameRequired");
  if (!/\p{L}/u.test(name)) return refused("import:nameWithoutLetters", { value: name });
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) return refused("import:nameTooLong", { max: MAX_NAME_LENGTH, length });
  return parsed(name);
}

export function rowValues(cells: readonly string[], columns: ColumnMap): RowValues {
  const value = (field: MemberField) => {
    const index = columns[field];
    return index === undefined ? "" : cleanText(cells[index] ?? "");
  };
  return {
    fullName: value("fullName"),
    birthDate: value("birthDate"),
    phone: value("phone"),
    cell: value("cell"),
    position: value("position"),
    admittedOn: value("admittedOn"),
    fullMembershipOn: value("fullMembershipOn"),
  };
}
