import type { QueuedMessage } from "../../delivery/outbox.ts";
import { chatsOfMembers, officersOf } from "../../services/recipients.ts";
import { addDays, formatDisplayDate, fromLocal, localDateOf } from "../../domain/localTime.ts";
import { latestAllowedDay } from "../../domain/postponement.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import type { UpcomingMeeting } from "../../services/meetings.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import { cellGroupsOfPass, dailyTimes, leadersOf, toChats } from "./followUpShared.ts";
import type { JobDeps } from "./jobDeps.ts";

/**
 * A meeting not marked held when its postponement window has closed is reported to the officers of
 * the cell's superior committee (the nearest organization above with officers), once per meeting.
 * The window is the regular day plus the cell's maxPostponeDays, to 23:59 local; the report goes at
 * the cell's `dailyAt` the next morning (default 07:00), so a secretary who held it late on the last
 * evening can still answer.
 */
export function meetingNotHeldJob(deps: JobDeps): Job {
  return {
    name: "meeting-not-held",
    async occurrences(window) {
      const due: Occurrence[] = [];
      for (const { top, cellIds, settings, maxPostponeDays: maxDays } of await cellGroupsOfPass(deps.db, window.to)) {
        const times = dailyTimes(window, settings.dailyAt);
        if (times.length === 0) continue;
        // Regular days whose window closed the day before one of these runs.
        const earliestDay = addDays(times[0]!.day, -(maxDays + 1));
        const closedDays = new Map(times.map((time) => [dayKey(addDays(time.day, -(maxDays + 1))), time.at]));
        const { meetings } = await deps.services.meetings.upcoming(top.code, { from: new Date(fromLocal({ ...earliestDay, hour: 0, minute: 0 }).getTime() - 1), count: 2 });
        for (const meeting of meetings) {
          if (!cellIds.has(meeting.cell.id)) continue;
          const at = closedDays.get(dayKey(localDateOf(meeting.scheduledAt)));
          if (!at) continue;
          due.push({ slot: `${meeting.cell.id}:${meeting.scheduledAt.toISOString()}`, dueAt: at, run: () => report(deps, meeting, maxDays) });
        }
      }
      return due;
    },
  };
}

const dayKey = (day: { year: number; month: number; day: number }) => `${day.year}-${day.month}-${day.day}`;

async function report(deps: JobDeps, meeting: UpcomingMeeting, maxDays: number): Promise<QueuedMessage[]> {
  const row = await deps.db.meeting.findUnique({ where: { cellId_scheduledAt: { cellId: meeting.cell.id, scheduledAt: meeting.scheduledAt } } });
  if (row?.status === "held") return [];
  const superior = await deps.services.organizations.superiorOf(meeting.cell);
  if (!superior) return [];
  const chats = await chatsOfMembers(deps.db, await officersOf(deps.db, superior.id));
  if (chats.length === 0) return [];
  const leaders = await deps.db.member.findMany({ where: { id: { in: await leadersOf(deps.db, meeting.cell.id) } }, select: { fullName: true }, orderBy: { id: "asc" } });
  const latest = formatDisplayDate(latestAllowedDay(meeting.scheduledAt, maxDays));
  const messages = toChats(deps, chats, `not-held:${meeting.cell.id}:${meeting.scheduledAt.getTime()}`, (t) => {
    const lines = [t("followUp:notHeldReport", { cell: meeting.cell.name, when: formatMeetingTime(t, meeting.scheduledAt), latest })];
    if (meeting.postponeReason) lines.push(t("followUp:notHeldPostponed", { when: formatMeetingTime(t, meeting.startsAt), reason: meeting.postponeReason }));
    lines.push(leaders.length ? t("followUp:notHeldLeaders", { names: leaders.map((l) => l.fullName).join(", ") }) : t("followUp:notHeldNoLeader"));
    return { text: lines.join("\n") };
  });
  return messages;
}
