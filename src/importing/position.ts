import { foldVietnamese, searchKey } from "../domain/text.ts";
import { parsed, refused, type ImportRole, type Parsed } from "./types.ts";

/**
 * Whole-value matches after folding, never "contains": "phó bí thư" contains "bí thư".
 * "uỷ" and "ủy" (old and new accent placement) fold alike.
 */
const ROLE_BY_POSITION = new Map<string, ImportRole>([
  ["bi thu", "secretary"],
  ["bt", "secretary"],
  ["pho bi thu", "deputy_secretary"],
  ["pbt", "deputy_secretary"],
  ["chi uy vien", "committee_member"],
  ["cap uy vien", "committee_member"],
  ["uy vien chi uy", "committee_member"],
  ["cuv", "committee_member"],
  ["", "member"],
  ["dang vien", "member"],
  ["dv", "member"],
  // Whether full or probationary comes from the dates, not from this column.
  ["dang vien chinh thuc", "member"],
  ["dang vien du bi", "member"],
]);

/** "Bí thư chi bộ", "P.Bí thư", "Chi ủy viên" … → the role; anything else is refused. */
export function parsePosition(text: string): Parsed<ImportRole> {
  // Fold first: in NFD text the accents are marks that the punctuation filter would remove.
  const key = searchKey(foldVietnamese(text).replace(/[^a-z0-9\s]/g, " ")).replace(/(?<=\S)\s+chi bo$/, "");
  const role = ROLE_BY_POSITION.get(key) ?? ROLE_BY_POSITION.get(key.replace(/^p /, "pho "));
  return role ? parsed(role) : refused("import:unknownPosition", { value: text.trim() });
}
