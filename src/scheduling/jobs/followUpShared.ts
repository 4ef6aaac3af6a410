import type { TFunction } from "i18next";
import type { OutboundMessage } from "../../channels/types.ts";
import type { MemberChat } from "../../services/recipients.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { addDays, fromLocal, localDateOf, type LocalDate } from "../../domain/localTime.ts";
import { isLanguage } from "../../i18n.ts";
import type { Db } from "../../storage/database.ts";
import type { ScheduleSettings } from "../../domain/scheduleSettings.ts";
import type { Organization } from "../../generated/prisma/client.ts";
import { passOrganizations } from "../meetingPlan.ts";
import type { JobDeps } from "./jobDeps.ts";

/**
 * Cells of one tree that share their settings: the daily follow-up jobs plan for each group at
 * its own time. Most trees are one group; a commune or a cell that sets its own values is another.
 */
export interface CellGroup {
  top: Organization;
  cellIds: Set<number>;
  settings: ScheduleSettings;
  maxPostponeDays: number;
}

const passGroups = new WeakMap<Db, { to: number; groups: Promise<CellGroup[]> }>();

/**
 * The cell groups, read once per scheduler pass: the follow-up jobs all ask with the same window
 * end in one pass, and most passes (a minute) have nothing for them to do.
 */
export function cellGroupsOfPass(db: Db, to: Date): Promise<CellGroup[]> {
  const cached = passGroups.get(db);
  if (cached && cached.to === to.getTime()) return cached.groups;
  const groups = cellGroups(db, to);
  passGroups.set(db, { to: to.getTime(), groups });
  groups.catch(() => passGroups.delete(db));
  return groups;
}

async function cellGroups(db: Db, to: Date): Promise<CellGroup[]> {
  const { index, tops } = await passOrganizations(db, to);
  const byKey = new Map<string, CellGroup>();
  const topOf = new Map(tops.map((top) => [top.id, top]));
  for (const org of index.all) {
    if (org.level !== "cell") continue;
    const top = topOf.get(index.chain(org.id)[0]?.id ?? -1);
    if (!top) continue;
    const { schedule, maxPostponeDays } = index.settings(org.id);
    const key = `${top.id}:${JSON.stringify([schedule, maxPostponeDays])}`;
    const group = byKey.get(key) ?? { top, cellIds: new Set<number>(), settings: schedule, maxPostponeDays };
    group.cellIds.add(org.id);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/** Each local day's `at` ("07:00") that falls in (from, to], with its day. */
export function dailyTimes(window: { from: Date; to: Date }, at: string): { day: LocalDate; at: Date }[] {
  const [hour, minute] = at.split(":").map(Number) as [number, number];
  const times: { day: LocalDate; at: Date }[] = [];
  // The window is the catch-up window or a minute, so this walks a few days at most.
  for (let day = localDateOf(window.from); ; day = addDays(day, 1)) {
    const instant = fromLocal({ ...day, hour, minute });
    if (instant > window.to) break;
    if (instant > window.from) times.push({ day, at: instant });
  }
  return times;
}

/** The cell's secretary and deputy secretaries, or only its secretaries. */
export async function leadersOf(db: Db, cellId: number, roles: string[] = ["secretary", "deputy_secretary"]): Promise<number[]> {
  const rows = await db.role.findMany({ where: { organizationId: cellId, role: { in: roles } }, select: { memberId: true }, orderBy: { id: "asc" } });
  return [...new Set(rows.map((r) => r.memberId))];
}

/** One message per chat, in each reader's language, keyed `${key}:${channel}:${chatId}`. */
export function toChats(deps: JobDeps, chats: MemberChat[], key: string, compose: (t: TFunction) => OutboundMessage): QueuedMessage[] {
  return chats.map((chat) => {
    const t = deps.translator.t(isLanguage(chat.language) ? chat.language : deps.defaultLanguage);
    return { dedupeKey: `${key}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId, message: compose(t) };
  });
}
