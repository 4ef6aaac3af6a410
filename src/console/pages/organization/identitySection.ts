import { UNIT_KINDS, type OrgLevel } from "../../../domain/organization.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, field, NS, options, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";

/** The organization's name, and what unit it is (for a province or a base organization). */
export function identitySection(ctx: SectionContext): Html {
  const { t, viewer, data } = ctx;
  const { org } = data;
  const kinds = UNIT_KINDS[org.level as OrgLevel];
  const name = html`<input id="org-name" name="name" value="${valuesFor(ctx, "name").val("name", org.name)}" maxlength="150" required>`;
  const kind = valuesFor(ctx, "kind").val("kind", org.unitKind ?? "");
  return html`<section class="card" id="identity" aria-labelledby="identity-title">
<h2 id="identity-title">${t(`${NS}:identityTitle`)}</h2>
${problemAt(ctx, "name")}
<form method="post" action="${action(ctx, "name")}" class="filters">${csrfField(viewer)}
  ${field("org-name", t(`${NS}:field_name`), name)}
  <button type="submit">${t(`${NS}:rename`)}</button>
</form>
${kinds ? html`${problemAt(ctx, "kind")}
<form method="post" action="${action(ctx, "kind")}" class="filters">${csrfField(viewer)}
  ${field("org-kind", t(`${NS}:field_unitKind`), html`<select id="org-kind" name="kind">${options(kinds, kind, (k) => t(`common:unitKind_${k}`))}</select>`)}
  <button type="submit">${t(`${NS}:setKind`)}</button>
</form>` : ""}
</section>`;
}
