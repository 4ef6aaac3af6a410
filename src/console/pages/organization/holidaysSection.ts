import type { TFunction } from "i18next";
import type { EffectiveDay } from "../../../services/orgSettingsService.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, field, NS, postButton, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";
import { dayWords } from "./words.ts";

export const dayName = (t: TFunction, day: EffectiveDay) =>
  day.name || `${t(`org:holiday_${day.statutoryKey}`)}${day.compensating ? ` ${t("org:holidayCompensating")}` : ""}`;

/**
 * The year's days off at the organization (the Labour Code's, and those listed here or above,
 * each with who decided it), days marked as working days, and the forms to add or take one away.
 */
export function holidaysSection(ctx: SectionContext): Html {
  const { t, viewer, data } = ctx;
  const { org, year } = data;
  const yearLink = (y: number, key: string, rel: string) =>
    html`<a href="/console/organization/${org.id}?year=${y}#holidays" rel="${rel}">${t(`${NS}:${key}`, { year: y })}</a>`;
  const decided = (day: EffectiveDay) => !day.decidedBy
    ? t(`${NS}:decidedByLaw`)
    : day.decidedBy.code === org.code ? t(`${NS}:decidedHere`) : t(`${NS}:decidedBy`, { name: day.decidedBy.name });
  // A day off may become a working day here; a working day listed here or above may be given off again.
  const change = (day: EffectiveDay) => day.dayOff
    ? postButton(ctx, "holidays/remove", { date: day.date, year }, {
      label: t(`${NS}:makeWorkingDay`), aria: t(`${NS}:makeWorkingDayOf`, { date: day.date }),
      confirm: t(`${NS}:confirmWorkingDay`, { date: dayWords(t, day.date) }),
    })
    : postButton(ctx, "holidays", { date: day.date, name: dayName(t, day), year }, { label: t(`${NS}:makeDayOff`), aria: t(`${NS}:makeDayOffOf`, { date: day.date }) });
  const items = data.holidays.map((day) => html`<li><span><strong class="organization-date">${dayWords(t, day.date)}</strong> — ${dayName(t, day)}<br>
<span class="muted">${day.dayOff ? t(`${NS}:dayOff`) : html`<strong>${t(`${NS}:workingDay`)}</strong>`} · ${t(`${NS}:decidedByWho`, { who: decided(day) })}</span></span>
${change(day)}</li>`);
  const { val } = valuesFor(ctx, "holidays");
  return html`<section class="card" id="holidays" aria-labelledby="holidays-title">
<h2 id="holidays-title">${t(`${NS}:holidaysTitle`, { year })}</h2>
<p>${t(`${NS}:holidaysIntro`)}</p>
<nav class="pager" aria-label="${t(`${NS}:years`)}">${yearLink(year - 1, "yearBefore", "prev")} ${yearLink(year + 1, "yearAfter", "next")}</nav>
${problemAt(ctx, "holidays")}
${items.length ? html`<ul class="organization-list" aria-label="${t(`${NS}:holidaysCaption`, { year })}">${items}</ul>` : html`<p class="empty">${t(`${NS}:noHolidays`)}</p>`}
<form method="post" action="${action(ctx, "holidays")}" class="filters">${csrfField(viewer)}<input type="hidden" name="year" value="${year}">
  ${field("holiday-date", t(`${NS}:field_date`), html`<input type="date" id="holiday-date" name="date" value="${val("date", "")}" required>`)}
  ${field("holiday-name", t(`${NS}:field_holidayName`), html`<input id="holiday-name" name="name" maxlength="150" value="${val("name", "")}" required>`)}
  <button type="submit" class="primary">${t(`${NS}:addHoliday`)}</button>
</form>
</section>`;
}
