import { DomainError } from "../domain/errors.ts";
import { checkOrgName, checkParent, childPath, isOrgLevel, orgCode, parseCellKind, parseUnitKind, pathIds, type OrgLevel } from "../domain/organization.ts";
import { validateMeetingRule, type MeetingRule } from "../domain/schedule.ts";
import { searchKey } from "../domain/text.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db, DbClient, Tx } from "../storage/database.ts";
import { ruleToRow } from "./meetingRules.ts";
import { checkPostponeLimit, createOrgSettingsService } from "./orgSettingsService.ts";

export interface NewOrganization {
  level: OrgLevel;
  name: string;
  code?: string;
  parentCode?: string;
  cellKind?: string;
  /** For a province or a base organization: what unit it is ("commune", "ward", "city", …). */
  unitKind?: string;
  maxPostponeDays?: number;
  rule?: MeetingRule & { place?: string; shiftOffDays?: boolean };
}

export interface TreeEntry {
  org: Organization;
  depth: number;
}

export function createOrganizationService(deps: { db: Db }) {
  const { db } = deps;

  async function findByCode(code: string, client: DbClient = db): Promise<Organization> {
    const org = await client.organization.findUnique({ where: { code: code.trim().toLowerCase() } });
    if (!org) throw new DomainError("org:notFound", { code });
    return org;
  }

  /** Creates an organization (and a cell's rule) in its own transaction. */
  function add(input: NewOrganization): Promise<Organization> {
    return db.$transaction((tx) => addWith(tx, input));
  }

  /** The same inside a caller's transaction. */
  async function addWith(tx: Tx, input: NewOrganization): Promise<Organization> {
    if (!isOrgLevel(input.level)) throw new DomainError("org:unknownLevel", { value: String(input.level) });
    const name = checkOrgName(input.name);
    const code = orgCode(name, input.code);
    const parent = input.parentCode ? await findByCode(input.parentCode, tx) : null;
    checkParent(input.level, (parent?.level as OrgLevel | undefined) ?? null);
    const cellKind = input.level === "cell" ? parseCellKind(input.cellKind ?? "") : null;
    const unitKind = parseUnitKind(input.level, input.unitKind);
    if (input.level !== "cell" && input.rule) throw new DomainError("org:ruleOnlyForCells");
    const rule = input.rule ? { ...validateMeetingRule(input.rule), place: input.rule.place, shiftOffDays: input.rule.shiftOffDays } : null;
    checkPostponeLimit(input.maxPostponeDays);
    if (await tx.organization.findUnique({ where: { code } })) throw new DomainError("org:codeTaken", { code });
    const created = await tx.organization.create({
      data: { level: input.level, cellKind, unitKind, name, searchName: searchKey(name), code, parentId: parent?.id ?? null, maxPostponeDays: input.maxPostponeDays ?? null },
    });
    if (rule) await tx.meetingRule.create({ data: { cellId: created.id, ...ruleToRow(rule, rule) } });
    return tx.organization.update({ where: { id: created.id }, data: { path: childPath(parent?.path ?? null, created.id) } });
  }

  async function rename(code: string, name: string): Promise<Organization> {
    const org = await findByCode(code);
    const clean = checkOrgName(name);
    return db.organization.update({ where: { id: org.id }, data: { name: clean, searchName: searchKey(clean) } });
  }

  async function setUnitKind(code: string, kind: string): Promise<Organization> {
    const org = await findByCode(code);
    return db.organization.update({ where: { id: org.id }, data: { unitKind: parseUnitKind(org.level as OrgLevel, kind) } });
  }

  async function setMeetingRule(cellCode: string, input: MeetingRule & { place?: string; shiftOffDays?: boolean }) {
    const cell = await findByCode(cellCode);
    if (cell.level !== "cell") throw new DomainError("org:ruleOnlyForCells");
    const row = ruleToRow(validateMeetingRule(input), input);
    return db.meetingRule.upsert({ where: { cellId: cell.id }, create: { cellId: cell.id, ...row }, update: row });
  }

  /** The organization and everything under it, parents before children, with depth. */
  async function tree(rootCode?: string): Promise<TreeEntry[]> {
    const root = rootCode ? await findByCode(rootCode) : null;
    const orgs = await db.organization.findMany({
      where: root ? { path: { startsWith: root.path } } : {},
      orderBy: [{ path: "asc" }],
    });
    const baseDepth = root ? root.path.split("/").length : 3;
    return orgs
      .sort((a, b) => comparePaths(a.path, b.path))
      .map((org) => ({ org, depth: org.path.split("/").length - baseDepth }));
  }

  async function cellsUnder(code: string): Promise<Organization[]> {
    const root = await findByCode(code);
    return db.organization.findMany({
      where: { path: { startsWith: root.path }, level: "cell" },
      orderBy: { id: "asc" },
    });
  }

  /**
   * The superior committee of an organization: the nearest organization above it that has
   * officers (anyone with a role other than plain member). A sub-branch without officers of its
   * own is passed over for the commune's party committee; when nobody above has officers yet, the
   * organization directly above.
   */
  async function superiorOf(org: Pick<Organization, "id" | "path">, client: DbClient = db): Promise<Organization | null> {
    const above = pathIds(org.path).filter((id) => id !== org.id);
    if (above.length === 0) return null;
    const withOfficers = await client.role.findMany({
      where: { organizationId: { in: above }, role: { not: "member" } },
      select: { organizationId: true },
      distinct: ["organizationId"],
    });
    const ids = new Set(withOfficers.map((r) => r.organizationId));
    // Nobody above has officers yet (a tree still being set up): the organization directly above.
    const nearest = [...above].reverse().find((id) => ids.has(id)) ?? above.at(-1)!;
    return client.organization.findUnique({ where: { id: nearest } });
  }

  return { add, addWith, findByCode, rename, setUnitKind, setMeetingRule, tree, cellsUnder, superiorOf, ...createOrgSettingsService({ db, findByCode }) };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;

/** Paths compare by their numeric ids, so "/1/10/" sorts after "/1/9/". */
function comparePaths(a: string, b: string): number {
  const pa = pathIds(a);
  const pb = pathIds(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return pa.length - pb.length;
}
