import { DomainError } from "../domain/errors.ts";
import type { Db, DbClient } from "../storage/database.ts";
import { audit, AUDIT_ACTIONS, type Actor } from "./audit.ts";
import { loadOrgIndex } from "./orgIndex.ts";
import type { OrganizationService } from "./organizations.ts";
import { chatsOfMembers, officersOf, type MemberChat } from "./recipients.ts";

const LEADER_ROLES = ["secretary", "deputy_secretary"];

/**
 * Everything chibo holds about one member, as they may see it and take a copy of it (Law 91/2025):
 * their record, roles, linked apps (no platform ids), consent, attendance answers with
 * reasons, their own feedback (anonymous items too: they wrote them), the notices they were sent,
 * and how often the audit log names them.
 */
export interface MemberDataExport {
  generatedAt: Date;
  member: {
    id: number;
    fullName: string;
    phone: string | null;
    birthDate: string | null;
    status: string;
    admittedOn: string | null;
    fullMembershipOn: string | null;
    exemption: string;
    exemptionReason: string | null;
    exemptionFrom: string | null;
    exemptionUntil: string | null;
    language: string;
    createdAt: Date;
    eraseRequestedAt: Date | null;
  };
  /** The cell and the organizations above it, top first. */
  organizations: string[];
  unitKind: string | null;
  consent: { at: Date | null; version: string | null };
  roles: { role: string; organization: string }[];
  chats: { channel: string; linkedAt: Date; lastSeenAt: Date | null; reachable: boolean }[];
  inviteCodes: { issued: number; usable: number };
  attendance: { startsAt: Date; cell: string; answer: string; reason: string | null; source: string; answeredAt: Date }[];
  feedback: {
    reference: string; createdAt: Date; category: string; addressee: string; agencyName: string | null; anonymous: boolean;
    status: string; text: string; hasPhoto: boolean; answer: string | null; answeredAt: Date | null;
  }[];
  notices: { at: Date; organization: string; text: string; reachedByChat: boolean; acknowledgedAt: Date | null }[];
  /** Messages chibo sent or queued to them whose text is still stored. */
  messagesWithText: number;
  audit: { aboutThem: Partial<Record<string, number>>; byThem: number };
}

/** A member's request to be erased, and who is told of it. */
export interface ErasureRequest {
  member: { id: number; fullName: string };
  cell: { id: number; name: string };
  requestedAt: Date;
  /** The chats of the cell's secretary and deputies (else the committee above), one each. */
  recipients: MemberChat[];
}

export function createMemberDataService(deps: { db: Db; organizations: OrganizationService }) {
  const { db, organizations } = deps;

  /**
   * The member's data, read for them (or, from the CLI, for a member who can no longer chat); the
   * export is in the audit log (counts only, by id).
   */
  async function exportFor(memberId: number, now: Date, actor: Actor = { kind: "member", memberId }): Promise<MemberDataExport> {
    const data = await readMemberData(db, memberId, now);
    await audit(db, now, {
      actor, action: "export", subjectType: "Member", subjectId: memberId,
      detail: `${actor.kind === "member" && actor.memberId === memberId ? "own data" : "member data"}: ${data.roles.length} roles, ${data.chats.length} chats, ${data.attendance.length} answers, `
        + `${data.feedback.length} feedback, ${data.notices.length} notices`,
    });
    return data;
  }

  /**
   * Records the member's request to be erased and tells their cell's leaders, in one transaction:
   * `notify` queues the messages with the transaction it is given. A request already made is not
   * made again (nobody is told twice); its time is returned.
   */
  async function requestErasure(memberId: number, now: Date, notify: (tx: DbClient, request: ErasureRequest) => Promise<void>) {
    const member = await db.member.findUnique({ where: { id: memberId }, include: { cell: true } });
    if (!member) throw new DomainError("member:notFound", { value: `#${memberId}` });
    if (member.eraseRequestedAt) return { requestedAt: member.eraseRequestedAt, already: true, told: 0 };
    const recipients = await leadersToTell(member.id, member.cell);
    const request = { member: { id: member.id, fullName: member.fullName }, cell: { id: member.cell.id, name: member.cell.name }, requestedAt: now, recipients };
    await db.$transaction(async (tx) => {
      // Conditional, so two presses at once record (and tell) once.
      const marked = await tx.member.updateMany({ where: { id: memberId, eraseRequestedAt: null }, data: { eraseRequestedAt: now } });
      if (marked.count !== 1) return;
      await audit(tx, now, {
        actor: { kind: "member", memberId }, action: "update", subjectType: "Member", subjectId: memberId, detail: `erase requested; ${recipients.length} leaders told`,
      });
      await notify(tx, request);
    });
    const saved = await db.member.findUniqueOrThrow({ where: { id: memberId }, select: { eraseRequestedAt: true } });
    const already = saved.eraseRequestedAt!.getTime() !== now.getTime();
    return { requestedAt: saved.eraseRequestedAt!, already, told: already ? 0 : recipients.length };
  }

  /** The cell's secretary and deputies other than the member; when none can be reached, the committee above. */
  async function leadersToTell(memberId: number, cell: { id: number; path: string }): Promise<MemberChat[]> {
    const leaders = await db.role.findMany({
      where: { organizationId: cell.id, role: { in: LEADER_ROLES }, memberId: { not: memberId } }, select: { memberId: true }, orderBy: { id: "asc" },
    });
    const chats = await chatsOfMembers(db, [...new Set(leaders.map((r) => r.memberId))]);
    if (chats.length > 0) return chats;
    const superior = await organizations.superiorOf(cell);
    if (!superior) return [];
    return chatsOfMembers(db, (await officersOf(db, superior.id)).filter((id) => id !== memberId));
  }

  return { exportFor, requestErasure };
}

