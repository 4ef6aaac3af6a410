import type { RowProblem } from "../../../importing/types.ts";
import type { ImportSummary, PendingImport } from "../../../services/memberImportUploads.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, table } from "../../ui.ts";

export type Target = { id: number; name: string };

/** The file form: which organization the list is for, and the file. */
export function uploadForm(viewer: Viewer, targets: Target[], chosen?: number): Html {
  const { t } = viewer;
  return html`<form method="post" action="/console/members/import" enctype="multipart/form-data" class="card">${csrfField(viewer)}
<div class="field"><label for="org">${t("consoleMembers:importOrg")}</label>
<select id="org" name="org">${targets.map((o) => html`<option value="${o.id}"${o.id === chosen ? html` selected` : ""}>${o.name}</option>`)}</select></div>
<div class="field"><label for="file">${t("consoleMembers:importFile")}</label>
<input id="file" name="file" type="file" accept=".xlsx,.csv" required></div>
<p class="muted">${t("consoleMembers:importFileHint")}</p>
<button type="submit" class="primary">${t("consoleMembers:importCheck")}</button>
</form>`;
}

/** Every problem of the file, row by row, in the importer's own sentences. */
export function problemsTable(viewer: Viewer, fileName: string, problems: RowProblem[]): Html {
  const { t } = viewer;
  return html`<p class="error" role="alert">${t("consoleMembers:importProblems", { count: problems.length, file: fileName })}</p>
${table({
    caption: t("consoleMembers:importProblemsCaption"),
    head: [t("consoleMembers:importRow"), t("consoleMembers:importColumn"), t("consoleMembers:importProblem")],
    rows: problems.map((p) => [html`${p.line}`, html`${t(`import:field_${p.field}`, { defaultValue: p.field })}`, html`${t(p.code, p.params)}`]),
    empty: "",
    className: "members-problems",
  })}`;
}

function summaryTable(viewer: Viewer, summary: ImportSummary): Html {
  const { t } = viewer;
  const row = (label: string, count: number) => html`<tr><th scope="row">${label}</th><td class="members-count">${count}</td></tr>`;
  return html`<div class="table-wrap"><table class="members-summary"><caption>${t("consoleMembers:importSummary")}</caption><tbody>
${row(t("consoleMembers:importCreated"), summary.created)}
${row(t("consoleMembers:importUpdated"), summary.updated)}
${summary.reactivated > 0 ? row(t("consoleMembers:importReactivated"), summary.reactivated) : ""}
${row(t("consoleMembers:importUnchanged"), summary.unchanged)}
${row(t("consoleMembers:importLeaving"), summary.leaving.length)}
</tbody></table></div>`;
}

/** The check's result and the button that imports exactly this file, or lets it go. */
export function previewBody(viewer: Viewer, organization: Target, pending: PendingImport, note?: { text: string; kind: "warning" | "error" }): Html {
  const { t } = viewer;
  const { summary } = pending;
  const leaving = summary.leaving.length === 0 ? "" : html`<h2>${t("consoleMembers:importLeavingTitle", { count: summary.leaving.length })}</h2>
<p>${t("consoleMembers:importLeavingIntro")}</p>
${table({
    head: [t("consoleMembers:name"), t("consoleMembers:cell")],
    rows: summary.leaving.map((m) => [html`${m.fullName}`, html`${m.cellName}`]), empty: "",
  })}`;
  const guard = summary.needsAllowDeactivate
    ? html`<p class="warning">${t("member:importTooManyLeaving", { count: summary.leaving.length, active: summary.activeInCells })}</p>
<div class="field members-check"><input id="allowDeactivate" name="allowDeactivate" type="checkbox" value="yes" required>
<label for="allowDeactivate">${t("consoleMembers:importAllowDeactivate", { count: summary.leaving.length })}</label></div>`
    : "";
  return html`${note ? html`<p class="${note.kind}" role="alert">${note.text}</p>` : ""}
<p>${t("consoleMembers:importCheckedFor", { file: pending.fileName, org: organization.name })}</p>
<p class="warning">${t("consoleMembers:importNothingYet")}</p>
${summaryTable(viewer, summary)}
${leaving}
<form method="post" action="/console/members/import/confirm" class="card">${csrfField(viewer)}
<input type="hidden" name="sha256" value="${pending.sha256}">
${guard}
<button type="submit" class="primary">${t("consoleMembers:importConfirm")}</button>
</form>
<form method="post" action="/console/members/import/cancel">${csrfField(viewer)}<button type="submit">${t("consoleMembers:importCancel")}</button></form>`;
}
