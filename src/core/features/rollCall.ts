import type { TFunction } from "i18next";
import type { Button } from "../../channels/types.ts";
import { isDomainError } from "../../domain/errors.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { rollCallClosesAt, rollCallPhase, ROLL_CALL_CORRECTION_DAYS } from "../../domain/attendance.ts";
import { formatDisplayDateTime } from "../../domain/localTime.ts";
import { startOf, type Roster } from "../../services/attendance.ts";
import { seesAnyAttendance, seesAttendanceOf } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseId } from "../payload.ts";
import { fitNames, textBudget } from "../textBudget.ts";

/** Members listed as buttons for recording on their behalf; a cell is ~27 members. */
const MAX_PROXY_BUTTONS = 40;

/**
 * /diemdanh: for the cell's secretary, deputy and committee members — who answered present,
 * absent (with reasons) or not yet; and recording an answer for a member who has no phone
 * (buttons "dd:<meeting>:<member>[:p|a]"). Before a meeting it is the next one; for a week after
 * it, the one just held, where any member's attendance can be recorded or corrected (who came
 * without answering, who stayed away after saying yes) until the roll call is final.
 */
export const rollCallFeature: Feature = {
  name: "rollCall",
  commands: ["diemdanh"],
  buttonPrefix: "dd",
  allowed: (roles) => seesAnyAttendance(roles),
  async handle(deps, conversation, input) {
    const { t, member, roles } = conversation;
    const actor = { memberId: member!.id, roles };
    try {
      if (input.command) {
        const cellId = roles.find((r) => seesAttendanceOf(roles, r.organizationId))?.organizationId ?? member!.cellId;
        const { cell, ahead } = await deps.services.rollCalls.current({ cellId, roles, now: deps.clock.now() });
        if (!ahead) {
          await conversation.reply({ text: t("chat:noMeetingRule", { cell: cell.name }) });
          return;
        }
        return await showRoster(deps, conversation, ahead.meeting.id);
      }
      const pressed = decodeRollCallButton(input.payload);
      if (!pressed) {
        await conversation.reply({ text: t("chat:staleButton") });
        return;
      }
      const { meetingId } = pressed;
      // The button names a meeting: it must be of a cell this person looks after.
      const meeting = await deps.services.rollCalls.meeting({ meetingId, roles });
      if (pressed.kind !== "member") return await (pressed.kind === "list" ? offerProxy(deps, conversation, meetingId) : showRoster(deps, conversation, meetingId));
      const { memberId, choice } = pressed;
      const after = rollCallPhase(startOf(meeting), deps.clock.now()) !== "before";
      if (!choice) return await askChoice(deps, conversation, meetingId, memberId, after);
      const { member: subject } = await deps.services.rollCalls.record({ meetingId, memberId, answer: choice === "p" ? "present" : "absent", actor, now: deps.clock.now() });
      const key = choice === "p" ? "rollCall:recordedPresent" : "rollCall:recordedAbsent";
      await conversation.reply({ text: t(after ? `${key}After` : key, { name: subject.fullName }) });
      await showRoster(deps, conversation, meetingId);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },
};

type RollCallButton =
  | { meetingId: number; kind: "list" | "show" }
  | { meetingId: number; kind: "member"; memberId: number; choice?: "p" | "a" };

/** `<meetingId>:list`, `<meetingId>:show`, `<meetingId>:<memberId>` or `<meetingId>:<memberId>:p|a`; null when malformed. */
function decodeRollCallButton(payload: string | undefined): RollCallButton | null {
  const [meetingPart, memberPart, choice, ...extra] = (payload ?? "").split(":");
  const meetingId = parseId(meetingPart);
  if (meetingId === null || extra.length) return null;
  if ((memberPart === "list" || memberPart === "show") && choice === undefined) return { meetingId, kind: memberPart };
  const memberId = parseId(memberPart);
  if (memberId === null || (choice !== undefined && choice !== "p" && choice !== "a")) return null;
  return { meetingId, kind: "member", memberId, choice };
}

async function showRoster(deps: CoreDeps, conversation: Conversation, meetingId: number): Promise<void> {
  const { t } = conversation;
  const roster = await deps.services.rollCalls.roster({ meetingId, actor: { memberId: conversation.member!.id, roles: conversation.roles }, now: deps.clock.now() });
  const phase = rollCallPhase(roster.startsAt, deps.clock.now());
  const budget = textBudget(conversation.message.channel);
  const withNote = (note: string) => `${formatRoster(t, roster, budget - note.length - 2)}\n\n${note}`;
  if (phase === "closed") {
    await conversation.reply({ text: withNote(t("rollCall:closed")) });
    return;
  }
  if (phase === "correcting") {
    const until = formatDisplayDateTime(rollCallClosesAt(roster.startsAt));
    await conversation.reply({ text: withNote(t("rollCall:heldAfter", { until })), buttons: correctButtons(t, meetingId) });
    return;
  }
  await conversation.reply({ text: formatRoster(t, roster, budget), buttons: [[{ label: t("rollCall:buttonProxy"), payload: `dd:${meetingId}:list` }]] });
}

/** The button that opens the correction of a held meeting's roll call (also under the after-meeting summary). */
export function correctButtons(t: TFunction, meetingId: number): Button[][] {
  return [[{ label: t("rollCall:buttonCorrect"), payload: `dd:${meetingId}:list` }]];
}

/**
 * The roll call in one message of at most `budget` characters (the strictest channel's by default).
 * Every count is always there; when a cell of hundreds does not fit, each list shows its first
 * names and how many more there are.
 */
export function formatRoster(t: TFunction, roster: Roster, budget = textBudget("")): string {
  const longest = Math.max(roster.present.length, roster.absent.length, roster.pending.length, roster.exempt.length);
  return fitNames(budget, longest, (shown) => rosterText(t, roster, shown));
}

/** The roll call with at most `shown` names (or absence lines) in each list. */
function rosterText(t: TFunction, roster: Roster, shown: number): string {
  const more = (list: unknown[]) => (list.length > shown ? [t("rollCall:more", { count: list.length - shown })] : []);
  const names = (list: { fullName: string }[]) => [...list.slice(0, shown).map((m) => m.fullName), ...more(list)].join(", ") || "—";
  const lines = [
    t("rollCall:title", { cell: roster.cell.name, when: formatMeetingTime(t, roster.startsAt) }),
    t("rollCall:present", { count: roster.present.length, names: names(roster.present.map((p) => p.member)) }),
    t("rollCall:absent", { count: roster.absent.length }),
    ...roster.absent.slice(0, shown).map((a) => `  • ${a.member.fullName}${a.reason ? ` — ${a.reason}` : ` — ${t("rollCall:noReason")}`}`),
    ...more(roster.absent).map((line) => `  • ${line}`),
    t("rollCall:pending", { count: roster.pending.length, names: names(roster.pending) }),
  ];
  if (roster.exempt.length) lines.push(t("rollCall:exempt", { count: roster.exempt.length, names: names(roster.exempt) }));
  return lines.join("\n");
}

/**
 * Before the meeting: the members who have not answered, as buttons, those without a chat first
 * (they cannot answer). After it: every member expected, each with what is recorded, those not
 * known first.
 */
async function offerProxy(deps: CoreDeps, conversation: Conversation, meetingId: number): Promise<void> {
  const { t } = conversation;
  const actor = { memberId: conversation.member!.id, roles: conversation.roles };
  const { roster, phase, withChat, withoutPhone } = await deps.services.rollCalls.proxyChoices({ meetingId, actor, now: deps.clock.now() });
  if (phase === "closed") {
    await conversation.reply({ text: t("meeting:rollCallClosed", { days: String(ROLL_CALL_CORRECTION_DAYS) }) });
    return;
  }
  if (phase === "correcting") {
    // An officer's own attendance is another officer's to record after the start.
    const marked = [
      ...roster.pending.map((m) => ({ member: m, mark: t("rollCall:markPending") })),
      ...roster.absent.map((a) => ({ member: a.member, mark: t("rollCall:markAbsent") })),
      ...roster.present.map((p) => ({ member: p.member, mark: t("rollCall:markPresent") })),
    ].filter(({ member }) => member.id !== conversation.member?.id);
    const buttons = marked.slice(0, MAX_PROXY_BUTTONS).map(({ member, mark }) => [{ label: `${member.fullName} (${mark})`, payload: `dd:${meetingId}:${member.id}` }]);
    await conversation.reply({ text: t("rollCall:chooseMemberAfter"), buttons });
    return;
  }
  const ordered = [...roster.pending].sort((a, b) => Number(withChat.has(a.id)) - Number(withChat.has(b.id)));
  if (ordered.length === 0) {
    await conversation.reply({ text: t("rollCall:nobodyPending") });
    return;
  }
  // Without a chat: no phone at all, or a phone that was never linked (a call reaches them).
  const shown = ordered.slice(0, MAX_PROXY_BUTTONS);
  const unlinked = shown.filter((m) => !withChat.has(m.id)).map((m) => m.id);
  const noPhone = new Set(unlinked.filter((id) => withoutPhone.has(id)));
  const mark = (id: number) => (withChat.has(id) ? "" : noPhone.has(id) ? t("rollCall:noChatMark") : t("rollCall:notLinkedMark"));
  const byMark = (id: number) => (withChat.has(id) ? 2 : noPhone.has(id) ? 0 : 1);
  const buttons = [...shown].sort((a, b) => byMark(a.id) - byMark(b.id))
    .map((m) => [{ label: mark(m.id) ? `${m.fullName} ${mark(m.id)}` : m.fullName, payload: `dd:${meetingId}:${m.id}` }]);
  const legend = [
    ...(noPhone.size ? [t("rollCall:legendNoPhone")] : []),
    ...(unlinked.length > noPhone.size ? [t("rollCall:legendNotLinked")] : []),
  ];
  await conversation.reply({ text: legend.length ? `${t("rollCall:chooseMember")} (${legend.join("; ")})` : t("rollCall:chooseMember"), buttons });
}

async function askChoice(deps: CoreDeps, conversation: Conversation, meetingId: number, memberId: number, after: boolean): Promise<void> {
  const { t, roles } = conversation;
  const { member: subject } = await deps.services.rollCalls.subject({ meetingId, memberId, roles });
  await conversation.reply({
    text: t(after ? "rollCall:askChoiceAfter" : "rollCall:askChoice", { name: subject.fullName }),
    buttons: [[{ label: t("attendance:buttonPresent"), payload: `dd:${meetingId}:${memberId}:p` }, { label: t("attendance:buttonAbsent"), payload: `dd:${meetingId}:${memberId}:a` }]],
  });
}
