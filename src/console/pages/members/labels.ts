import { formatDisplayDate, parseIsoDate } from "../../../domain/localTime.ts";
import type { Viewer } from "../../context.ts";
import { html, type Html } from "../../html.ts";

/** "2026-03-15" → "15/03/2026"; what cannot be read is shown as stored. */
export function displayDay(iso: string | null): string {
  if (!iso) return "";
  const day = parseIsoDate(iso);
  return day ? formatDisplayDate(day) : iso;
}

/** The positions a member holds besides being a member, with the organization when it is not their cell. */
export function positionsOf(viewer: Viewer, member: { cell: { name: string }; roles: { role: string; organization: { name: string } }[] }): string {
  const labels = member.roles
    .filter((r) => r.role !== "member")
    .map((r) => `${viewer.t(`common:role_${r.role}`)}${r.organization.name === member.cell.name ? "" : ` (${r.organization.name})`}`);
  return [...new Set(labels)].join(", ");
}

/** The chat apps a member has linked, or a quiet "not yet". */
export function channelsOf(viewer: Viewer, identities: { channel: string }[]): Html {
  const channels = [...new Set(identities.map((i) => i.channel))];
  if (channels.length === 0) return html`<span class="muted">${viewer.t("consoleMembers:notLinked")}</span>`;
  return html`${channels.map((c) => viewer.t(`consoleMembers:channel_${c}`, { defaultValue: c })).join(", ")}`;
}

/** The exemption in a few words ("Temporarily exempt until 31/12/2026"); a dash when there is none. */
export function exemptionOf(viewer: Viewer, member: { exemption: string; exemptionUntil: string | null }): string {
  if (member.exemption === "none") return "—";
  if (member.exemptionUntil) return viewer.t(`consoleMembers:exemptShortUntil_${member.exemption}`, { until: displayDay(member.exemptionUntil) });
  return viewer.t(`consoleMembers:exemptShort_${member.exemption}`);
}

/** A print button: hidden until the page's script can make it work; the browser's own menu prints too. */
export const printButton = (viewer: Viewer) =>
  html`<button type="button" class="primary" data-print hidden>${viewer.t("consoleMembers:print")}</button>`;
