import { isDomainError } from "../../domain/errors.ts";
import { cleanFeedbackText } from "../../domain/feedback.ts";
import { MAX_NOTICE_LENGTH, noticeText, type NoticeRecipient } from "../../services/notices.ts";
import { isLeader, isReviewer } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseId } from "../payload.ts";
import { fitNames, textBudget } from "../textBudget.ts";

const FEATURE = "notice";

/**
 * /thongbao: a secretary broadcasts a notice to the cell, a committee to every cell below it.
 * Preview, confirm, then a delivery report (sent, failed, unreachable, not linked) and who
 * pressed "Đã nhận". Linked group chats of those cells get it too (without the button).
 */
export const noticeFeature: Feature = {
  name: FEATURE,
  commands: ["thongbao"],
  buttonPrefix: "tb",
  allowed: (roles) => isLeader(roles) || isReviewer(roles),
  opensFlow: true,
  async handle(deps, conversation, input) {
    const { t } = conversation;
    if (input.command) {
      const scopes = await deps.services.notices.scopes(conversation.roles);
      const text = cleanFeedbackText(input.args ?? "");
      if (scopes.length > 1) {
        await conversation.setFlow(FEATURE, "scope", text ? { text } : {});
        await conversation.reply({ text: t("notice:chooseScope"), buttons: [...scopes.map((org) => [{ label: org.name, payload: `tb:scope:${org.id}` }]), cancelRow(conversation)] });
        return;
      }
      return chooseScope(deps, conversation, scopes[0]!, text);
    }
    const pressed = decodeNoticeButton(input.payload);
    if (pressed?.kind === "report") return report(deps, conversation, pressed.noticeId);
    const flow = conversation.flow?.feature === FEATURE ? conversation.flow : null;
    if (!pressed || !flow) {
      await conversation.reply({ text: t("chat:staleButton") });
      return;
    }
    if (pressed.kind === "cancel") {
      await conversation.endFlow();
      await conversation.reply({ text: t("chat:flowCancelled", { what: t("chat:flow_notice") }) });
      return;
    }
    if (pressed.kind === "scope" && flow.step === "scope") {
      const org = (await deps.services.notices.scopes(conversation.roles)).find((o) => o.id === pressed.orgId);
      if (!org) {
        await conversation.reply({ text: t("chat:notAllowed") });
        return;
      }
      return chooseScope(deps, conversation, org, typeof flow.data.text === "string" ? flow.data.text : "");
    }
    if (pressed.kind === "send" && flow.step === "confirm") return send(deps, conversation, Number(flow.data.orgId), String(flow.data.text));
    await conversation.reply({ text: t("feedbackChat:oldButton") });
  },

  async continueFlow(deps, conversation, flow, input) {
    const { t } = conversation;
    if (flow.step !== "text") {
      await conversation.reply({ text: t("feedbackChat:useButtons") });
      return;
    }
    const text = input.contentKind === "text" ? cleanFeedbackText(input.text ?? "") : "";
    if (!text) {
      await conversation.reply({ text: t("notice:needText") });
      return;
    }
    await preview(deps, conversation, Number(flow.data.orgId), text);
  },

  async reprompt(deps, conversation, flow) {
    if (flow.step === "confirm") return preview(deps, conversation, Number(flow.data.orgId), String(flow.data.text));
    await conversation.reply({ text: conversation.t(flow.step === "scope" ? "notice:chooseScope" : "notice:askText", { max: MAX_NOTICE_LENGTH }) });
  },
};

type NoticeButton = { kind: "report"; noticeId: number } | { kind: "scope"; orgId: number } | { kind: "cancel" | "send" };

/** `report:<noticeId>`, `scope:<orgId>`, `cancel` or `send`; null when malformed. */
function decodeNoticeButton(payload: string | undefined): NoticeButton | null {
  const [kind, value, ...extra] = (payload ?? "").split(":");
  if (extra.length) return null;
  if ((kind === "cancel" || kind === "send") && value === undefined) return { kind };
  const id = parseId(value);
  if (id === null) return null;
  if (kind === "report") return { kind, noticeId: id };
  return kind === "scope" ? { kind, orgId: id } : null;
}

const cancelRow = (c: Conversation) => [{ label: c.t("feedbackChat:buttonCancel"), payload: "tb:cancel" }];

async function chooseScope(deps: CoreDeps, conversation: Conversation, org: { id: number; name: string }, text: string): Promise<void> {
  if (text) return preview(deps, conversation, org.id, text);
  await conversation.setFlow(FEATURE, "text", { orgId: org.id });
  await conversation.reply({ text: conversation.t("notice:askText", { org: org.name, max: MAX_NOTICE_LENGTH }), buttons: [cancelRow(conversation)] });
}

