import type { QueuedMessage } from "../../delivery/outbox.ts";
import { auditRead, pushedTo } from "../../services/audit.ts";
import { chatsOfMembers, officersOf } from "../../services/recipients.ts";
import { unexcusedAbsences, yearBefore, type UnexcusedAbsence } from "../../domain/followUp.ts";
import { formatDisplayDate, localDateOf } from "../../domain/localTime.ts";
import type { Member, Organization } from "../../generated/prisma/client.ts";
import { startOf } from "../../services/attendance.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import { cellGroupsOfPass, dailyTimes, leadersOf, toChats, type CellGroup } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

/** A meeting's start stays within this many days of its regular day (the postponement limit is at most 31). */
const MAX_MOVE_MS = 32 * 86_400_000;

/**
 * Every day at the cell's `dailyAt`, a member with `absenceLimit` (default 3) or more unexcused
 * absences in the last 12 months (see unexcusedAbsences) is flagged to the cell's secretary and
 * deputies and to the officers of the cell's superior committee. One slot per member and latest
 * absence counted: the same absences are flagged once, a new one flags again.
 */
export function absencesJob(deps: JobDeps): Job {
  return {
    name: "absence-flag",
    async occurrences(window) {
      const due: Occurrence[] = [];
      for (const group of await cellGroupsOfPass(deps.db, window.to)) {
        const { settings } = group;
        for (const { at } of dailyTimes(window, settings.dailyAt)) {
          for (const flag of await flagsAt(deps, group, settings.absenceLimit, at)) {
            const latest = flag.absences.at(-1)!;
            due.push({ slot: `${flag.member.id}:${latest.meetingId}`, dueAt: at, run: (now) => send(deps, flag, settings.absenceLimit, now) });
          }
        }
      }
      return due;
    },
  };
}

interface Flag {
  member: Member;
  cell: Organization;
  absences: UnexcusedAbsence[];
}

/** The members of the group's cells at or over the limit at `now`. */
async function flagsAt(deps: JobDeps, group: CellGroup, limit: number, now: Date): Promise<Flag[]> {
  const since = yearBefore(now);
  const inTree = { path: { startsWith: group.top.path } };
  const heldSince = { status: "held", scheduledAt: { gt: new Date(since.getTime() - MAX_MOVE_MS), lte: now } };
  // By the tree's path and a relation filter, not lists of ids: a province has thousands of cells.
  const held = (await deps.db.meeting.findMany({
    where: { cell: inTree, ...heldSince },
    include: { attendance: { select: { memberId: true, answer: true, reason: true } } },
    orderBy: { id: "asc" },
  })).filter((m) => group.cellIds.has(m.cellId));
  if (held.length === 0) return [];
  const members = (await deps.db.member.findMany({
    where: { cell: { ...inTree, meetings: { some: heldSince } }, deactivatedAt: null },
    include: { cell: true },
    orderBy: { id: "asc" },
  })).filter((m) => group.cellIds.has(m.cellId));
  const cellById = new Map(members.map((m) => [m.cellId, m.cell]));
  const heldByCell = new Map<number, typeof held>();
  for (const m of held) heldByCell.set(m.cellId, [...(heldByCell.get(m.cellId) ?? []), m]);
  const flags: Flag[] = [];
  for (const member of members) {
    const facts = (heldByCell.get(member.cellId) ?? [])
      .map((m) => ({ meetingId: m.id, startsAt: startOf(m), answer: m.attendance.find((a) => a.memberId === member.id) ?? null }));
    const absences = unexcusedAbsences(member, facts, now);
    if (absences.length >= limit) flags.push({ member, cell: cellById.get(member.cellId)!, absences });
  }
  return flags;
}

async function send(deps: JobDeps, flag: Flag, limit: number, now: Date): Promise<QueuedMessage[]> {
  const { member, cell, absences } = flag;
  const recipients = new Set(await leadersOf(deps.db, cell.id));
  const superior = await deps.services.organizations.superiorOf(cell);
  if (superior) for (const id of await officersOf(deps.db, superior.id)) recipients.add(id);
  const chats = await chatsOfMembers(deps.db, [...recipients]);
  const detail = `absence flag: ${absences.length} unexcused`;
  await auditRead(deps.db, now, pushedTo(chats.map((c) => c.memberId)), { subjectType: "Member", subjectId: member.id, detail });
  const messages = toChats(deps, chats, `absence:${member.id}:${absences.at(-1)!.meetingId}`, (t) => ({
    text: [
      t("followUp:absenceFlag", { name: member.fullName, cell: cell.name, count: absences.length, limit }),
      ...absences.map((a) => `  • ${formatDisplayDate(localDateOf(a.startsAt))} — ${t(a.kind === "noAnswer" ? "followUp:absenceNoAnswer" : "followUp:absenceNoReason")}`),
      t("followUp:absenceAdvice", { name: member.fullName }),
    ].join("\n"),
  }));
  return messages;
}
