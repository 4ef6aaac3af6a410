/** A member's position in the cell, as the Role table names it. */
export type ImportRole = "secretary" | "deputy_secretary" | "committee_member" | "member";

/** One valid row of a member list, ready for the database import. Dates are "YYYY-MM-DD". */
export interface MemberDraft {
  line: number;
  fullName: string;
  birthDate: string | null;
  /** Normalized "0xxxxxxxxx"; null for a member without a phone. */
  phone: string | null;
  cellName: string;
  role: ImportRole;
  status: "full" | "probationary";
  admittedOn: string | null;
  fullMembershipOn: string | null;
}

/** What is wrong with one cell of a row, as an i18next key with its parameters. */
export interface RowProblem {
  line: number;
  /** A canonical field name (see MEMBER_FIELDS), or "row" for the row as a whole. */
  field: string;
  /** i18next key, e.g. "import:invalidPhone". */
  code: string;
  params: Record<string, string | number>;
}

/** A cell's value after parsing, or why it could not be parsed. */
export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; code: string; params: Record<string, string | number> };

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });

export const refused = (code: string, params: Record<string, string | number> = {}): Parsed<never> => ({
  ok: false,
  code,
  params,
});
