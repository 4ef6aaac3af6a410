import { pathIds } from "../domain/organization.ts";
import type { MeetingRule } from "../domain/schedule.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { rowToRule } from "./meetingRules.ts";

/**
 * A subtree of up to this many organizations is shown whole; a larger one (a province of some
 * thousand cells and 150,000 members) down to the organizations that hold cells, and each one's
 * cells on its own page, a page at a time.
 */
export const TREE_WHOLE_LIMIT = 300;
export const CHILDREN_PAGE_SIZE = 50;

export interface OrgSummary {
  id: number;
  code: string;
  name: string;
  level: string;
  cellKind: string | null;
  unitKind: string | null;
  path: string;
  /** Active members in the organization's cells and all cells below it. */
  members: number;
  /** Cells at or below it (1 for a cell). */
  cells: number;
  rule: { rule: MeetingRule; place: string | null; shiftOffDays: boolean } | null;
}

export interface TreeNode extends OrgSummary {
  children: TreeNode[];
  /** Cells directly under it that the tree leaves to its page (a large subtree). */
  cellsOnItsPage: number;
}

type Counts = Map<number, { members: number; cells: number }>;

/** What the organization area shows of a subtree: organizations with their member counts and rules. */
export function createOrganizationTreeService(deps: { db: Db; wholeLimit?: number }) {
  const { db } = deps;
  const wholeLimit = deps.wholeLimit ?? TREE_WHOLE_LIMIT;

  const byId = (id: number) => db.organization.findUnique({ where: { id } });

  /** The organization and those above it, top first (for the way back up). */
  async function chain(org: Pick<Organization, "path">): Promise<Organization[]> {
    const ids = pathIds(org.path);
    const rows = await db.organization.findMany({ where: { id: { in: ids } } });
    return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is Organization => r !== undefined);
  }

  /** Members and cells under every organization of a subtree, from one grouped count. */
  async function countsUnder(path: string): Promise<Counts> {
    const inSubtree = { path: { startsWith: path } };
    const [cells, groups] = await Promise.all([
      db.organization.findMany({ where: { ...inSubtree, level: "cell" }, select: { id: true, path: true } }),
      db.member.groupBy({ by: ["cellId"], where: { deactivatedAt: null, erasedAt: null, cell: inSubtree }, _count: { _all: true } }),
    ]);
    const perCell = new Map(groups.map((g) => [g.cellId, g._count._all]));
    const counts: Counts = new Map();
    for (const cell of cells) {
      for (const id of pathIds(cell.path)) {
        const entry = counts.get(id) ?? { members: 0, cells: 0 };
        entry.members += perCell.get(cell.id) ?? 0;
        entry.cells += 1;
        counts.set(id, entry);
      }
    }
    return counts;
  }

  async function summaries(orgs: Organization[], counts: Counts): Promise<OrgSummary[]> {
    const cellIds = orgs.filter((o) => o.level === "cell").map((o) => o.id);
    const rules = cellIds.length ? await db.meetingRule.findMany({ where: { cellId: { in: cellIds } } }) : [];
    const ruleOf = new Map(rules.map((r) => [r.cellId, { rule: rowToRule(r), place: r.place, shiftOffDays: r.shiftOffDays }]));
    return orgs.map((o) => ({
      id: o.id, code: o.code, name: o.name, level: o.level, cellKind: o.cellKind, unitKind: o.unitKind, path: o.path,
      members: counts.get(o.id)?.members ?? 0, cells: counts.get(o.id)?.cells ?? 0, rule: ruleOf.get(o.id) ?? null,
    }));
  }

  /** The subtrees at these paths (an administrator's scope), each whole or down to the organizations holding cells. */
  async function tree(rootPaths: readonly string[]): Promise<TreeNode[]> {
    const roots: TreeNode[] = [];
    for (const rootPath of rootPaths) {
      const inSubtree = { path: { startsWith: rootPath } };
      const whole = (await db.organization.count({ where: inSubtree })) <= wholeLimit;
      const [orgs, counts] = await Promise.all([
        db.organization.findMany({ where: whole ? inSubtree : { ...inSubtree, OR: [{ level: { not: "cell" } }, { path: rootPath }] }, orderBy: { id: "asc" } }),
        countsUnder(rootPath),
      ]);
      const nodes = new Map((await summaries(orgs, counts)).map((s) => [s.id, { ...s, children: [] as TreeNode[], cellsOnItsPage: 0 }]));
      const directCells = whole ? new Map<number, number>() : await cellsPerParent(rootPath);
      for (const org of orgs) {
        const node = nodes.get(org.id)!;
        node.cellsOnItsPage = directCells.get(org.id) ?? 0;
        const parent = org.path === rootPath || org.parentId === null ? undefined : nodes.get(org.parentId);
        if (parent) parent.children.push(node);
        else if (org.path === rootPath) roots.push(node);
      }
    }
    return roots;
  }

  async function cellsPerParent(rootPath: string): Promise<Map<number, number>> {
    const groups = await db.organization.groupBy({ by: ["parentId"], where: { path: { startsWith: rootPath }, level: "cell" }, _count: { _all: true } });
    return new Map(groups.filter((g) => g.parentId !== null).map((g) => [g.parentId!, g._count._all]));
  }

  /** An organization with its counts and rule, and the organizations directly under it a page at a time. */
  async function overview(org: Organization, pageNumber: number, pageSize = CHILDREN_PAGE_SIZE) {
    const [total, rows, counts] = await Promise.all([
      db.organization.count({ where: { parentId: org.id } }),
      db.organization.findMany({ where: { parentId: org.id }, orderBy: { id: "asc" }, skip: (pageNumber - 1) * pageSize, take: pageSize }),
      countsUnder(org.path),
    ]);
    const [self, ...children] = await summaries([org, ...rows], counts);
    return { self: self!, children, total, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
  }

  /** The organizations at these paths (the tops of a scope). */
  const atPaths = (paths: readonly string[]) => db.organization.findMany({ where: { path: { in: [...paths] } }, orderBy: { id: "asc" } });

  return { byId, chain, tree, overview, atPaths };
}

export type OrganizationTreeService = ReturnType<typeof createOrganizationTreeService>;
