import { DomainError } from "./errors.ts";
import { cleanText, searchKey } from "./text.ts";

export const ORG_LEVELS = ["district", "base", "cell"] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const CELL_KINDS = ["village", "agency", "school", "enterprise"] as const;
export type CellKind = (typeof CELL_KINDS)[number];
export const ROLES = ["member", "secretary", "deputy_secretary", "committee_member", "reviewer"] as const;
export type Role = (typeof ROLES)[number];

/** Which level may sit directly under which: a chi bộ cơ sở is a cell directly under the district. */
const ALLOWED_PARENT: Record<OrgLevel, readonly (OrgLevel | null)[]> = {
  district: [null],
  base: ["district"],
  cell: ["base", "district"],
};

export function checkParent(level: OrgLevel, parentLevel: OrgLevel | null): void {
  if (!ALLOWED_PARENT[level].includes(parentLevel)) {
    throw new DomainError("org:wrongParent", { level, parentLevel: parentLevel ?? "-" });
  }
}

export function parseCellKind(value: string): CellKind {
  const kind = value.trim().toLowerCase();
  if ((CELL_KINDS as readonly string[]).includes(kind)) return kind as CellKind;
  throw new DomainError("org:unknownCellKind", { value, allowed: CELL_KINDS.join(", ") });
}

export function checkOrgName(name: string): string {
  const clean = cleanText(name);
  if (!/\p{L}/u.test(clean)) throw new DomainError("org:nameRequired");
  if (clean.length > 150) throw new DomainError("org:nameTooLong", { max: 150 });
  return clean;
}

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** A short handle for the CLI: given, or made from the name ("Chi bộ Thôn Đông" → "chi-bo-thon-dong"). */
export function orgCode(name: string, given?: string): string {
  const code = given?.trim().toLowerCase() ?? searchKey(name).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  if (!CODE_PATTERN.test(code)) throw new DomainError("org:invalidCode", { value: given ?? code });
  return code;
}

/** Materialized path of a child: "/1/" + 4 → "/1/4/". A subtree is every path starting with its own. */
export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? "/"}${id}/`;
}
