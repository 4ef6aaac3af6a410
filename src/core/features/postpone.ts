import { isDomainError } from "../../domain/errors.ts";
import { formatIsoDate, localDateOf } from "../../domain/localTime.ts";
import { MAX_REASON_LENGTH } from "../../domain/postponement.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { isLanguage } from "../../i18n.ts";
import { isLeader, ledCells } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseIndex } from "../payload.ts";
import { chatsOfMembers, groupsOfCells, officersOf } from "../../services/recipients.ts";
import { attendanceButtons } from "./attendanceMessages.ts";

const FEATURE = "postpone";

/**
 * /doilich: the secretary moves the cell's meeting later, within the limit that applies to it, with a
 * reason. The superior committee is told at once, and so are the cell's members and group.
 */
export const postponeFeature: Feature = {
  name: FEATURE,
  commands: ["doilich"],
  buttonPrefix: "dl",
  allowed: (roles) => isLeader(roles),
  opensFlow: true,
  async handle(deps, conversation, input) {
    const { t, roles } = conversation;
    if (input.command) {
      const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: ledCells(roles)[0]! } });
      try {
        const open = await deps.services.meetings.postponable(cell.code, deps.clock.now());
        if (open.choices.length === 0) {
          await conversation.reply({ text: t("postpone:windowClosed", { when: formatMeetingTime(t, open.regularStart) }) });
          return;
        }
        await conversation.setFlow(FEATURE, "day", { cellId: cell.id, regularStart: open.regularStart.toISOString(), choices: open.choices.map((d) => d.toISOString()) });
        await askDay(conversation, open.regularStart, open.choices, open.maxPostponeDays, open.reason);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        await conversation.reply({ text: t(error.code, error.params) });
      }
      return;
    }
    const flow = conversation.flow?.feature === FEATURE ? conversation.flow : null;
    const [kind, value, ...extra] = (input.payload ?? "").split(":");
    if (!flow || extra.length) {
      await conversation.reply({ text: t("chat:staleButton") });
      return;
    }
    if (kind === "cancel" && value === undefined) {
      await conversation.endFlow();
      await conversation.reply({ text: t("chat:flowCancelled", { what: t("chat:flow_postpone") }) });
      return;
    }
    const choices = (flow.data.choices as string[]).map((d) => new Date(d));
    const index = kind === "day" && flow.step === "day" ? parseIndex(value) : null;
    const chosen = index === null ? undefined : choices[index];
    if (!chosen) {
      await conversation.reply({ text: t("chat:staleButton") });
      return;
    }
    await conversation.setFlow(FEATURE, "reason", { ...flow.data, newStart: chosen.toISOString() });
    await conversation.reply({ text: t("postpone:askReason", { when: formatMeetingTime(t, chosen) }), buttons: [[{ label: t("feedbackChat:buttonCancel"), payload: "dl:cancel" }]] });
  },

  async continueFlow(deps, conversation, flow, input) {
    const { t } = conversation;
    if (flow.step !== "reason") {
      await conversation.reply({ text: t("feedbackChat:useButtons") });
      return;
    }
    const reason = input.contentKind === "text" ? input.text?.trim() ?? "" : "";
    if (!reason || [...reason].length > MAX_REASON_LENGTH) {
      await conversation.reply({ text: t(reason ? "postpone:reasonTooLong" : "postpone:reasonAsText", { max: MAX_REASON_LENGTH }) });
      return;
    }
    const cell = await deps.db.organization.findUniqueOrThrow({ where: { id: Number(flow.data.cellId) } });
    const regularStart = new Date(String(flow.data.regularStart));
    try {
      const now = deps.clock.now();
      const { meeting, superior } = await deps.services.meetings.postpone({
        cellCode: cell.code, regularDate: isoDay(regularStart), newStart: new Date(String(flow.data.newStart)), reason, now, actorId: conversation.member!.id,
      });
      await conversation.endFlow();
      const informed = superior ? await informSuperior(deps, conversation, { cellName: cell.name, superiorId: superior.id, meetingId: meeting.id, regularStart, newStart: meeting.postponedTo!, reason: meeting.postponeReason! }) : 0;
      await informCell(deps, conversation, { cellId: cell.id, meetingId: meeting.id, regularStart, newStart: meeting.postponedTo!, reason: meeting.postponeReason! });
      const done = t("postpone:done", { from: formatMeetingTime(t, regularStart), to: formatMeetingTime(t, meeting.postponedTo!), reason: meeting.postponeReason });
      const told = informed > 0 ? t("postpone:superiorInformed", { superior: superior!.name, count: informed }) : t("postpone:superiorNotReachable", { superior: superior?.name ?? "—" });
      await conversation.reply({ text: `${done}\n${told}` });
    } catch (error) {
      await conversation.endFlow();
      if (!isDomainError(error)) throw error;
      await conversation.reply({ text: t(error.code, error.params) });
    }
  },

  async reprompt(deps, conversation, flow) {
    if (flow.step === "reason") {
      await conversation.reply({ text: conversation.t("postpone:askReason", { when: formatMeetingTime(conversation.t, new Date(String(flow.data.newStart))) }) });
      return;
    }
    const policyMax = (flow.data.choices as string[]).length;
    await askDay(conversation, new Date(String(flow.data.regularStart)), (flow.data.choices as string[]).map((d) => new Date(d)), policyMax, null);
  },
};

