import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, NS, postButton, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";
import { EDITABLE_KEYS, settingForm, type EditableKey } from "./settingFields.ts";
import { sourceWords } from "./words.ts";

/**
 * The settings in force for the organization and everything under it, each with where it comes
 * from (set here, inherited from an organization above, or chibo's default), a form to set it
 * here, and a button to inherit it again.
 */
export function settingsSection(ctx: SectionContext): Html {
  const { t, data } = ctx;
  return html`<section class="card" id="settings" aria-labelledby="settings-title">
<h2 id="settings-title">${t(`${NS}:settingsTitle`)}</h2>
<p>${t(`${NS}:settingsIntro`, { name: data.org.name })}</p>
<ul class="organization-settings">${EDITABLE_KEYS.map((key) => settingItem(ctx, key))}</ul>
</section>`;
}

/** The value of a key in force at the organization. */
export function valueOf(ctx: SectionContext, key: EditableKey): unknown {
  const { settings } = ctx.data;
  return key === "maxPostponeDays" ? settings.maxPostponeDays : settings.schedule[key];
}

function settingItem(ctx: SectionContext, key: EditableKey): Html {
  const { t, viewer, data } = ctx;
  const form = settingForm(key);
  const value = valueOf(ctx, key);
  const source = data.settings.source[key];
  const setHere = source?.id === data.org.id;
  const section = `setting-${key}`;
  const { val, checked } = valuesFor(ctx, section);
  const id = (name: string) => `s-${key}-${name}`;
  const refused = ctx.problem?.section === section;
  return html`<li class="organization-setting" id="${section}">
<h3>${t(`${NS}:setting_${key}`)}</h3>
<p class="organization-value"><strong>${form.show(t, value)}</strong> <span class="badge">${sourceWords(t, source, data.org.id)}</span></p>
<p class="muted">${t(`${NS}:settingHelp_${key}`)}</p>
${problemAt(ctx, section)}
<div class="actions">
<details class="organization-edit"${refused ? html` open` : ""}><summary>${t(`${NS}:editHere`)}</summary>
<form method="post" action="${action(ctx, `settings/${key}`)}">${csrfField(viewer)}
${form.inputs(t, value, val, checked, id)}
<button type="submit" class="primary">${t(`${NS}:saveHere`)}</button>
</form></details>
${setHere ? postButton(ctx, `settings/${key}/unset`, {}, { label: t(`${NS}:inheritAgain`) }) : ""}
</div>
</li>`;
}
