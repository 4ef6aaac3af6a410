import { addresseeLabel } from "../../../services/addresseeLabel.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, field, NS, postButton, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";
import { sourceWords } from "./words.ts";

/** To whom members' feedback may go in this subtree: the list in force, where it comes from, add and remove. */
export function addresseesSection(ctx: SectionContext): Html {
  const { t, viewer, data } = ctx;
  const { settings, org } = data;
  // Default bodies are named with their unit ("UBND xã"): the nearest base organization's kind.
  const unitKind = [...data.chain].reverse().find((c) => c.org.level === "base")?.org.unitKind ?? null;
  const setHere = settings.source.addressees?.id === org.id;
  const { val } = valuesFor(ctx, "addressees");
  const entries = settings.addressees.map((entry) => {
    const label = addresseeLabel(t, { addressee: entry.key, agencyName: entry.name }, unitKind);
    return html`<li><span>${label}</span>
${postButton(ctx, "addressees/remove", { key: entry.key }, {
    label: t(`${NS}:remove`), className: "danger", aria: t(`${NS}:removeAddresseeOf`, { name: label }), confirm: t(`${NS}:confirmRemoveAddressee`, { name: label }),
  })}</li>`;
  });
  return html`<section class="card" id="addressees" aria-labelledby="addressees-title">
<h2 id="addressees-title">${t(`${NS}:addresseesTitle`)}</h2>
<p>${t(`${NS}:addresseesIntro`)} <span class="badge">${sourceWords(t, settings.source.addressees, org.id)}</span></p>
${problemAt(ctx, "addressees")}
<ul class="organization-list">${entries}</ul>
<p class="muted">${t(`${NS}:addresseesAgency`, { agency: t("feedback:addressee_agency") })}</p>
<form method="post" action="${action(ctx, "addressees")}" class="filters">${csrfField(viewer)}
  ${field("addressee-name", t(`${NS}:field_addresseeName`), html`<input id="addressee-name" name="name" maxlength="120" value="${val("name", "")}" required>`)}
  <button type="submit" class="primary">${t(`${NS}:addAddressee`)}</button>
</form>
${setHere ? postButton(ctx, "settings/addressees/unset", {}, { label: t(`${NS}:inheritAgain`) }) : ""}
</section>`;
}
