import { DomainError } from "./errors.ts";
import { cleanText, searchKey } from "./text.ts";

/**
 * The levels of the party organization since July 2025: province or city committee → base
 * organization (the party committee of a commune, ward or special zone, or of an agency or
 * enterprise) → optional sub-branch (đảng bộ bộ phận) → cell. No level is assumed by the rest of
 * chibo: settings are inherited down whatever tree there is, and "the committee above" is the
 * nearest organization above that has officers.
 */
export const ORG_LEVELS = ["province", "base", "sub_branch", "cell"] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const CELL_KINDS = ["village", "agency", "school", "enterprise"] as const;
export type CellKind = (typeof CELL_KINDS)[number];
export const ROLES = ["member", "secretary", "deputy_secretary", "committee_member", "reviewer", "administrator"] as const;
export type Role = (typeof ROLES)[number];

/** What a province or a base organization is: it names the unit in texts ("UBND xã", "HĐND phường"). */
export const UNIT_KINDS: Readonly<Partial<Record<OrgLevel, readonly string[]>>> = {
  province: ["province", "city"],
  base: ["commune", "ward", "special_zone", "agency", "enterprise", "other"],
};
export const DEFAULT_UNIT_KIND: Readonly<Partial<Record<OrgLevel, string>>> = { province: "province", base: "commune" };

/**
 * Which level may sit directly under which. A base organization may be the top of an installation
 * (one commune on its own); a cell directly under the province is a chi bộ cơ sở.
 */
const ALLOWED_PARENT: Record<OrgLevel, readonly (OrgLevel | null)[]> = {
  province: [null],
  base: [null, "province"],
  sub_branch: ["base"],
  cell: ["base", "sub_branch", "province"],
};

export function isOrgLevel(value: unknown): value is OrgLevel {
  return ORG_LEVELS.includes(value as OrgLevel);
}

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

/** The unit kind of a province or base organization (its default when not given); null for other levels. */
export function parseUnitKind(level: OrgLevel, value: string | undefined): string | null {
  const allowed = UNIT_KINDS[level];
  if (!allowed) {
    if (value !== undefined) throw new DomainError("org:unitKindNotHere", { level });
    return null;
  }
  if (value === undefined) return DEFAULT_UNIT_KIND[level] ?? null;
  const kind = value.trim().toLowerCase().replace(/-/g, "_");
  if (allowed.includes(kind)) return kind;
  throw new DomainError("org:unknownUnitKind", { value, allowed: allowed.join(", ") });
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

/** The ids on a materialized path, from the top down to the organization itself. */
export function pathIds(path: string): number[] {
  return path.split("/").filter(Boolean).map(Number);
}