export type MemberDataService = ReturnType<typeof createMemberDataService>;

/** Every row that names the member, in a handful of queries (a member has at most a few thousand). */
async function readMemberData(db: Db, memberId: number, now: Date): Promise<MemberDataExport> {
  const member = await db.member.findUnique({ where: { id: memberId }, include: { cell: true } });
  if (!member) throw new DomainError("member:notFound", { value: `#${memberId}` });
  const index = await loadOrgIndex(db, [member.cell]);
  const byId = { orderBy: { id: "asc" as const } };
  const roles = await db.role.findMany({ where: { memberId }, select: { role: true, organization: { select: { name: true } } }, ...byId });
  const chats = await db.chatIdentity.findMany({ where: { memberId }, select: { channel: true, linkedAt: true, lastSeenAt: true, reachable: true }, ...byId });
  const codes = await db.inviteCode.findMany({ where: { memberId }, select: { usedAt: true, expiresAt: true } });
  const attendance = await db.attendance.findMany({
    where: { memberId }, include: { meeting: { include: { cell: { select: { name: true } } } } }, orderBy: { meeting: { scheduledAt: "asc" } },
  });
  const feedback = await db.feedback.findMany({ where: { authorId: memberId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const deliveries = await db.noticeDelivery.findMany({
    where: { memberId }, include: { notice: { include: { organization: { select: { name: true } } } } }, orderBy: { noticeId: "asc" },
  });
  const messagesWithText = await db.outboxMessage.count({ where: { memberId, NOT: { text: "" } } });
  // About them: their record and their invite codes; by them: anything they did or were shown.
  const aboutThem = await db.auditLog.groupBy({
    by: ["action"], where: { subjectType: { in: ["Member", "InviteCode"] }, subjectId: String(memberId) }, _count: { _all: true },
  });
  const byThem = await db.auditLog.count({ where: { actorId: memberId } });
  return {
    generatedAt: now,
    member: {
      id: member.id, fullName: member.fullName, phone: member.phone, birthDate: member.birthDate, status: member.status,
      admittedOn: member.admittedOn, fullMembershipOn: member.fullMembershipOn, exemption: member.exemption,
      exemptionReason: member.exemptionReason, exemptionFrom: member.exemptionFrom, exemptionUntil: member.exemptionUntil,
      language: member.language, createdAt: member.createdAt, eraseRequestedAt: member.eraseRequestedAt,
    },
    organizations: index.chain(member.cellId).map((o) => o.name),
    unitKind: index.unitKind(member.cellId),
    consent: { at: member.consentAt, version: member.consentVersion },
    roles: roles.map((r) => ({ role: r.role, organization: r.organization.name })),
    chats,
    inviteCodes: { issued: codes.length, usable: codes.filter((c) => !c.usedAt && c.expiresAt.getTime() > now.getTime()).length },
    attendance: attendance.map((a) => ({
      startsAt: a.meeting.postponedTo ?? a.meeting.scheduledAt, cell: a.meeting.cell.name,
      answer: a.answer, reason: a.reason, source: a.source, answeredAt: a.answeredAt,
    })),
    feedback: feedback.map((f) => ({
      reference: f.reference, createdAt: f.createdAt, category: f.category, addressee: f.addressee, agencyName: f.agencyName, anonymous: f.anonymous,
      status: f.status, text: f.text, hasPhoto: f.photoRef !== null, answer: f.answer, answeredAt: f.answeredAt,
    })),
    notices: deliveries.map((d) => ({
      at: d.notice.sentAt ?? d.notice.createdAt, organization: d.notice.organization.name, text: d.notice.text,
      reachedByChat: d.status === "queued", acknowledgedAt: d.acknowledgedAt,
    })),
    messagesWithText,
    audit: { aboutThem: Object.fromEntries(aboutThem.filter((g) => AUDIT_ACTIONS.some((a) => a === g.action)).map((g) => [g.action, g._count._all])), byThem },
  };
}
