import type { TFunction } from "i18next";
import type { Candidate, Officer } from "../../../services/organizationOfficers.ts";
import { GRANTABLE_ROLES } from "../../../services/roles.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, field, NS, options, postButton, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";

const roleSelect = (t: TFunction, id: string, chosen: string) =>
  field(id, t(`${NS}:field_role`), html`<select id="${id}" name="role">${options(GRANTABLE_ROLES, chosen, (r) => t(`common:role_${r}`))}</select>`);

/**
 * Who holds which role at the organization, with a button to take each back, and the way to give
 * one to a member of the subtree: a list of a cell's members, or a search by name (sent in a form
 * body, never in the address) for a larger organization.
 */
export function officersSection(ctx: SectionContext): Html {
  const { t, data } = ctx;
  const items = data.officers.map((o) => officerLine(ctx, o));
  return html`<section class="card" id="officers" aria-labelledby="officers-title">
<h2 id="officers-title">${t(`${NS}:officersTitle`)}</h2>
${problemAt(ctx, "officers")}
${items.length ? html`<ul class="organization-list" aria-label="${t(`${NS}:officersCaption`, { name: data.org.name })}">${items}</ul>` : html`<p class="empty">${t(`${NS}:noOfficers`)}</p>`}
<h3>${t(`${NS}:grantTitle`)}</h3>
${data.cellMembers ? pickFromList(ctx, data.cellMembers) : searchForm(ctx)}
</section>`;
}

function officerLine(ctx: SectionContext, o: Officer): Html {
  const { t } = ctx;
  const role = t(`common:role_${o.role}`);
  return html`<li><span><strong>${role}</strong>: ${o.fullName} <span class="muted">(${o.cellName})</span></span>
${postButton(ctx, "officers/revoke", { memberId: o.memberId, role: o.role }, {
    label: t(`${NS}:revoke`), className: "danger", aria: t(`${NS}:revokeOf`, { role, name: o.fullName }), confirm: t(`${NS}:confirmRevoke`, { role, name: o.fullName }),
  })}</li>`;
}

function pickFromList(ctx: SectionContext, members: Candidate[]): Html {
  const { t, viewer } = ctx;
  const { val } = valuesFor(ctx, "officers");
  const chosen = val("memberId", "");
  const choices = members.map((m) => html`<option value="${m.memberId}"${String(m.memberId) === chosen ? html` selected` : ""}>${m.fullName}</option>`);
  return html`<form method="post" action="${action(ctx, "officers/grant")}" class="filters">${csrfField(viewer)}
  ${field("grant-member", t(`${NS}:field_member`), html`<select id="grant-member" name="memberId" required><option value="">${t(`${NS}:chooseMember`)}</option>${choices}</select>`)}
  ${roleSelect(t, "grant-role", val("role", "reviewer"))}
  <button type="submit" class="primary">${t(`${NS}:grant`)}</button>
</form>`;
}

function searchForm(ctx: SectionContext): Html {
  const { t, viewer, search } = ctx;
  const query = search?.query ?? valuesFor(ctx, "officers").val("q", "");
  const results = search?.results.map((m) => html`<li><span>${m.fullName} <span class="muted">(${m.cellName})</span></span>
<form method="post" action="${action(ctx, "officers/grant")}" class="filters">${csrfField(viewer)}<input type="hidden" name="memberId" value="${m.memberId}">
${roleSelect(t, `grant-role-${m.memberId}`, "reviewer")}
<button type="submit" class="primary" aria-label="${t(`${NS}:grantTo`, { name: m.fullName })}">${t(`${NS}:grant`)}</button></form></li>`);
  const found = results && (results.length
    ? html`<ul class="organization-list" aria-label="${t(`${NS}:searchCaption`)}">${results}</ul>`
    : html`<p class="empty">${t(`${NS}:noResults`)}</p>`);
  return html`<form method="post" action="${action(ctx, "officers/search")}#officers" class="filters">${csrfField(viewer)}
  ${field("officer-search", t(`${NS}:field_search`), html`<input id="officer-search" name="q" maxlength="80" value="${query}" required>`)}
  <button type="submit">${t(`${NS}:searchButton`)}</button>
</form>
${found ?? ""}`;
}
