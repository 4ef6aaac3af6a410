import type { QueuedMessage } from "../../delivery/outbox.ts";
import { heldButtons } from "../../core/features/meetingHeld.ts";
import { correctButtons, formatRoster } from "../../core/features/rollCall.ts";
import { pushedTo } from "../../services/audit.ts";
import { chatsOfMembers } from "../../services/recipients.ts";
import type { UpcomingMeeting } from "../../services/meetings.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import { cellGroupsOfPass, dailyTimes, leadersOf, toChats } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

const HOUR = 3_600_000;

/**
 * `afterMeetingHours` (default 3) after a meeting starts, its cell's secretary and deputies get the
 * attendance summary (present, absent with reasons, no answer, exempt) and "was it held?" with the
 * buttons "Đã họp" / "Chưa họp được", and the button to record or correct who really came. One slot per meeting and start: a meeting postponed after
 * the summary went out is asked about again after its new start. Nothing goes for a meeting
 * already marked held.
 */
export function afterMeetingJob(deps: JobDeps): Job {
  return {
    name: "after-meeting",
    async occurrences({ from, to }) {
      const due: Occurrence[] = [];
      const groups = await cellGroupsOfPass(deps.db, to);
      if (groups.length === 0) return due;
      // Cheap first, as most passes are a minute with nothing due: a meeting starts at its rule's
      // time of day, or at a moved start stored on its row.
      const longest = Math.max(...groups.map((g) => g.settings.afterMeetingHours)) * HOUR;
      const [ruleTimes, moved] = await Promise.all([
        deps.db.meetingRule.findMany({ select: { time: true }, distinct: ["time"] }),
        deps.db.meeting.count({ where: { postponedTo: { gt: new Date(from.getTime() - longest), lte: to } } }),
      ]);
      for (const { top, cellIds, settings } of groups) {
        const after = settings.afterMeetingHours * HOUR;
        const starts = { from: new Date(from.getTime() - after), to: new Date(to.getTime() - after) };
        if (moved === 0 && !ruleTimes.some((rule) => dailyTimes(starts, rule.time).length > 0)) continue;
        // Meetings that started in (from − after, to − after]: monthly, so one per cell is enough.
        const { meetings } = await deps.services.meetings.upcoming(top.code, { from: starts.from, count: 1 });
        for (const meeting of meetings) {
          if (!cellIds.has(meeting.cell.id)) continue;
          const at = new Date(meeting.startsAt.getTime() + after);
          if (at <= from || at > to) continue;
          due.push({ slot: `${meeting.cell.id}:${meeting.scheduledAt.toISOString()}:${meeting.startsAt.toISOString()}`, dueAt: at, run: (now) => summarize(deps, meeting, now) });
        }
      }
      return due;
    },
  };
}

async function summarize(deps: JobDeps, planned: UpcomingMeeting, now: Date): Promise<QueuedMessage[]> {
  const row = await deps.db.meeting.upsert({
    where: { cellId_scheduledAt: { cellId: planned.cell.id, scheduledAt: planned.scheduledAt } },
    create: { cellId: planned.cell.id, scheduledAt: planned.scheduledAt, place: planned.place },
    update: {},
  });
  // Marked held already, or moved again since this slot was planned: nothing to ask.
  if (row.status === "held" || (row.postponedTo ?? row.scheduledAt).getTime() !== planned.startsAt.getTime()) return [];
  const chats = await chatsOfMembers(deps.db, await leadersOf(deps.db, planned.cell.id));
  // Logged as read by each leader it goes to.
  const roster = await deps.services.attendance.roster(row.id, pushedTo(chats.map((c) => c.memberId)), now);
  const messages = toChats(deps, chats, `after-meeting:${row.id}:${planned.startsAt.getTime()}`, (t) => ({
    text: `${formatRoster(t, roster)}\n\n${t("followUp:askHeld")}`,
    buttons: [...heldButtons(t, row.id), ...correctButtons(t, row.id)],
  }));
  return messages;
}
