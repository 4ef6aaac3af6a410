import type { TFunction } from "i18next";
import { formatDisplayDate, formatDisplayDateTime, localDateOf, parseIsoDate } from "../../domain/localTime.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { addresseeLabel } from "../../services/addresseeLabel.ts";
import type { MemberDataExport } from "../../services/memberData.ts";

/** A notice is the organization's text, not the member's: enough of it to know which one it was. */
const NOTICE_EXCERPT_CHARS = 120;

/** The counts the chat message gives before the full copy. */
export function exportSummary(t: TFunction, data: MemberDataExport): string {
  return t("myData:summary", {
    name: data.member.fullName, roles: data.roles.length, chats: data.chats.length,
    answers: data.attendance.length, feedback: data.feedback.length, notices: data.notices.length,
  });
}

/** An ASCII file name every client keeps: the member's number and the day it was made. */
export function exportFileName(data: MemberDataExport): string {
  const day = localDateOf(data.generatedAt);
  return `du-lieu-chibo-${data.member.id}-${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}.txt`;
}

/**
 * The member's data as plain lines in their language: readable on any phone as a .txt file, and
 * the same lines go as messages where a channel takes no file (`forFile` false: the messages end
 * with the erase button, not with how to find it). Nothing is left out or cut.
 */
export function exportLines(t: TFunction, data: MemberDataExport, forFile: boolean): string[] {
  const w = words(t);
  const section = (title: string, rows: string[]) => ["", title, ...(rows.length ? rows : [t("myData:noRows")])];
  const acknowledged = data.notices.filter((n) => n.acknowledgedAt).length;
  return [
    t("myData:title", { name: data.member.fullName }),
    t("myData:generatedAt", { at: w.at(data.generatedAt) }),
    ...section(t("myData:sectionRecord"), recordLines(t, data)),
    ...section(t("myData:sectionRoles"), data.roles.map((r) => t("myData:roleLine", { role: t(`common:role_${r.role}`), organization: r.organization }))),
    ...section(t("myData:sectionChats"), chatLines(t, data)),
    ...section(t("myData:sectionConsent"), [data.consent.at
      ? t("myData:consentGiven", { at: w.at(data.consent.at), version: data.consent.version ?? t("myData:none") })
      : t("myData:consentNone")]),
    ...section(t("myData:sectionAttendance", { count: data.attendance.length }), data.attendance.map((a) => attendanceLine(t, a))),
    ...section(t("myData:sectionFeedback", { count: data.feedback.length }), data.feedback.flatMap((f) => feedbackLines(t, f, data.unitKind))),
    ...section(t("myData:sectionNotices", { count: data.notices.length, acknowledged }), data.notices.map((n) => noticeLine(t, n))),
    ...section(t("myData:sectionAudit"), auditLines(t, data)),
    "",
    t("myData:footer"),
    ...(forFile ? [t("myData:footerErase")] : []),
  ];
}

type Data = MemberDataExport;

/** An instant, or "no"; a calendar day "YYYY-MM-DD" as the reader writes it, or "(none)". */
function words(t: TFunction) {
  return {
    at: (instant: Date | null) => (instant ? formatDisplayDateTime(instant) : t("myData:notYet")),
    day: (iso: string | null) => {
      const parsed = iso ? parseIsoDate(iso) : null;
      return parsed ? formatDisplayDate(parsed) : iso ?? t("myData:none");
    },
  };
}

function recordLines(t: TFunction, data: Data): string[] {
  const { member } = data;
  const { at, day } = words(t);
  const above = data.organizations.slice(0, -1).reverse().join(", ");
  const exemption = member.exemption === "none" ? [] : [t("myData:fieldExemptionDetail", {
    from: day(member.exemptionFrom), until: day(member.exemptionUntil), reason: member.exemptionReason ?? t("myData:none"),
  })];
  return [
    t("myData:fieldName", { value: member.fullName }),
    t("myData:fieldId", { value: member.id }),
    t("myData:fieldPhone", { value: member.phone ?? t("myData:none") }),
    t("myData:fieldBirthDate", { value: day(member.birthDate) }),
    t("myData:fieldStatus", { value: t(`common:status_${member.status}`) }),
    t("myData:fieldAdmittedOn", { value: day(member.admittedOn) }),
    t("myData:fieldFullMembershipOn", { value: day(member.fullMembershipOn) }),
    t("myData:fieldExemption", { value: t(`common:exemption_${member.exemption}`) }),
    ...exemption,
    t("myData:fieldLanguage", { value: t(`myData:language_${member.language}`, { defaultValue: member.language }) }),
    t("myData:fieldCell", { value: data.organizations.at(-1) ?? "" }),
    ...(above ? [t("myData:fieldAbove", { value: above })] : []),
    t("myData:fieldCreatedAt", { value: at(member.createdAt) }),
    t("myData:fieldEraseRequested", { value: at(member.eraseRequestedAt) }),
  ];
}

