import type { MemberRoles } from "../domain/authorization.ts";
import { DomainError } from "../domain/errors.ts";
import { checkExemption, NO_EXEMPTION } from "../domain/exemption.ts";
import { toLocal } from "../domain/localTime.ts";
import type { Language } from "../i18n.ts";
import { normalizePhone } from "../importing/phone.ts";
import type { Db } from "../storage/database.ts";
import { audit, type Actor } from "./audit.ts";
import { eraseMember, previewErasure } from "./memberErase.ts";
import type { OrganizationService } from "./organizations.ts";

export function createMemberService(deps: { db: Db }) {
  const { db } = deps;

  /** A member by id ("#12" or "12") or by phone number in any usual spelling. */
  async function find(reference: string) {
    const ref = reference.trim().replace(/^#/, "");
    const phone = normalizePhone(ref);
    const member = /^\d{1,7}$/.test(ref)
      ? await db.member.findUnique({ where: { id: Number(ref) } })
      : phone.ok && phone.value
        ? await db.member.findUnique({ where: { phone: phone.value } })
        : null;
    if (!member) throw new DomainError("member:notFound", { value: reference });
    return member;
  }

  /** Members of a subtree with their roles; reading personal data is logged. */
  async function list(organizations: OrganizationService, orgCode: string, now: Date, actor: Actor) {
    const org = await organizations.findByCode(orgCode);
    const members = await db.member.findMany({
      where: { cell: { path: { startsWith: org.path } } },
      include: { cell: true, roles: true, identities: { select: { channel: true } } },
      orderBy: [{ cellId: "asc" }, { id: "asc" }],
    });
    await audit(db, now, { actor, action: "read", subjectType: "Member", detail: `list ${org.code}: ${members.length}` });
    return members;
  }

  /** Records or lifts an exemption from activities; the change is logged. */
  async function setExemption(reference: string, input: { kind: string; reason?: string; from?: string; until?: string } | "clear", now: Date, actor: Actor) {
    const member = await find(reference);
    const data = input === "clear" ? NO_EXEMPTION : checkExemption(input, toLocal(now));
    return db.$transaction(async (tx) => {
      const updated = await tx.member.update({ where: { id: member.id }, data });
      await audit(tx, now, { actor, action: "update", subjectType: "Member", subjectId: member.id, detail: `exemption: ${data.exemption}` });
      return updated;
    });
  }

  /** A member who may be given an invite code: one still on the list, not erased. */
  async function findActive(reference: string) {
    const member = await find(reference);
    if (member.erasedAt) throw new DomainError("member:erased", { id: member.id });
    if (member.deactivatedAt) throw new DomainError("member:deactivated", { id: member.id, name: member.fullName });
    return member;
  }

  /**
   * Erases the member's personal data (memberErase.ts), or with `confirmed` false only says what it
   * would remove and keep. Returns who it was, as the record read before.
   */
  async function erase(reference: string, options: { confirmed: boolean; now: Date; actor: Actor }) {
    const member = await find(reference);
    if (member.erasedAt) throw new DomainError("member:erased", { id: member.id });
    const cell = await db.organization.findUniqueOrThrow({ where: { id: member.cellId }, select: { name: true } });
    const report = options.confirmed ? await eraseMember(db, member, options.now, options.actor) : await previewErasure(db, member);
    return { member: { id: member.id, fullName: member.fullName, cellName: cell.name, eraseRequestedAt: member.eraseRequestedAt }, report };
  }

  /** The member's roles, each with the path of its organization (what every authorization check reads). */
  async function rolesOf(memberId: number): Promise<MemberRoles> {
    const roles = await db.role.findMany({ where: { memberId }, select: { role: true, organizationId: true, organization: { select: { path: true } } } });
    return roles.map((r) => ({ role: r.role, organizationId: r.organizationId, orgPath: r.organization.path }));
  }

  /** The language chibo speaks to the member in, wherever they read it. */
  async function setLanguage(memberId: number, language: Language): Promise<void> {
    await db.member.update({ where: { id: memberId }, data: { language } });
  }

  /**
   * A person blocked or unblocked the bot on a channel: their chat there is (or is no longer)
   * reachable. False when chibo knows no member with that account.
   */
  async function setChatReachable(chat: { channel: string; externalUserId: string }, reachable: boolean): Promise<boolean> {
    const known = await db.chatIdentity.updateMany({ where: { channel: chat.channel, externalUserId: chat.externalUserId }, data: { reachable } });
    return known.count > 0;
  }

  return { find, findActive, list, setExemption, erase, rolesOf, setLanguage, setChatReachable };
}
