import { DomainError } from "../domain/errors.ts";
import { maskPhone } from "../domain/memberSearch.ts";
import type { Db } from "../storage/database.ts";
import { auditRead, type Actor } from "./audit.ts";
import type { InviteService } from "./invites.ts";

/** One printed invite: who it is for and the fresh code, shown once and stored only as a hash. */
export interface InviteSlip {
  memberId: number;
  fullName: string;
  cellName: string;
  code: string;
  expiresAt: Date;
}

/** The cell's members still on its list, by name. */
const activeOf = (cellId: number) => ({ cellId, deactivatedAt: null, erasedAt: null });
const BY_NAME = [{ searchName: "asc" as const }, { id: "asc" as const }];

/**
 * What a secretary prints for their cell: invite slips with fresh one-time codes, and the sheet of
 * who has not linked a chat yet. The caller has checked that the cell is in the viewer's scope;
 * every member named must belong to that cell, or nothing is issued.
 */
export function createInviteSlipService(deps: { db: Db; invites: InviteService }) {
  const { db, invites } = deps;

  /** The cell's members with whether each has linked a chat (to choose whom to print slips for); logged as read. */
  async function roster(cell: { id: number }, now: Date, actor: Actor) {
    const members = await db.member.findMany({
      where: activeOf(cell.id), select: { id: true, fullName: true, _count: { select: { identities: true } } }, orderBy: BY_NAME,
    });
    await auditRead(db, now, actor, { subjectType: "Member", detail: `console slips roster: cell ${cell.id}, ${members.length}` });
    return members.map((m) => ({ id: m.id, fullName: m.fullName, linked: m._count.identities > 0 }));
  }

  /**
   * A fresh code for each chosen member of the cell (their earlier unused codes stop working, as
   * with `invite`). All names are checked before the first code is issued.
   */
  async function issue(cell: { id: number; name: string }, memberIds: readonly number[], now: Date, actor: Actor): Promise<InviteSlip[]> {
    const wanted = [...new Set(memberIds)];
    if (wanted.length === 0) throw new DomainError("consoleMembers:slipsNoneChosen");
    const members = await db.member.findMany({ where: { ...activeOf(cell.id), id: { in: wanted } }, select: { id: true, fullName: true }, orderBy: BY_NAME });
    if (members.length !== wanted.length) throw new NotInCell();
    const slips: InviteSlip[] = [];
    for (const member of members) {
      const { code, expiresAt } = await invites.issue(member.id, now, actor);
      slips.push({ memberId: member.id, fullName: member.fullName, cellName: cell.name, code, expiresAt });
    }
    await auditRead(db, now, actor, { subjectType: "Member", detail: `console invite slips: cell ${cell.id}, ${slips.length}` });
    return slips;
  }

  /** Who in the cell has no linked chat yet, their phone masked but for the last digits; logged as read. */
  async function unlinked(cell: { id: number }, now: Date, actor: Actor) {
    const members = await db.member.findMany({
      where: { ...activeOf(cell.id), identities: { none: {} } }, select: { id: true, fullName: true, phone: true }, orderBy: BY_NAME,
    });
    await auditRead(db, now, actor, { subjectType: "Member", detail: `console unlinked sheet: cell ${cell.id}, ${members.length}` });
    return members.map((m) => ({ id: m.id, fullName: m.fullName, phone: maskPhone(m.phone) }));
  }

  return { roster, issue, unlinked };
}

/** A member named for a slip is not (or no longer) on the cell's list: the same answer as "not found". */
export class NotInCell extends Error {
  constructor() {
    super("a member chosen is not on the cell's list");
  }
}

export type InviteSlipService = ReturnType<typeof createInviteSlipService>;
