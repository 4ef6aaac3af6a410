import { DomainError } from "./errors.ts";
import { formatIsoDate, parseIsoDate, type LocalDate } from "./localTime.ts";
import { cleanText } from "./text.ts";

export type ExemptionKind = "none" | "exempt" | "temporary";

export interface Exemption {
  exemption: ExemptionKind;
  exemptionReason: string | null;
  exemptionFrom: string | null;
  exemptionUntil: string | null;
}

export const NO_EXEMPTION: Exemption = { exemption: "none", exemptionReason: null, exemptionFrom: null, exemptionUntil: null };
const MAX_REASON_LENGTH = 500;

/**
 * Exemption (miễn) or temporary exemption (tạm miễn) from party work and activities: only for a
 * legitimate reason, so the reason is required; a temporary one has an end date.
 */
export function checkExemption(input: { kind: string; reason?: string; from?: string; until?: string }, today: LocalDate): Exemption {
  if (input.kind !== "exempt" && input.kind !== "temporary") throw new DomainError("member:invalidExemptionKind", { value: input.kind });
  const reason = cleanText(input.reason ?? "");
  if (!reason) throw new DomainError("member:exemptionReasonRequired");
  if (reason.length > MAX_REASON_LENGTH) throw new DomainError("member:exemptionReasonTooLong", { max: MAX_REASON_LENGTH });
  const from = input.from === undefined ? today : parseDay(input.from);
  const until = input.until === undefined ? null : parseDay(input.until);
  if (input.kind === "temporary" && !until) throw new DomainError("member:temporaryNeedsEnd");
  if (until && formatIsoDate(until) < formatIsoDate(from)) {
    throw new DomainError("member:exemptionEndsBeforeStart", { from: formatIsoDate(from), until: formatIsoDate(until) });
  }
  return { exemption: input.kind, exemptionReason: reason, exemptionFrom: formatIsoDate(from), exemptionUntil: until ? formatIsoDate(until) : null };
}

/** Whether the member is excused from activities on a given day. */
export function isExemptOn(member: Pick<Exemption, "exemptionFrom" | "exemptionUntil"> & { exemption: string }, day: LocalDate): boolean {
  if (member.exemption === "none") return false;
  const iso = formatIsoDate(day);
  return (!member.exemptionFrom || member.exemptionFrom <= iso) && (!member.exemptionUntil || iso <= member.exemptionUntil);
}

function parseDay(text: string): LocalDate {
  const day = parseIsoDate(text);
  if (!day) throw new DomainError("member:invalidDay", { value: text });
  return day;
}
