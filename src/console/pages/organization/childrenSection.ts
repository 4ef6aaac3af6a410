import { CELL_KINDS } from "../../../domain/organization.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, pager } from "../../ui.ts";
import { action, field, NS, options, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";
import { orgLine } from "./words.ts";

/** The organizations directly under one, a page at a time, and the forms that add a cell or a sub-branch. */
export function childrenSection(ctx: SectionContext): Html {
  const { t, viewer, data, req } = ctx;
  const { children } = data;
  const label = t(`${NS}:childrenCaption`, { name: data.org.name });
  const list = children.items.map((c) => html`<li class="organization-leaf">${orgLine(t, c)}</li>`);
  return html`<section class="card" id="children" aria-labelledby="children-title">
<h2 id="children-title">${t(`${NS}:childrenTitle`, { count: children.total })}</h2>
${list.length ? html`<ul class="organization-tree organization-children" aria-label="${label}">${list}</ul>` : html`<p class="empty">${t(`${NS}:noChildren`)}</p>`}
${pager(req, viewer, children.page, children.pageCount)}
${addForm(ctx, "addCell")}
${data.org.level === "base" ? addForm(ctx, "addSubBranch") : ""}
</section>`;
}

/** A folded form adding a cell (with its kind) or a sub-branch; open again after a refusal. */
function addForm(ctx: SectionContext, section: "addCell" | "addSubBranch"): Html {
  const { t, viewer } = ctx;
  const { val } = valuesFor(ctx, section);
  const cell = section === "addCell";
  const id = (name: string) => `${section}-${name}`;
  const kinds = html`<select id="${id("kind")}" name="cellKind">${options(CELL_KINDS, val("cellKind", "village"), (k) => t(`common:cellKind_${k}`))}</select>`;
  const code = html`<input id="${id("code")}" name="code" maxlength="40" value="${val("code", "")}" aria-describedby="${id("code-hint")}">
<span class="muted" id="${id("code-hint")}">${t(`${NS}:codeHint`)}</span>`;
  return html`<details class="organization-add"${ctx.problem?.section === section ? html` open` : ""}><summary>${t(`${NS}:${section}`)}</summary>
${problemAt(ctx, section)}
<form method="post" action="${action(ctx, "children")}">${csrfField(viewer)}<input type="hidden" name="level" value="${cell ? "cell" : "sub_branch"}">
  ${field(id("name"), t(`${NS}:${cell ? "field_cellName" : "field_subBranchName"}`), html`<input id="${id("name")}" name="name" maxlength="150" value="${val("name", "")}" required>`)}
  ${cell ? field(id("kind"), t(`${NS}:field_cellKind`), kinds) : ""}
  ${field(id("code"), t(`${NS}:field_code`), code)}
  <button type="submit" class="primary">${t(`${NS}:${section}Button`)}</button>
</form></details>`;
}