async function preview(deps: CoreDeps, conversation: Conversation, orgId: number, typed: string): Promise<void> {
  const { t, member, roles } = conversation;
  // How many it reaches: the author does not get their own notice.
  const audience = await deps.services.notices.audience({ orgId, text: typed, actor: { memberId: member!.id, roles } }).catch((error: unknown) => {
    if (!isDomainError(error)) throw error;
    return error;
  });
  if (isDomainError(audience)) {
    // Too long: the text is asked for again.
    if (audience.code === "notice:tooLong") await conversation.setFlow(FEATURE, "text", { orgId });
    await conversation.reply({ text: t(audience.code, audience.params) });
    return;
  }
  const { org, text, members } = audience;
  await conversation.setFlow(FEATURE, "confirm", { orgId: org.id, text });
  await conversation.reply({
    text: [t("notice:preview", { org: org.name, count: members }), "", noticeText(t, org.name, text)].join("\n"),
    buttons: [[{ label: t("feedbackChat:buttonSend"), payload: "tb:send" }, ...cancelRow(conversation)]],
  });
}

async function send(deps: CoreDeps, conversation: Conversation, orgId: number, text: string): Promise<void> {
  const { t, member, roles } = conversation;
  try {
    const sent = await deps.services.notices.send({ orgId, text, actor: { memberId: member!.id, roles }, now: deps.clock.now() });
    await conversation.endFlow();
    await conversation.reply({
      text: sent.repeated ? t("notice:repeated") : t("notice:queued", { people: sent.people, groups: sent.groups, notLinked: sent.notLinked }),
      buttons: [[{ label: t("notice:buttonReport"), payload: `tb:report:${sent.notice.id}` }]],
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}

/** "Đã nhận" under a notice: any linked member who received it (its own feature, as members press it). */
export const noticeAckFeature: Feature = {
  name: "noticeAck",
  buttonPrefix: "nr",
  async handle(deps, conversation, input) {
    const noticeId = parseId(input.payload);
    if (noticeId === null) return conversation.reply({ text: conversation.t("chat:staleButton") });
    return acknowledge(deps, conversation, noticeId);
  },
};

const ACKNOWLEDGED = { acknowledged: "notice:acknowledged", alreadyAcknowledged: "notice:alreadyAcknowledged", notReceived: "chat:staleButton" } as const;

async function acknowledge(deps: CoreDeps, conversation: Conversation, noticeId: number): Promise<void> {
  const outcome = await deps.services.notices.acknowledge({ noticeId, memberId: conversation.member!.id, now: deps.clock.now() });
  await conversation.reply({ text: conversation.t(ACKNOWLEDGED[outcome]) });
}

/** The delivery report: only for the author and those who lead or review the notice's organization. */
async function report(deps: CoreDeps, conversation: Conversation, noticeId: number): Promise<void> {
  const { t, member, roles } = conversation;
  try {
    const report = await deps.services.notices.report({ noticeId, actor: { memberId: member!.id, roles }, now: deps.clock.now() });
    const { summary, acknowledged, problems, notLinked } = report;
    const reached = report.recipients - notLinked.length;
    // Every line and count stays in one message; a list of thousands shows its first names.
    const compose = (shown: number) => {
      const names = (list: NoticeRecipient[]) => {
        const listed = list.slice(0, shown).map((r) => r.fullName ?? "?");
        if (list.length > shown) listed.push(t("notice:more", { count: list.length - shown }));
        return listed.join(", ") || "—";
      };
      const lines = [
        t("notice:reportTitle", { org: report.notice.organization.name }),
        t("notice:reportCounts", { total: summary.total, sent: summary.sent, queued: summary.queued, failed: summary.failed, unreachable: summary.unreachable }),
        acknowledged.length
          ? t("notice:reportAcked", { count: acknowledged.length, of: reached, names: names(acknowledged) })
          : t("notice:reportAckedNone", { of: reached }),
      ];
      if (problems.length) lines.push(t("notice:reportProblems", { names: names(problems) }));
      if (notLinked.length) lines.push(t("notice:reportNotLinked", { count: notLinked.length, names: names(notLinked) }));
      return lines.join("\n");
    };
    const text = fitNames(textBudget(conversation.message.channel), Math.max(acknowledged.length, problems.length, notLinked.length), compose);
    await conversation.reply({ text, buttons: [[{ label: t("notice:buttonRefresh"), payload: `tb:report:${noticeId}` }]] });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
