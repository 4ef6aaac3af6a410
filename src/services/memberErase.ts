import { searchKey } from "../domain/text.ts";
import type { Member, Prisma } from "../generated/prisma/client.ts";
import { chunked } from "../storage/chunks.ts";
import type { Db, DbClient } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { revokeAccess } from "./memberAccess.ts";

/** A member with years of answers and messages is thousands of rows: give the one transaction time. */
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };
/** What a stored update or message keeps once emptied: still a row (counts, redelivery), no content. */
const EMPTIED_PAYLOAD = "{}";
/** The keys under which a platform's update names a person or their chat ("from.id", "sender.id", the web's "chatId"). */
const PERSON_KEYS = new Set(["id", "chatId"]);

/** The name an erased member's row keeps: rosters and histories that point at it show this. */
export const erasedName = (memberId: number) => `Đảng viên đã xóa #${memberId}`;

/** What erasing a member removes, and what it keeps (the row, anonymous, and counts that stay true). */
export interface ErasureReport {
  memberId: number;
  removed: {
    chats: number;
    inviteCodes: number;
    flows: number;
    roles: number;
    attendanceReasons: number;
    /** Signed items that became anonymous. */
    signedFeedback: number;
    outboxMessages: number;
    inboundUpdates: number;
    linkAttempts: number;
  };
  kept: {
    attendanceAnswers: number;
    /** Every item the member wrote, anonymous and no longer linked to them. */
    feedbackItems: number;
    noticeDeliveries: number;
    auditRows: number;
  };
}

interface Plan {
  report: ErasureReport;
  feedbackIds: number[];
  outboxIds: number[];
  inboundIds: number[];
  linkAttempts: Prisma.LinkAttemptWhereInput;
}

/** What `eraseMember` would do to this member, read without changing anything. */
export async function previewErasure(db: Db, member: Member): Promise<ErasureReport> {
  return (await planErasure(db, member)).report;
}

/**
 * Removes what chibo holds about a person, in one transaction (nothing half-erased):
 * - deleted: their linked chats, invite codes, open guided steps, roles, failed link attempts;
 * - emptied: the reasons of their attendance answers, every message chibo sent or queued to them
 *   (text, buttons, file and chat; a queued one is never sent), every update they sent that is
 *   still stored (the row stays, so a platform's redelivery is still recognised);
 * - made anonymous: their feedback (no author, and the submission names no actor);
 * - the member row keeps its id, cell and status as "Đảng viên đã xóa #<id>", without phone, dates
 *   or exemption, marked erased and deactivated: the cell's attendance counts, the notices'
 *   delivery counts and the history stay true and point at it.
 * The audit row names the member by id only.
 */
export async function eraseMember(db: Db, member: Member, now: Date, actor: Actor): Promise<ErasureReport> {
  return db.$transaction(async (tx) => {
    const plan = await planErasure(tx, member);
    const id = member.id;
    const access = await revokeAccess(tx, [id], now);
    const removed = plan.report.removed;
    removed.roles = access.roles;
    removed.chats = access.chats;
    removed.flows = access.flows;
    removed.inviteCodes = (await tx.inviteCode.deleteMany({ where: { memberId: id } })).count;
    removed.linkAttempts = (await tx.linkAttempt.deleteMany({ where: plan.linkAttempts })).count;
    const reasons = await tx.attendance.updateMany({ where: { memberId: id, reason: { not: null } }, data: { reason: null } });
    removed.attendanceReasons = reasons.count;
    for (const chunk of chunked(plan.feedbackIds)) {
      await tx.feedbackEvent.updateMany({ where: { feedbackId: { in: chunk }, actorId: id }, data: { actorId: null } });
      await tx.feedback.updateMany({ where: { id: { in: chunk } }, data: { authorId: null, anonymous: true } });
    }
    for (const chunk of chunked(plan.outboxIds)) {
      const rows = { id: { in: chunk } };
      // Not yet sent: never sent now (a worker holding one finds it no longer "sending" and leaves it).
      await tx.outboxMessage.updateMany({
        where: { ...rows, status: { in: ["queued", "sending"] } }, data: { status: "failed", lastError: "member erased", lockedBy: null, lockedUntil: null },
      });
      await tx.outboxMessage.updateMany({
        where: rows, data: { text: "", buttons: null, attachment: null, chatId: "", replyToMessageId: null, externalMessageId: null },
      });
    }
    for (const chunk of chunked(plan.inboundIds)) {
      // An update not handled yet is not handled at all: nothing of an erased person is acted on.
      await tx.inboundUpdate.updateMany({
        where: { id: { in: chunk }, status: "pending" }, data: { status: "done", processedAt: now, lockedBy: null, lockedUntil: null },
      });
      await tx.inboundUpdate.updateMany({ where: { id: { in: chunk } }, data: { payload: EMPTIED_PAYLOAD, error: null } });
    }
    const name = erasedName(id);
    await tx.member.update({
      where: { id },
      data: {
        fullName: name, searchName: searchKey(name), phone: null, birthDate: null, admittedOn: null, fullMembershipOn: null,
        exemption: "none", exemptionReason: null, exemptionFrom: null, exemptionUntil: null,
        erasedAt: now, deactivatedAt: member.deactivatedAt ?? now,
      },
    });
    await audit(tx, now, { actor, action: "delete", subjectType: "Member", subjectId: id, detail: `erased: ${JSON.stringify(plan.report.removed)}` });
    return plan.report;
  }, LONG_TRANSACTION);
}

