import { isDomainError } from "../../domain/errors.ts";
import { MAX_REASON_LENGTH } from "../../domain/postponement.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { isLeader, ledCells } from "../authorization.ts";
import type { Conversation } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseIndex } from "../payload.ts";

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
      try {
        const open = await deps.services.postponements.open({ cellId: ledCells(roles)[0]!, roles, now: deps.clock.now() });
        if (open.choices.length === 0) {
          await conversation.reply({ text: t("postpone:windowClosed", { when: formatMeetingTime(t, open.regularStart) }) });
          return;
        }
        await conversation.setFlow(FEATURE, "day", { cellId: open.cell.id, regularStart: open.regularStart.toISOString(), choices: open.choices.map((d) => d.toISOString()) });
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
    const regularStart = new Date(String(flow.data.regularStart));
    try {
      const moved = await deps.services.postponements.postpone({
        cellId: Number(flow.data.cellId), regularStart, newStart: new Date(String(flow.data.newStart)), reason,
        actor: { memberId: conversation.member!.id, roles: conversation.roles }, now: deps.clock.now(),
      });
      await conversation.endFlow();
      const { superior } = moved;
      const done = t("postpone:done", { from: formatMeetingTime(t, regularStart), to: formatMeetingTime(t, moved.newStart), reason: moved.reason });
      const told = moved.superiorTold > 0
        ? t("postpone:superiorInformed", { superior: superior!.name, count: moved.superiorTold })
        : t("postpone:superiorNotReachable", { superior: superior?.name ?? "—" });
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

async function askDay(conversation: Conversation, regularStart: Date, choices: Date[], maxDays: number, currentReason: string | null): Promise<void> {
  const { t } = conversation;
  const lines = [t("postpone:askDay", { when: formatMeetingTime(t, regularStart), max: maxDays })];
  if (currentReason) lines.push(t("postpone:alreadyMoved", { reason: currentReason }));
  await conversation.reply({
    text: lines.join("\n"),
    buttons: [...choices.map((d, i) => [{ label: formatMeetingTime(t, d), payload: `dl:day:${i}` }]), [{ label: t("feedbackChat:buttonCancel"), payload: "dl:cancel" }]],
  });
}
