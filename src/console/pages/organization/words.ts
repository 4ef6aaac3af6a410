import type { TFunction } from "i18next";
import type { DomainError } from "../../../domain/errors.ts";
import type { OrgSummary } from "../../../services/organizationTree.ts";
import { html, type Html } from "../../html.ts";
import { formatDisplayDate, parseIsoDate, weekdayOf } from "../../../domain/localTime.ts";
import type { SettingSource } from "../../../domain/orgSettings.ts";
import type { MeetingRule } from "../../../domain/schedule.ts";

const NS = "consoleOrganization";

/** "Chi bộ (thôn, tổ dân phố)", "Đảng bộ cơ sở (xã)": the level, and what kind of unit or cell. */
export function kindLabel(t: TFunction, org: { level: string; cellKind: string | null; unitKind: string | null }): string {
  const level = t(`common:level_${org.level}`);
  const kind = org.cellKind ? t(`common:cellKind_${org.cellKind}`) : org.unitKind ? t(`common:unitKind_${org.unitKind}`) : null;
  return kind ? `${level} (${kind})` : level;
}

/** A cell's meeting rule in words, as the chat says it; "no rule yet" when there is none. */
export function ruleWords(t: TFunction, rule: { rule: MeetingRule; place: string | null; shiftOffDays: boolean } | null): string {
  if (!rule) return t(`${NS}:noRule`);
  const { rule: r, place } = rule;
  // The chat's words for a rule (meetingSetup namespace), so a secretary reads the same in both.
  const day = "dayOfMonth" in r
    ? t("meetingSetup:ruleDayOfMonth", { day: r.dayOfMonth })
    : t(r.nth === -1 ? "meetingSetup:ruleLastWeekday" : "meetingSetup:ruleNthWeekday",
      { ordinal: t(`meetingSetup:ordinal_${r.nth}`), weekday: t(`common:weekday_${r.weekday}`) });
  const words = t(place ? "meetingSetup:ruleWithPlace" : "meetingSetup:rule", { day, time: r.time, place });
  const sentence = rule.shiftOffDays ? `${words} ${t(`${NS}:shiftsOffDays`)}` : words;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Where a value in force comes from: set here, inherited from an organization above, or chibo's default. */
export function sourceWords(t: TFunction, source: SettingSource, orgId: number): string {
  if (!source) return t(`${NS}:sourceDefault`);
  return source.id === orgId ? t(`${NS}:sourceHere`) : t(`${NS}:sourceInherited`, { name: source.name });
}

/** "Thứ Sáu, 02/01/2026". */
export function dayWords(t: TFunction, iso: string): string {
  const date = parseIsoDate(iso);
  return date ? `${t(`common:weekday_${weekdayOf(date)}`)}, ${formatDisplayDate(date)}` : iso;
}

/**
 * A refusal in the viewer's language. Most domain sentences serve the console as they are; the
 * few written for the command line (naming its options or JSON) have a console wording here.
 */
export function refusal(t: TFunction, error: DomainError, labels: Record<string, string> = {}): string {
  const own = `${NS}:refusal_${error.code.replace(":", "_")}`;
  const params = { ...error.params, ...labels };
  const text = t(own, params);
  return text === own || text === own.slice(NS.length + 1) ? t(error.code, error.params) : text;
}

/** One organization in a list: its link, kind, code and counts, and a cell's rule. */
export function orgLine(t: TFunction, n: OrgSummary): Html {
  const counts = n.level === "cell"
    ? t(`${NS}:memberCount`, { count: n.members })
    : `${t(`${NS}:memberCount`, { count: n.members })}, ${t(`${NS}:cellCount`, { count: n.cells })}`;
  return html`<a href="/console/organization/${n.id}">${n.name}</a>
<span class="organization-meta">${kindLabel(t, n)} · ${t(`${NS}:code`)} <code>${n.code}</code> · ${counts}</span>
${n.level === "cell" ? html`<span class="organization-rule">${ruleWords(t, n.rule)}</span>` : ""}`;
}