/** Every row the erasure touches, found once: the counts the preview shows are the rows the erasure changes. */
async function planErasure(client: DbClient, member: Member): Promise<Plan> {
  const id = member.id;
  const identities = await client.chatIdentity.findMany({
    where: { memberId: id }, select: { channel: true, externalUserId: true, chatId: true }, orderBy: { id: "asc" },
  });
  // Messages to their private chats count too: a reply before their chat was linked has no member id.
  const outboxIds = (await client.outboxMessage.findMany({
    where: { OR: [{ memberId: id }, ...identities.map((i) => ({ channel: i.channel, chatId: i.chatId, isGroup: false }))] },
    select: { id: true },
  })).map((row) => row.id);
  const inboundIds: number[] = [];
  for (const identity of identities) {
    // A text search finds the candidates; reading each one keeps a number that only looks like the id out.
    const candidates = await client.inboundUpdate.findMany({
      where: { channel: identity.channel, payload: { contains: identity.externalUserId } }, select: { id: true, payload: true },
    });
    for (const row of candidates) if (namesPerson(row.payload, identity.externalUserId)) inboundIds.push(row.id);
  }
  const linkAttempts: Prisma.LinkAttemptWhereInput = identities.length
    ? { OR: identities.flatMap((i) => [{ channel: i.channel, externalUserId: i.externalUserId }, { channel: i.channel, chatId: i.chatId }]) }
    : { id: -1 };
  const feedback = await client.feedback.findMany({ where: { authorId: id }, select: { id: true, anonymous: true } });
  // One statement after another: inside the erasure's transaction the client takes one at a time.
  const roles = await client.role.count({ where: { memberId: id } });
  const inviteCodes = await client.inviteCode.count({ where: { memberId: id } });
  const flows = await client.chatFlow.count({ where: { memberId: id } });
  const attendanceAnswers = await client.attendance.count({ where: { memberId: id } });
  const attendanceReasons = await client.attendance.count({ where: { memberId: id, reason: { not: null } } });
  const noticeDeliveries = await client.noticeDelivery.count({ where: { memberId: id } });
  const auditRows = await client.auditLog.count({ where: { OR: [{ subjectType: { in: ["Member", "InviteCode"] }, subjectId: String(id) }, { actorId: id }] } });
  const linkAttemptRows = await client.linkAttempt.count({ where: linkAttempts });
  return {
    feedbackIds: feedback.map((f) => f.id),
    outboxIds,
    inboundIds: [...new Set(inboundIds)],
    linkAttempts,
    report: {
      memberId: id,
      removed: {
        chats: identities.length, inviteCodes, flows, roles, attendanceReasons,
        signedFeedback: feedback.filter((f) => !f.anonymous).length,
        outboxMessages: outboxIds.length,
        inboundUpdates: new Set(inboundIds).size,
        linkAttempts: linkAttemptRows,
      },
      kept: { attendanceAnswers, feedbackItems: feedback.length, noticeDeliveries, auditRows },
    },
  };
}

/**
 * Whether a stored update names this person: some "id" (Telegram's and Zalo's sender and chat)
 * or "chatId" (the web chat) equal to their platform id. What cannot be read as JSON but holds the
 * id is taken as theirs: emptying a handled update by mistake costs nothing.
 */
export function namesPerson(payload: string, externalUserId: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return true;
  }
  const stack: unknown[] = [json];
  while (stack.length) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === "object") {
      for (const [key, field] of Object.entries(value)) {
        if (PERSON_KEYS.has(key) && (typeof field === "string" || typeof field === "number") && String(field) === externalUserId) return true;
        if (field && typeof field === "object") stack.push(field);
      }
    }
  }
  return false;
}
