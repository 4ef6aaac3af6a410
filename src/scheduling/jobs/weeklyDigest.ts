import { digestMessage, periodOf } from "../../core/features/reviewMessages.ts";
import { textBudget } from "../../core/textBudget.ts";
import { pushedTo } from "../../services/audit.ts";
import { chatsOfMembers } from "../../services/recipients.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { addDays, formatIsoDate, fromLocal, localDateOf, toLocal } from "../../domain/localTime.ts";
import { isLanguage } from "../../i18n.ts";
import { passOrganizations } from "../meetingPlan.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import type { JobDeps } from "./jobDeps.ts";

/**
 * Every week (default Monday 07:30, or what applies to the organization reviewed) each committee
 * reviewer gets the feedback digest of last week for the organization they review, overdue items
 * included. Weeks missed while chibo was down are merged: one digest, never two.
 */
export function weeklyDigestJob(deps: JobDeps): Job {
  return {
    name: "weekly-digest",
    async occurrences({ from, to }) {
      const due: Occurrence[] = [];
      const reviewed = await deps.db.role.findMany({ where: { role: "reviewer" }, select: { organizationId: true }, distinct: ["organizationId"], orderBy: { organizationId: "asc" } });
      if (reviewed.length === 0) return due;
      const { index } = await passOrganizations(deps.db, to);
      for (const { organizationId } of reviewed) {
        const settings = index.settings(organizationId).schedule;
        const [hour, minute] = settings.digest.at.split(":").map(Number) as [number, number];
        // Walk the local days of the window; at most a few, as the window is the catch-up window or a minute.
        for (let day = localDateOf(from); ; day = addDays(day, 1)) {
          const at = fromLocal({ ...day, hour, minute });
          if (at > to) break;
          if (at <= from || toLocal(at).weekday !== settings.digest.weekday) continue;
          due.push({ slot: `${organizationId}:${formatIsoDate(day)}`, dueAt: at, mergeKey: String(organizationId), run: (now) => sendDigests(deps, organizationId, now) });
        }
      }
      return due;
    },
  };
}

async function sendDigests(deps: JobDeps, organizationId: number, now: Date): Promise<QueuedMessage[]> {
  const roles = await deps.db.role.findMany({ where: { role: "reviewer", organizationId }, select: { memberId: true }, orderBy: { id: "asc" } });
  const chats = await chatsOfMembers(deps.db, roles.map((r) => r.memberId));
  if (chats.length === 0) return [];
  const period = periodOf("lastweek", now);
  const weekKey = formatIsoDate(localDateOf(period.from));
  // One digest for the organization, logged as read by each reviewer it goes to.
  const readers = pushedTo(chats.map((c) => c.memberId));
  const digest = await deps.feedback.digest({ orgId: organizationId, from: period.from, to: period.to, now }, readers);
  return chats.map((chat) => {
    const t = deps.translator.t(isLanguage(chat.language) ? chat.language : "vi");
    const message = digestMessage(t, digest, "lastweek", textBudget(chat.channel));
    return {
      dedupeKey: `digest:${weekKey}:${organizationId}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
      message: { ...message, text: `${t("reminders:digestIntro")}\n\n${message.text}` },
    };
  });
}
