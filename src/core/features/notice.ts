import { isDomainError } from "../../domain/errors.ts";
import { cleanFeedbackText } from "../../domain/feedback.ts";
import type { Organization, Prisma } from "../../generated/prisma/client.ts";
import { isLanguage } from "../../i18n.ts";
import { isLeader, isReviewer, ledCells, leadsCell, reviewerScopes, reviewsPath } from "../authorization.ts";
import type { Conversation, CoreDeps } from "../context.ts";
import type { Feature } from "../feature.ts";
import { parseId } from "../payload.ts";
import { fitNames, textBudget } from "../textBudget.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { audit } from "../../services/audit.ts";
import { chatsWhere, groupsOfCells, membersUnder } from "../../services/recipients.ts";
import type { Tx } from "../../storage/database.ts";

const FEATURE = "notice";
export const MAX_NOTICE_LENGTH = 2000;

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
      const scopes = await scopesOf(deps, conversation);
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
      const org = (await scopesOf(deps, conversation)).find((o) => o.id === pressed.orgId);
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
    const org = await deps.db.organization.findUniqueOrThrow({ where: { id: Number(flow.data.orgId) } });
    await preview(deps, conversation, org, text);
  },

  async reprompt(deps, conversation, flow) {
    if (flow.step === "confirm") {
      const org = await deps.db.organization.findUniqueOrThrow({ where: { id: Number(flow.data.orgId) } });
      return preview(deps, conversation, org, String(flow.data.text));
    }
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

/** The cells this person leads and the organizations they review, largest first. */
async function scopesOf(deps: CoreDeps, conversation: Conversation): Promise<Organization[]> {
  const ids = [...reviewerScopes(conversation.roles).map((r) => r.organizationId), ...ledCells(conversation.roles)];
  const orgs = await deps.db.organization.findMany({ where: { id: { in: ids } } });
  return orgs.sort((a, b) => a.path.length - b.path.length || a.id - b.id);
}

async function chooseScope(deps: CoreDeps, conversation: Conversation, org: Organization, text: string): Promise<void> {
  if (text) return preview(deps, conversation, org, text);
  await conversation.setFlow(FEATURE, "text", { orgId: org.id });
  await conversation.reply({ text: conversation.t("notice:askText", { org: org.name, max: MAX_NOTICE_LENGTH }), buttons: [cancelRow(conversation)] });
}

async function preview(deps: CoreDeps, conversation: Conversation, org: Organization, text: string): Promise<void> {
  const { t } = conversation;
  const length = [...text].length;
  if (length > MAX_NOTICE_LENGTH) {
    await conversation.setFlow(FEATURE, "text", { orgId: org.id });
    await conversation.reply({ text: t("notice:tooLong", { length, max: MAX_NOTICE_LENGTH }) });
    return;
  }
  // The author does not get their own notice.
  const members = await deps.db.member.count({ where: { cell: { path: { startsWith: org.path } }, id: { not: conversation.member!.id }, deactivatedAt: null } });
  await conversation.setFlow(FEATURE, "confirm", { orgId: org.id, text });
  await conversation.reply({
    text: [t("notice:preview", { org: org.name, count: members }), "", noticeText(t, org.name, text)].join("\n"),
    buttons: [[{ label: t("feedbackChat:buttonSend"), payload: "tb:send" }, ...cancelRow(conversation)]],
  });
}

const noticeText = (t: Conversation["t"], from: string, text: string) => `${t("notice:header", { from })}\n${text}`;

/**
 * A delivery row for every recipient, in one statement: "queued" for a member with a chat chibo
 * can reach (the condition chatsWhere reads), "no_chat" otherwise. Returns how many there are.
 *
 * The status is what was known at queueing time and is never updated: what became of each message
 * (sent, failed, unreachable) lives on its outbox row (same broadcast and member), which the report
 * reads. The delivery row keeps who was meant to get the notice, who had no chat, and the "Đã nhận".
 */
function recordDeliveries(tx: Tx, noticeId: number, recipients: Prisma.Sql): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "NoticeDelivery" ("noticeId", "memberId", "status")
    SELECT ${noticeId}, m."id", CASE WHEN EXISTS (SELECT 1 FROM "ChatIdentity" AS i WHERE i."memberId" = m."id" AND i."reachable" = ${true}) THEN 'queued' ELSE 'no_chat' END
    FROM "Member" AS m WHERE ${recipients}`;
}

async function send(deps: CoreDeps, conversation: Conversation, orgId: number, text: string): Promise<void> {
  const { t, member } = conversation;
  const org = await deps.db.organization.findUniqueOrThrow({ where: { id: orgId } });
  if (!leadsCell(conversation.roles, org.id) && !reviewsPath(conversation.roles, org.path)) {
    await conversation.reply({ text: t("chat:notAllowed") });
    return;
  }
  const now = deps.clock.now();
  // A commune has thousands of members: the recipients are the subtree joined in the database,
  // their chats read in one statement and their deliveries written in one, never an id per member.
  const recipients = membersUnder(org.path, member!.id);
  const [chats, groups] = await Promise.all([
    chatsWhere(deps.db, recipients),
    groupsOfCells(deps.db, { path: { startsWith: org.path }, members: { some: { id: { not: member!.id } } } }),
  ]);
  const defaultT = deps.translator.t(deps.defaultLanguage);
  // The notice, its recipients, its broadcast and its messages are written together: all or nothing.
  const { notice, members } = await deps.db.$transaction(async (tx) => {
    const created = await tx.notice.create({ data: { organizationId: org.id, authorId: member!.id, text, createdAt: now, sentAt: now } });
    const members = await recordDeliveries(tx, created.id, recipients);
    const broadcast = await tx.broadcast.create({ data: { key: `notice:${created.id}`, kind: "notice", createdById: member!.id, createdAt: now } });
    const notice = await tx.notice.update({ where: { id: created.id }, data: { broadcastId: broadcast.id } });
    // The text and the button once per language, not once per chat.
    const inLanguage = new Map<string, QueuedMessage["message"]>();
    const messageIn = (language: string) => {
      let message = inLanguage.get(language);
      if (!message) {
        const ct = deps.translator.t(isLanguage(language) ? language : "vi");
        message = { text: noticeText(ct, org.name, text), buttons: [[{ label: ct("notice:buttonAck"), payload: `nr:${notice.id}` }]] };
        inLanguage.set(language, message);
      }
      return message;
    };
    await deps.outbox.enqueue([
      ...chats.map((chat) => ({
        dedupeKey: `notice:${notice.id}:${chat.channel}:${chat.chatId}`,
        channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
        message: messageIn(chat.language),
      })),
      ...groups.map((group) => ({
        dedupeKey: `notice:${notice.id}:group:${group.channel}:${group.externalChatId}`,
        channel: group.channel, chatId: group.externalChatId, isGroup: true,
        message: { text: noticeText(defaultT, org.name, text) },
      })),
    ], broadcast.id, tx);
    return { notice, members };
  }, { maxWait: 10_000, timeout: 120_000 });
  await conversation.endFlow();
  await conversation.reply({
    text: t("notice:queued", { people: chats.length, groups: groups.length, notLinked: members - chats.length }),
    buttons: [[{ label: t("notice:buttonReport"), payload: `tb:report:${notice.id}` }]],
  });
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

async function acknowledge(deps: CoreDeps, conversation: Conversation, noticeId: number): Promise<void> {
  const { t, member } = conversation;
  const updated = await deps.db.noticeDelivery.updateMany({ where: { noticeId, memberId: member!.id, acknowledgedAt: null }, data: { acknowledgedAt: deps.clock.now() } });
  if (updated.count === 1) {
    await conversation.reply({ text: t("notice:acknowledged") });
    return;
  }
  const known = await deps.db.noticeDelivery.findUnique({ where: { noticeId_memberId: { noticeId, memberId: member!.id } } });
  await conversation.reply({ text: t(known ? "notice:alreadyAcknowledged" : "chat:staleButton") });
}

/** The delivery report: only for the author and those who lead or review the notice's organization. */
async function report(deps: CoreDeps, conversation: Conversation, noticeId: number): Promise<void> {
  const { t, member, roles } = conversation;
  const notice = await deps.db.notice.findUnique({ where: { id: noticeId }, include: { organization: true } });
  if (!notice || notice.broadcastId === null) {
    await conversation.reply({ text: t("chat:staleButton") });
    return;
  }
  if (notice.authorId !== member!.id && !leadsCell(roles, notice.organizationId) && !reviewsPath(roles, notice.organization.path)) {
    await conversation.reply({ text: t("chat:notAllowed") });
    return;
  }
  try {
    const summary = await deps.outbox.summary(notice.broadcastId);
    // The recipients' names are joined in the database: a commune's notice has thousands.
    const [deliveries, people] = await Promise.all([
      deps.db.noticeDelivery.findMany({ where: { noticeId }, select: { memberId: true, status: true, acknowledgedAt: true }, orderBy: { id: "asc" } }),
      deps.db.member.findMany({ where: { deliveries: { some: { noticeId } } }, select: { id: true, fullName: true } }),
    ]);
    const fullName = new Map(people.map((p) => [p.id, p.fullName]));
    const acked = deliveries.filter((d) => d.acknowledgedAt);
    const notLinked = deliveries.filter((d) => d.status === "no_chat");
    const problemIds = new Set(summary.problems.map((p) => p.memberId));
    const problems = deliveries.filter((d) => problemIds.has(d.memberId));
    await audit(deps.db, deps.clock.now(), {
      actor: { kind: "member", memberId: member!.id }, action: "read", subjectType: "NoticeReport", subjectId: noticeId,
      detail: `${deliveries.length} recipients, ${acked.length} acknowledged`,
    });
    // Every line and count stays in one message; a list of thousands shows its first names.
    const compose = (shown: number) => {
      const names = (list: typeof deliveries) => {
        const listed = list.slice(0, shown).map((d) => fullName.get(d.memberId) ?? "?");
        if (list.length > shown) listed.push(t("notice:more", { count: list.length - shown }));
        return listed.join(", ") || "—";
      };
      const lines = [
        t("notice:reportTitle", { org: notice.organization.name }),
        t("notice:reportCounts", { total: summary.total, sent: summary.sent, queued: summary.queued, failed: summary.failed, unreachable: summary.unreachable }),
        acked.length
          ? t("notice:reportAcked", { count: acked.length, of: deliveries.length - notLinked.length, names: names(acked) })
          : t("notice:reportAckedNone", { of: deliveries.length - notLinked.length }),
      ];
      if (problems.length) lines.push(t("notice:reportProblems", { names: names(problems) }));
      if (notLinked.length) lines.push(t("notice:reportNotLinked", { count: notLinked.length, names: names(notLinked) }));
      return lines.join("\n");
    };
    const text = fitNames(textBudget(conversation.message.channel), Math.max(acked.length, problems.length, notLinked.length), compose);
    await conversation.reply({ text, buttons: [[{ label: t("notice:buttonRefresh"), payload: `tb:report:${noticeId}` }]] });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    await conversation.reply({ text: t(error.code, error.params) });
  }
}