/** The apps by name and when, never the platform's ids of the person or chat. */
function chatLines(t: TFunction, data: Data): string[] {
  const { at } = words(t);
  return [
    ...data.chats.map((c) => {
      const channel = t(`myData:channel_${c.channel}`, { defaultValue: c.channel });
      return t("myData:chatLine", { channel, linkedAt: at(c.linkedAt), lastSeen: at(c.lastSeenAt) }) + (c.reachable ? "" : t("myData:chatUnreachable"));
    }),
    t("myData:inviteCodes", data.inviteCodes),
  ];
}

function attendanceLine(t: TFunction, a: Data["attendance"][number]): string {
  const answer = t(`myData:answer_${a.answer}`, { defaultValue: a.answer });
  return t("myData:attendanceLine", { when: formatMeetingTime(t, a.startsAt), cell: a.cell, answer })
    + (a.reason ? t("myData:attendanceReason", { reason: a.reason }) : "")
    + (a.source === "secretary" ? t("myData:attendanceByOfficer") : "");
}

function feedbackLines(t: TFunction, f: Data["feedback"][number], unitKind: string | null): string[] {
  const { at } = words(t);
  const head = t("myData:feedbackLine", {
    reference: f.reference, date: at(f.createdAt), category: t(`feedback:category_${f.category}`), addressee: addresseeLabel(t, f, unitKind),
    status: t(`feedback:status_${f.status}`), signed: t(f.anonymous ? "myData:anonymous" : "myData:signed"),
  });
  return [
    head + (f.hasPhoto ? t("myData:withPhoto") : ""),
    t("myData:feedbackText", { text: f.text }),
    ...(f.answer ? [t("myData:feedbackAnswer", { date: at(f.answeredAt), answer: f.answer })] : []),
  ];
}

function noticeLine(t: TFunction, n: Data["notices"][number]): string {
  const { at } = words(t);
  const ack = n.acknowledgedAt ? t("myData:noticeAcknowledged", { at: at(n.acknowledgedAt) }) : t("myData:noticeNotAcknowledged");
  return t("myData:noticeLine", { date: at(n.at), organization: n.organization, excerpt: excerpt(n.text), ack }) + (n.reachedByChat ? "" : t("myData:noticeNoChat"));
}

function auditLines(t: TFunction, data: Data): string[] {
  const about = Object.entries(data.audit.aboutThem);
  const total = about.reduce((sum, [, count]) => sum + (count ?? 0), 0);
  const byAction = about.map(([action, count]) => `${t(`myData:action_${action}`, { defaultValue: action })} ${count}`).join(", ");
  return [
    t("myData:auditAbout", { total, detail: about.length ? ` (${byAction})` : "" }),
    t("myData:auditBy", { count: data.audit.byThem }),
    t("myData:messagesKept", { count: data.messagesWithText }),
  ];
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > NOTICE_EXCERPT_CHARS ? `${chars.slice(0, NOTICE_EXCERPT_CHARS).join("")}…` : flat;
}

/**
 * Lines packed into messages of at most `budget` characters, in order, a line never split unless
 * it is longer than a whole message by itself (a long feedback text), which is then cut into
 * pieces at character boundaries.
 */
export function packLines(lines: string[], budget: number): string[] {
  const parts: string[] = [];
  let current = "";
  const push = (piece: string) => {
    const joined = current === "" ? piece : `${current}\n${piece}`;
    if (joined.length <= budget) {
      current = joined;
      return;
    }
    if (current !== "") parts.push(current);
    current = piece;
  };
  for (const line of lines) {
    for (const piece of piecesOf(line, budget)) push(piece);
  }
  if (current.trim() !== "") parts.push(current);
  // A part that begins where a section's blank line fell starts with the heading instead.
  return parts.map((part) => part.replace(/^\n+/, "")).filter((part) => part !== "");
}

function piecesOf(line: string, budget: number): string[] {
  if (line.length <= budget) return [line];
  const pieces: string[] = [];
  let piece = "";
  for (const char of line) {
    if (piece.length + char.length > budget) {
      pieces.push(piece);
      piece = "";
    }
    piece += char;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
