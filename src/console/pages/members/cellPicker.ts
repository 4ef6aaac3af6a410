import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";

/** Which cell a printable page is for: a short GET form (an id in the address is no personal data). */
export function cellPicker(viewer: Viewer, action: string, cells: { id: number; name: string }[], intro: string): Html {
  const { t } = viewer;
  if (cells.length === 0) return html`<p class="empty">${t("consoleMembers:noCells")}</p>`;
  return html`<p>${intro}</p>
<form method="get" action="${action}" class="filters">
<div class="field"><label for="cell">${t("consoleMembers:cell")}</label>
<select id="cell" name="cell">${cells.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></div>
<button type="submit" class="primary">${t("consoleMembers:open")}</button>
</form>`;
}