const isoDay = (at: Date) => formatIsoDate(localDateOf(at));

async function askDay(conversation: Conversation, regularStart: Date, choices: Date[], maxDays: number, currentReason: string | null): Promise<void> {
  const { t } = conversation;
  const lines = [t("postpone:askDay", { when: formatMeetingTime(t, regularStart), max: maxDays })];
  if (currentReason) lines.push(t("postpone:alreadyMoved", { reason: currentReason }));
  await conversation.reply({
    text: lines.join("\n"),
    buttons: [...choices.map((d, i) => [{ label: formatMeetingTime(t, d), payload: `dl:day:${i}` }]), [{ label: t("feedbackChat:buttonCancel"), payload: "dl:cancel" }]],
  });
}

interface Moved {
  meetingId: number;
  regularStart: Date;
  newStart: Date;
  reason: string;
}

/**
 * Tells the officers of the committee directly above; returns how many chats were queued. Not
 * urgent: they do not attend the cell's meeting, so at night it waits for the morning.
 */
async function informSuperior(deps: CoreDeps, conversation: Conversation, moved: Moved & { cellName: string; superiorId: number }): Promise<number> {
  const chats = await chatsOfMembers(deps.db, await officersOf(deps.db, moved.superiorId));
  const secretary = conversation.member!.fullName;
  await deps.outbox.enqueue(chats.map((chat) => {
    const t = deps.translator.t(isLanguage(chat.language) ? chat.language : "vi");
    return {
      dedupeKey: `postponed-superior:${moved.meetingId}:${moved.newStart.getTime()}:${chat.channel}:${chat.chatId}`,
      channel: chat.channel,
      chatId: chat.chatId,
      memberId: chat.memberId,
      message: { text: t("postpone:superiorMessage", { cell: moved.cellName, from: formatMeetingTime(t, moved.regularStart), to: formatMeetingTime(t, moved.newStart), reason: moved.reason, secretary }) },
    };
  }));
  if (chats.length > 0) await deps.db.meeting.update({ where: { id: moved.meetingId }, data: { superiorInformedAt: deps.clock.now() } });
  return chats.length;
}

/** Tells the cell's members (with the answer buttons) and posts it in the cell's group. */
async function informCell(deps: CoreDeps, conversation: Conversation, moved: Moved & { cellId: number }): Promise<void> {
  const chats = await chatsOfMembers(deps.db, { cellId: moved.cellId, id: { not: conversation.member!.id } });
  const groups = await groupsOfCells(deps.db, [moved.cellId]);
  const text = (language: string) => {
    const t = deps.translator.t(isLanguage(language) ? language : "vi");
    return { t, text: t("postpone:memberMessage", { from: formatMeetingTime(t, moved.regularStart), to: formatMeetingTime(t, moved.newStart), reason: moved.reason }) };
  };
  const key = `postponed:${moved.meetingId}:${moved.newStart.getTime()}`;
  // Their meeting is on another day: members hear it at once, even at night.
  const urgent = true;
  await deps.outbox.enqueue([
    ...chats.map((chat) => {
      const { t, text: body } = text(chat.language);
      return { dedupeKey: `${key}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId, message: { text: body, buttons: attendanceButtons(t, moved.meetingId), urgent } };
    }),
    ...groups.map((group) => {
      const { t, text: body } = text(deps.defaultLanguage);
      return { dedupeKey: `${key}:group:${group.channel}:${group.externalChatId}`, channel: group.channel, chatId: group.externalChatId, isGroup: true, message: { text: body, buttons: attendanceButtons(t, moved.meetingId), urgent } };
    }),
  ]);
}
