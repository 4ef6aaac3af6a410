import type { OutboundMessage } from "../../channels/types.ts";
import { parseAttendanceReply } from "../../domain/attendance.ts";
import { readReasonReply } from "../../domain/attendanceReason.ts";
import { isDomainError } from "../../domain/errors.ts";
import { cleanText } from "../../domain/text.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { REASON_MAX_LENGTH, type RecordedAnswer } from "../../services/attendance.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseId, payloadParts } from "../payload.ts";
import { attendanceQuestion, changeQuestion, reasonButtons } from "./attendanceMessages.ts";

/** Free text counts as an answer only while a meeting is this close: otherwise it is just chat. */
const ANSWER_WINDOW_DAYS = 10;
const FEATURE = "attendance";

const CHOICES = ["p", "a", "n", "k"] as const;

/** `<meetingId>:p|a|n|k` (present, absent, no reason to give, keep "absent"), or null when malformed. */
function decodeAnswerButton(payload: string | undefined): { meetingId: number; choice: (typeof CHOICES)[number] } | null {
  const [id, choice] = payloadParts(payload, 2) ?? [];
  const meetingId = parseId(id);
  const known = CHOICES.find((c) => c === choice);
  return meetingId !== null && known ? { meetingId, choice: known } : null;
}

/**
 * Answers to "will you attend?": the buttons under a reminder (in a private chat or the cell's
 * group) or free text read by parseAttendanceReply. "Vắng" asks for the reason in private.
 */
export const attendanceFeature: Feature = {
  name: FEATURE,
  buttonPrefix: "att",
  inGroups: true,
  async handle(deps, conversation, input) {
    const pressed = decodeAnswerButton(input.payload);
    if (!pressed) {
      await conversation.reply({ text: conversation.t("chat:staleButton") });
      return;
    }
    const { meetingId, choice } = pressed;
    if (choice === "n") {
      await conversation.endFlow();
      await conversation.reply({ text: conversation.t("attendance:noReasonNoted") });
      return;
    }
    if (choice === "k") return keepAbsent(conversation, meetingId);
    await answer(deps, conversation, meetingId, choice === "p" ? "present" : "absent", undefined, "button");
  },

  async continueFlow(deps, conversation, flow, input) {
    const { t } = conversation;
    const meetingId = Number(flow.data.meetingId);
    const text = cleanText(input.text ?? "");
    if (flow.step === "change") return onChangeReply(deps, conversation, meetingId, input.contentKind === "text" ? text : "");
    if (input.contentKind !== "text" || !text) {
      await conversation.reply({ text: t("attendance:reasonAsText"), buttons: reasonButtons(t, meetingId) });
      return;
    }
    if ([...text].length > REASON_MAX_LENGTH) {
      await conversation.reply({ text: t("attendance:reasonTooLong", { max: REASON_MAX_LENGTH }), buttons: reasonButtons(t, meetingId) });
      return;
    }
    // Here words are the reason: only a clear change of mind may change the answer, once confirmed.
    const reply = readReasonReply(text);
    if (reply.kind === "changeToPresent") {
      await conversation.setFlow(FEATURE, "change", { meetingId });
      await conversation.reply(changeQuestion(t, meetingId));
    } else if (reply.kind === "unclear") {
      await conversation.reply({ text: t("attendance:reasonAgain"), buttons: reasonButtons(t, meetingId) });
    } else if (reply.kind === "noReason") {
      await conversation.endFlow();
      await conversation.reply({ text: t("attendance:noReasonNoted") });
    } else {
      await noteReason(deps, conversation, meetingId, reply.reason);
    }
  },

  async reprompt(_deps, conversation, flow) {
    const meetingId = Number(flow.data.meetingId);
    if (flow.step === "change") return conversation.reply(changeQuestion(conversation.t, meetingId));
    await conversation.reply({ text: conversation.t("attendance:askReason"), buttons: reasonButtons(conversation.t, meetingId) });
  },

  async readFreeText(deps, conversation, text) {
    const { member, message } = conversation;
    const now = deps.clock.now();
    // In a group, only the group of the member's own cell: another cell's meeting is not theirs.
    if (message.chat.kind === "group" && (await deps.services.groupChats.cellOf({ channel: message.channel, externalChatId: message.chat.id })) !== member!.cellId) return false;
    const { ahead } = await deps.services.attendance.nextMeetingOfCell(member!.cellId, now);
    if (!ahead || ahead.startsAt.getTime() - now.getTime() > ANSWER_WINDOW_DAYS * 86_400_000) return false;
    const parsed = parseAttendanceReply(text);
    if (parsed.answer === "unknown") {
      // In a group, words that are not an answer are the members' own conversation.
      if (conversation.message.chat.kind === "group") return false;
      await conversation.reply({ ...attendanceQuestion(conversation.t, ahead.meeting.id, ahead.startsAt), text: conversation.t("attendance:notUnderstood", { when: formatMeetingTime(conversation.t, ahead.startsAt) }) });
      return true;
    }
    await answer(deps, conversation, ahead.meeting.id, parsed.answer, parsed.reason, "text");
    return true;
  },
};

