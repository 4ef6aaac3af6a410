import QRCode from "qrcode";
import { formatDisplayDateTime } from "../../../domain/localTime.ts";
import type { InviteSlip } from "../../../services/inviteSlips.ts";
import type { Viewer } from "../../context.ts";
import { escapeHtml, html, raw, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { printButton } from "./labels.ts";

/** Eight slips fill an A4 sheet (two across, four down), each cut out with scissors. */
export const SLIPS_PER_SHEET = 8;

/**
 * A QR code as inline SVG markup of the qrcode package (paths only: no script, no style
 * attribute), labelled for screen readers. The text encoded is ours (a t.me link with the code).
 */
export async function qrSvg(text: string, label: string): Promise<Html> {
  const svg = await QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return raw(svg.replace(/^<svg /, `<svg class="members-qr" role="img" aria-label="${escapeHtml(label)}" `));
}

/** The members of the cell to print slips for; those without a linked chat are ticked. */
export function chooser(viewer: Viewer, cell: { id: number; name: string }, roster: { id: number; fullName: string; linked: boolean }[], error?: string): Html {
  const { t } = viewer;
  if (roster.length === 0) return html`<p class="empty">${t("consoleMembers:noMembersInCell")}</p>`;
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/console/members/slips">${csrfField(viewer)}
<input type="hidden" name="cell" value="${cell.id}">
<fieldset class="members-choose"><legend>${t("consoleMembers:slipsChoose", { cell: cell.name })}</legend>
${roster.map((m) => html`<div class="members-check"><input type="checkbox" id="m-${m.id}" name="member" value="${m.id}"${m.linked ? "" : html` checked`}>
<label for="m-${m.id}">${m.fullName}${m.linked ? html` <span class="badge">${t("consoleMembers:linkedAlready")}</span>` : ""}</label></div>`)}
</fieldset>
<p class="warning">${t("consoleMembers:slipsEarlierStop")}</p>
<button type="submit" class="primary">${t("consoleMembers:slipsIssue")}</button>
</form>`;
}

async function slip(viewer: Viewer, item: InviteSlip, link: string | undefined): Promise<Html> {
  const { t } = viewer;
  return html`<article class="members-slip">
<p class="members-slip-title">${t("consoleMembers:slipHeading")}</p>
<p class="members-slip-name">${item.fullName}</p>
<p class="members-slip-cell">${item.cellName}</p>
<div class="members-slip-body">
${link ? await qrSvg(link, t("consoleMembers:slipQrLabel")) : ""}
<div>
<p class="members-slip-label">${t("consoleMembers:slipCode")}</p>
<p class="members-slip-code">${item.code}</p>
<p class="members-slip-how">${link ? t("consoleMembers:slipHowTelegram") : t("consoleMembers:slipHowZalo")}</p>
<p class="members-slip-until">${t("consoleMembers:slipUntil", { until: formatDisplayDateTime(item.expiresAt) })}</p>
</div></div>
</article>`;
}

/** The printable sheets: a line of help on screen, then the slips in sheets of eight. */
export async function slipsBody(viewer: Viewer, slips: InviteSlip[], linkOf: (code: string) => string | undefined): Promise<Html> {
  const { t } = viewer;
  const sheets: Html[] = [];
  for (let i = 0; i < slips.length; i += SLIPS_PER_SHEET) {
    const items = await Promise.all(slips.slice(i, i + SLIPS_PER_SHEET).map((s) => slip(viewer, s, linkOf(s.code))));
    sheets.push(html`<section class="members-sheet">${items}</section>`);
  }
  return html`<div class="no-print">
<p class="flash" role="status">${t("consoleMembers:slipsIssued", { count: slips.length })}</p>
<p>${t("consoleMembers:slipsPrintHint")}</p>
<p class="actions members-toolbar">${printButton(viewer)} <a href="/console/members">${t("consoleMembers:backToList")}</a></p>
</div>
<div class="members-slips">${sheets}</div>`;
}
