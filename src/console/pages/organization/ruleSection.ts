import { formatMeetingTime } from "../../../formatTime.ts";
import { html, type Html } from "../../html.ts";
import { csrfField } from "../../ui.ts";
import { action, choice, field, NS, options, problemAt, valuesFor, type SectionContext } from "./sectionKit.ts";
import { ruleWords } from "./words.ts";

const NTHS = ["1", "2", "3", "4", "-1"];
const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"];

/** A cell's regular meeting: the rule in words, the next meeting it gives, and the form to change it. */
export function ruleSection(ctx: SectionContext): Html {
  const { t, viewer, data } = ctx;
  const current = data.self.rule;
  const { val, checked } = valuesFor(ctx, "rule");
  const r = current?.rule;
  const kind = val("kind", r && "weekday" in r ? "nthWeekday" : "dayOfMonth");
  const radio = (value: string) => choice("radio", `rule-kind-${value}`, "kind", value, kind === value, t(`${NS}:ruleKind_${value}`));
  const day = val("dayOfMonth", r && "dayOfMonth" in r ? String(r.dayOfMonth) : "");
  const nth = val("nth", r && "nth" in r ? String(r.nth) : "1");
  const weekday = val("weekday", r && "weekday" in r ? String(r.weekday) : "4");
  const next = data.next ? t(`${NS}:nextMeeting`, { when: formatMeetingTime(t, data.next.startsAt) }) : t(`${NS}:noNextMeeting`);
  return html`<section class="card" id="rule" aria-labelledby="rule-title">
<h2 id="rule-title">${t(`${NS}:ruleTitle`)}</h2>
<p><strong>${ruleWords(t, current)}</strong></p>
<p>${next}</p>
${problemAt(ctx, "rule")}
<form method="post" action="${action(ctx, "rule")}">${csrfField(viewer)}
<fieldset><legend>${t(`${NS}:ruleWhichDay`)}</legend>
  ${radio("dayOfMonth")}
  ${field("rule-day", t(`${NS}:field_dayOfMonth`), html`<input type="number" inputmode="numeric" id="rule-day" name="dayOfMonth" min="1" max="31" value="${day}">`)}
  ${radio("nthWeekday")}
  <div class="filters">
    ${field("rule-nth", t(`${NS}:field_nth`), html`<select id="rule-nth" name="nth">${options(NTHS, nth, (n) => t(`${NS}:nth_${n}`))}</select>`)}
    ${field("rule-weekday", t(`${NS}:field_weekday`),
      html`<select id="rule-weekday" name="weekday">${options(WEEKDAYS, weekday, (d) => t(`common:weekday_${d}`))}</select>`)}
  </div>
</fieldset>
${field("rule-time", t(`${NS}:field_meetingTime`), html`<input type="time" id="rule-time" name="time" value="${val("time", r?.time ?? "19:30")}" required>`)}
${field("rule-place", t(`${NS}:field_place`), html`<input id="rule-place" name="place" maxlength="200" value="${val("place", current?.place ?? "")}">`)}
${choice("checkbox", "rule-shift", "shiftOffDays", "on", checked("shiftOffDays", current?.shiftOffDays ?? false), t(`${NS}:field_shiftOffDays`))}
<button type="submit" class="primary">${t(`${NS}:saveRule`)}</button>
</form>
</section>`;
}
