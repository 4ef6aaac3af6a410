import type { TFunction } from "i18next";
import type { OutboundMessage } from "../../channels/types.ts";
import type { MemberChat } from "../../services/recipients.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { addDays, fromLocal, localDateOf, type LocalDate } from "../../domain/localTime.ts";
import { isLanguage } from "../../i18n.ts";
import type { Db } from "../../storage/database.ts";
import type { ScheduleSettings } from "../../domain/scheduleSettings.ts";
import type { Organization } from "../../generated/prisma/client.ts";
import { districtSettings } from "../meetingPlan.ts";
import type { JobDeps } from "./jobDeps.ts";

type DistrictSettings = { district: Organization; settings: ScheduleSettings }[];
const passSettings = new WeakMap<Db, { to: number; settings: Promise<DistrictSettings> }>();

/**
 * Each district's settings, read once per scheduler pass: the follow-up jobs all ask with the same
 * window end in one pass, and most passes (a minute) have nothing for them to do.
 */
export function districtSettingsOfPass(db: Db, to: Date): Promise<DistrictSettings> {
  const cached = passSettings.get(db);
  if (cached && cached.to === to.getTime()) return cached.settings;
  const settings = districtSettings(db);
  passSettings.set(db, { to: to.getTime(), settings });
  settings.catch(() => passSettings.delete(db));
  return settings;
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
