import type { QueuedMessage } from "../../delivery/outbox.ts";
import { auditRead, pushedTo } from "../../services/audit.ts";
import { chatsOfMembers } from "../../services/recipients.ts";
import { probationNoticeDue } from "../../domain/followUp.ts";
import { daysBetween, formatDisplayDate, parseIsoDate, type LocalDate } from "../../domain/localTime.ts";
import type { Member, Organization } from "../../generated/prisma/client.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import { cellGroupsOfPass, dailyTimes, leadersOf, toChats } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

/**
 * Every day at the cell's `dailyAt`, the secretary of a cell with a probationary member whose
 * 12 months from admission end within `probationNoticeDays` (default 30) is reminded to prepare
 * full membership (chuyển đảng chính thức). Once per member and admission date.
 */
export function probationJob(deps: JobDeps): Job {
  return {
    name: "probation-notice",
    async occurrences(window) {
      const due: Occurrence[] = [];
      for (const { top, cellIds, settings } of await cellGroupsOfPass(deps.db, window.to)) {
        const times = dailyTimes(window, settings.dailyAt);
        if (times.length === 0) continue;
        // By the tree's path, not a list of cells: a province has thousands.
        const members = await deps.db.member.findMany({
          where: { cell: { path: { startsWith: top.path } }, status: "probationary", fullMembershipOn: null, deactivatedAt: null },
          include: { cell: true },
          orderBy: { id: "asc" },
        });
        for (const { day, at } of times) {
          for (const member of members) {
            if (!cellIds.has(member.cellId)) continue;
            const notice = probationNoticeDue(member, day, settings.probationNoticeDays);
            if (!notice) continue;
            due.push({ slot: `${member.id}:${member.admittedOn}`, dueAt: at, run: (now) => remind(deps, member, member.cell, day, notice.ends, now) });
          }
        }
      }
      return due;
    },
  };
}

async function remind(deps: JobDeps, member: Member, cell: Organization, today: LocalDate, ends: LocalDate, now: Date): Promise<QueuedMessage[]> {
  // The secretary; a cell without one, its deputies.
  let leaders = await leadersOf(deps.db, cell.id, ["secretary"]);
  if (leaders.length === 0) leaders = await leadersOf(deps.db, cell.id, ["deputy_secretary"]);
  const chats = await chatsOfMembers(deps.db, leaders);
  await auditRead(deps.db, now, pushedTo(chats.map((c) => c.memberId)), { subjectType: "Member", subjectId: member.id, detail: "probation notice" });
  const admitted = parseIsoDate(member.admittedOn!)!;
  const messages = toChats(deps, chats, `probation:${member.id}:${member.admittedOn}`, (t) => ({
    text: t("followUp:probationNotice", { name: member.fullName, cell: cell.name, admitted: formatDisplayDate(admitted), ends: formatDisplayDate(ends), count: daysBetween(today, ends) }),
  }));
  return messages;
}