/** The answer to "đổi thành có mặt?" typed rather than pressed: yes, no (perhaps with the reason), or asked again. */
async function onChangeReply(deps: CoreDeps, conversation: Conversation, meetingId: number, text: string): Promise<void> {
  const parsed = parseAttendanceReply(text);
  if (parsed.answer === "unknown") {
    await conversation.reply(changeQuestion(conversation.t, meetingId));
  } else if (parsed.answer === "present") {
    await conversation.endFlow();
    await answer(deps, conversation, meetingId, "present", undefined, "text");
  } else if (parsed.reason) {
    await noteReason(deps, conversation, meetingId, parsed.reason);
  } else {
    await keepAbsent(conversation, meetingId);
  }
}

/** "Không, vẫn vắng": nothing changes, and the reason is asked again. */
async function keepAbsent(conversation: Conversation, meetingId: number): Promise<void> {
  const { t } = conversation;
  const flow = conversation.flow;
  if (flow?.feature !== FEATURE || flow.step !== "change" || Number(flow.data.meetingId) !== meetingId) {
    await conversation.reply({ text: t("chat:staleButton") });
    return;
  }
  await conversation.setFlow(FEATURE, "reason", { meetingId });
  await conversation.reply({ text: `${t("attendance:keptAbsent")}\n${t("attendance:askReason")}`, buttons: reasonButtons(t, meetingId) });
}

async function noteReason(deps: CoreDeps, conversation: Conversation, meetingId: number, reason: string): Promise<void> {
  const { t } = conversation;
  try {
    await deps.services.attendance.setReason({ meetingId, memberId: conversation.member!.id, reason, now: deps.clock.now() });
    await conversation.endFlow();
    await conversation.reply({ text: t("attendance:reasonNoted", { reason }) });
  } catch (error) {
    await conversation.endFlow();
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}

async function answer(deps: CoreDeps, conversation: Conversation, meetingId: number, choice: RecordedAnswer, reason: string | undefined, source: "button" | "text"): Promise<void> {
  const { t, member, message } = conversation;
  if (!member) {
    await conversation.reply({ text: t("chat:needInvite") });
    return;
  }
  const inGroup = message.chat.kind === "group";
  try {
    const { startsAt } = await deps.services.attendance.record({ meetingId, memberId: member.id, answer: choice, reason, source, now: deps.clock.now() });
    const when = formatMeetingTime(t, startsAt);
    if (inGroup) {
      // The group sees that a comrade answered, never a reason: that goes to the private chat.
      await conversation.reply({ text: t(choice === "present" ? "attendance:groupPresent" : "attendance:groupAbsent", { name: member.fullName }), replyToMessageId: message.messageId });
    }
    const confirm = choice === "present" ? t("attendance:presentNoted", { when }) : reason ? t("attendance:absentNotedWithReason", { when, reason }) : t("attendance:absentNoted", { when });
    const privately = inGroup ? conversation.replyPrivately : async (m: OutboundMessage) => (await conversation.reply(m), true);
    if (choice === "absent" && !reason) {
      const asked = await privately({ text: `${confirm}\n${t("attendance:askReason")}`, buttons: reasonButtons(t, meetingId) });
      if (asked) await conversation.setFlow(FEATURE, "reason", { meetingId });
      return;
    }
    if (conversation.flow?.feature === FEATURE) await conversation.endFlow();
    if (!inGroup) await conversation.reply({ text: confirm });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
