import type { Request, Response } from "express";
import type { TFunction } from "i18next";
import { scopePaths } from "../../../domain/consoleAccess.ts";
import type { TreeNode } from "../../../services/organizationTree.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";
import { page } from "../../layout.ts";
import { flashOf } from "../../ui.ts";
import { orgLine } from "./words.ts";

const NS = "consoleOrganization";

/**
 * The administrator's organizations, top down, each folded in a <details> that opens without a
 * script. A subtree too large to show whole (a province) lists its cells on each parent's page.
 */
export async function treePage(deps: ConsoleDeps, req: Request, res: Response): Promise<void> {
  const viewer = viewerOf(res);
  const { t } = viewer;
  const scope = scopePaths(viewer.roles, "organization", "manage");
  if (scope.length === 0) throw new NotFound();
  const roots = await deps.services.organizationTree.tree(scope);
  const large = roots.some(hasCellsElsewhere);
  const body = html`<p>${t(`${NS}:treeIntro`)}</p>
${large ? html`<p class="muted">${t(`${NS}:treeLarge`)}</p>` : ""}
<ul class="organization-tree">${roots.map((root) => node(t, root, 0, large))}</ul>`;
  res.type("html").send(page(viewer, { title: t(`${NS}:treeTitle`), area: "organization", body, flash: flashOf(req, viewer, NS) }).toString());
}

function hasCellsElsewhere(node: TreeNode): boolean {
  return node.cellsOnItsPage > 0 || node.children.some(hasCellsElsewhere);
}

function node(t: TFunction, n: TreeNode, depth: number, large: boolean): Html {
  const line = orgLine(t, n);
  const more = t(`${NS}:cellsOnItsPage`, { count: n.cellsOnItsPage });
  const inner = html`${n.children.length ? html`<ul>${n.children.map((child) => node(t, child, depth + 1, large))}</ul>` : ""}
${n.cellsOnItsPage ? html`<p class="organization-more"><a href="/console/organization/${n.id}#children">${more}</a></p>` : ""}`;
  if (!n.children.length && !n.cellsOnItsPage) return html`<li class="organization-leaf">${line}</li>`;
  const open = depth === 0 || !large;
  return html`<li><details${open ? html` open` : ""}><summary>${line}</summary>${inner}</details></li>`;
}
