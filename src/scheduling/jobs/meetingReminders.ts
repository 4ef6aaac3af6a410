import type { TFunction } from "i18next";
import { attendanceButtons } from "../../core/features/attendanceMessages.ts";
import { reachOfCells, type MemberChat } from "../../services/recipients.ts";
import type { QueuedMessage } from "../../delivery/outbox.ts";
import { isExemptOn } from "../../domain/exemption.ts";
import { addDays, fromLocal, localDateOf, toLocal } from "../../domain/localTime.ts";
import { offsetKey, type ReminderOffset } from "../../domain/scheduleSettings.ts";
import { formatMeetingTime } from "../../formatTime.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { isLanguage, type Language } from "../../i18n.ts";
import type { Job, Occurrence } from "../scheduler.ts";
import type { JobDeps } from "./jobDeps.ts";
import { plannedMeetings, type PlannedMeeting } from "../meetingPlan.ts";


/** When a reminder with this offset goes out for a meeting starting at `startsAt`. */
export function reminderTime(startsAt: Date, offset: ReminderOffset): Date {
  if ("hoursBefore" in offset) return new Date(startsAt.getTime() - offset.hoursBefore * 3_600_000);
  const day = addDays(localDateOf(startsAt), -offset.daysBefore);
  const [hour, minute] = offset.at.split(":").map(Number) as [number, number];
  return fromLocal({ ...day, hour, minute });
}

/**
 * Meeting reminders at the offsets that apply to each cell (default 3 days before at 08:00 and 2 hours
 * before), asking for attendance with the buttons, and the nudge the day before to those who
 * have not answered. A postponed meeting has a new start, so new slots: it is announced again,
 * with its reason. Exempt members are not asked; unlinked ones are counted for the secretary.
 */
export function meetingRemindersJob(deps: JobDeps): Job {
  return {
    name: "meeting-reminder",
    async occurrences({ from, to }) {
      const meetings = await plannedMeetings(deps, { from, to });
      const due: Occurrence[] = [];
      // What the runs of this pass read, in batches of cells rather than once per meeting.
      const batch = new ReminderBatch(deps);
      for (const meeting of meetings) {
        const { settings } = meeting;
        const offsets: { key: string; at: Date; nudge: boolean; first: boolean }[] = settings.reminders.map((o, i) => ({ key: offsetKey(o), at: reminderTime(meeting.startsAt, o), nudge: false, first: i === 0 }));
        if (settings.nudge) offsets.push({ key: `nudge-d${settings.nudge.daysBefore}@${settings.nudge.at.replace(":", "")}`, at: reminderTime(meeting.startsAt, settings.nudge), nudge: true, first: false });
        for (const offset of offsets) {
          if (offset.at <= from || offset.at > to) continue;
          batch.add(meeting, offset.at, offset.nudge);
          due.push({
            slot: `${meeting.cell.id}:${meeting.startsAt.toISOString()}:${offset.key}`,
            dueAt: offset.at,
            run: (now) => remind(deps, batch, meeting, offset, now),
          });
        }
      }
      return due;
    },
  };
}

/** How many cells' members, chats and meetings are read at once. */
const BATCH_CELLS = 100;

type Reach = Awaited<ReturnType<typeof reachOfCells>>;
interface CellReach {
  members: Reach["members"];
  chats: Reach["chats"];
  groups: Reach["groups"];
  leaders: Reach["chats"];
}

/**
 * The data the due reminders of one scheduler pass need, read for many cells at a time when the
 * first of them runs: members, chats, groups and leaders of each cell, the meetings' rows
 * (created together when missing), and the answers when a nudge is due. A cell's data is
 * dropped once its last due reminder has run.
 */
class ReminderBatch {
  private readonly pending = new Map<number, { meetings: Map<number, PlannedMeeting>; firstDue: number; runs: number; nudge: boolean }>();
  private order: number[] | undefined;
  private readonly loaded = new Map<number, CellReach>();
  private readonly meetingIds = new Map<string, number>();
  private readonly answers = new Map<number, Set<number>>();
  private readonly translators = new Map<string, TFunction>();
  private readonly deps: JobDeps;

  constructor(deps: JobDeps) {
    this.deps = deps;
  }

  /** The pass's translator for a language: it remembers each line it wrote (most repeat: the date, the place, the question, the buttons). */
  t(language: Language): TFunction {
    let t = this.translators.get(language);
    if (!t) {
      t = remembering(this.deps.translator.t(language));
      this.translators.set(language, t);
    }
    return t;
  }

  add(meeting: PlannedMeeting, dueAt: Date, nudge: boolean) {
    const cell = this.pending.get(meeting.cell.id) ?? { meetings: new Map(), firstDue: dueAt.getTime(), runs: 0, nudge: false };
    cell.meetings.set(meeting.scheduledAt.getTime(), meeting);
    cell.firstDue = Math.min(cell.firstDue, dueAt.getTime());
    cell.runs += 1;
    cell.nudge ||= nudge;
    this.pending.set(meeting.cell.id, cell);
  }

  /** The cell's data and the meeting's row id; reads the batch the cell is in if needed. */
  async get(meeting: PlannedMeeting, now: Date): Promise<{ reach: CellReach; meetingId: number; answered: Set<number> }> {
    if (!this.loaded.has(meeting.cell.id)) await this.load(meeting.cell.id, now);
    const reach = this.loaded.get(meeting.cell.id)!;
    const meetingId = this.meetingIds.get(meetingKey(meeting.cell.id, meeting.scheduledAt));
    if (meetingId !== undefined) return { reach, meetingId, answered: this.answers.get(meetingId) ?? new Set() };
    // Not among the batch's rows (removed meanwhile): this one alone, as it is now.
    const { db } = this.deps;
    const row = await db.meeting.upsert({
      where: { cellId_scheduledAt: { cellId: meeting.cell.id, scheduledAt: meeting.scheduledAt } },
      create: { cellId: meeting.cell.id, scheduledAt: meeting.scheduledAt, place: meeting.place },
      update: {},
    });
    const answers = await db.attendance.findMany({ where: { meetingId: row.id }, select: { memberId: true } });
    return { reach, meetingId: row.id, answered: new Set(answers.map((a) => a.memberId)) };
  }

  /** One run of the cell is over: its data goes when none is left. */
  done(cellId: number) {
    const cell = this.pending.get(cellId);
    if (!cell || --cell.runs > 0) return;
    this.loaded.delete(cellId);
  }

  private async load(cellId: number, now: Date) {
    // The cells in the order their reminders run (soonest due first), from this one on.
    this.order ??= [...this.pending.entries()].sort((a, b) => a[1].firstDue - b[1].firstDue).map(([id]) => id);
    const cellIds = [cellId, ...this.order.filter((id) => id !== cellId && !this.loaded.has(id) && (this.pending.get(id)?.runs ?? 0) > 0)].slice(0, BATCH_CELLS);
    const { db } = this.deps;
    // The rows of the meetings about to be reminded of (never of one already begun).
    const meetings = cellIds.flatMap((id) => [...this.pending.get(id)!.meetings.values()]).filter((m) => m.startsAt.getTime() > now.getTime());
    if (meetings.length) {
      // What the upsert of each would do, for all at once: create the missing, leave the rest.
      const at = new Date();
      for (let i = 0; i < meetings.length; i += 150) {
        await db.$executeRaw`
          INSERT INTO "Meeting" ("cellId", "scheduledAt", "place", "createdAt", "updatedAt")
          VALUES ${Prisma.join(meetings.slice(i, i + 150).map((m) => Prisma.sql`(${m.cell.id}, ${m.scheduledAt}, ${m.place}, ${at}, ${at})`))}
          ON CONFLICT ("cellId", "scheduledAt") DO NOTHING`;
      }
      const rows = await db.meeting.findMany({
        where: { cellId: { in: cellIds }, scheduledAt: { in: [...new Set(meetings.map((m) => m.scheduledAt.getTime()))].map((t) => new Date(t)) } },
        select: { id: true, cellId: true, scheduledAt: true },
      });
      for (const row of rows) this.meetingIds.set(meetingKey(row.cellId, row.scheduledAt), row.id);
      if (cellIds.some((id) => this.pending.get(id)!.nudge)) {
        const answers = await db.attendance.findMany({ where: { meetingId: { in: rows.map((r) => r.id) } }, select: { meetingId: true, memberId: true } });
        for (const a of answers) {
          const set = this.answers.get(a.meetingId) ?? new Set<number>();
          set.add(a.memberId);
          this.answers.set(a.meetingId, set);
        }
      }
    }
    const reach = await reachOfCells(db, cellIds);
    const byCell = new Map<number, CellReach>(cellIds.map((id) => [id, { members: [], chats: [], groups: [], leaders: reach.leaders.get(id) ?? [] }]));
    const cellOf = new Map<number, number>();
    for (const m of reach.members) {
      byCell.get(m.cellId)!.members.push(m);
      cellOf.set(m.id, m.cellId);
    }
    for (const chat of reach.chats) byCell.get(cellOf.get(chat.memberId)!)!.chats.push(chat);
    for (const group of reach.groups) byCell.get(group.cellId)!.groups.push(group);
    for (const [id, data] of byCell) this.loaded.set(id, data);
  }
}

/** The same translations, each looked up once: i18next is pure for a given key, options and language. */
function remembering(t: TFunction): TFunction {
  const said = new Map<string, string>();
  const lookUp = t as unknown as (key: unknown, options?: unknown) => string;
  return ((key: unknown, options?: unknown) => {
    if (typeof key !== "string") return lookUp(key, options);
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    let text = said.get(id);
    if (text === undefined) {
      text = lookUp(key, options);
      said.set(id, text);
    }
    return text;
  }) as unknown as TFunction;
}

const meetingKey = (cellId: number, scheduledAt: Date) => `${cellId}:${scheduledAt.getTime()}`;

async function remind(deps: JobDeps, batch: ReminderBatch, meeting: PlannedMeeting, offset: { key: string; nudge: boolean; first: boolean }, now: Date): Promise<QueuedMessage[]> {
  try {
    // A reminder caught up after the meeting began would only confuse.
    if (now.getTime() >= meeting.startsAt.getTime()) return [];
    const { reach, meetingId, answered } = await batch.get(meeting, now);
    const day = toLocal(meeting.startsAt);
    const expected = reach.members.filter((m) => !isExemptOn(m, day));
    const asked = new Set((offset.nudge ? expected.filter((m) => !answered.has(m.id)) : expected).map((m) => m.id));
    const chats = reach.chats.filter((chat) => asked.has(chat.memberId));
    const key = `reminder:${meetingId}:${meeting.startsAt.getTime()}:${offset.key}`;
    // The text and buttons once per language, not once per chat.
    const inLanguage = new Map<string, { text: string; buttons: ReturnType<typeof attendanceButtons> }>();
    const content = (language: Language) => {
      let found = inLanguage.get(language);
      if (!found) {
        const t = batch.t(language);
        found = { text: reminderText(t, meeting, offset.nudge), buttons: attendanceButtons(t, meetingId) };
        inLanguage.set(language, found);
      }
      return found;
    };
    const messages: QueuedMessage[] = chats.map((chat) => {
      const { text, buttons } = content(isLanguage(chat.language) ? chat.language : "vi");
      return { dedupeKey: `${key}:${chat.channel}:${chat.chatId}`, channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId, message: { text, buttons } };
    });
    if (!offset.nudge) {
      for (const group of reach.groups) {
        const { text, buttons } = content(deps.defaultLanguage);
        messages.push({ dedupeKey: `${key}:group:${group.channel}:${group.externalChatId}`, channel: group.channel, chatId: group.externalChatId, isGroup: true, message: { text, buttons } });
      }
    }
    if (offset.first) messages.push(...unlinkedNote(batch, meeting, reach.leaders, expected, new Set(chats.map((c) => c.memberId)), key));
    return messages;
  } finally {
    batch.done(meeting.cell.id);
  }
}

/** Stands for the cell's name in a translated line (interpolation does not escape values). */
const CELL_NAME = "\u0000cell\u0000";

function reminderText(t: TFunction, meeting: PlannedMeeting, nudge: boolean): string {
  // The line is translated once per time of day and language, and the cell's name put in after:
  // thousands of cells share a handful of meeting times.
  const line = t(nudge ? "reminders:nudge" : "reminders:reminder", { cell: CELL_NAME, when: formatMeetingTime(t, meeting.startsAt) });
  const lines = [line.replace(CELL_NAME, () => meeting.cell.name)];
  if (meeting.place) lines.push(t("chat:meetingPlace", { place: meeting.place }));
  if (meeting.agenda) lines.push(t("chat:meetingAgenda", { agenda: meeting.agenda }));
  if (meeting.postponeReason) lines.push(t("chat:meetingPostponed", { from: formatMeetingTime(t, meeting.scheduledAt), reason: meeting.postponeReason }));
  lines.push(t("reminders:question"));
  return lines.join("\n");
}

/** With the first reminder, the secretary learns who chibo cannot reach and must be told in person. */
function unlinkedNote(batch: ReminderBatch, meeting: PlannedMeeting, leaders: MemberChat[], expected: { id: number; fullName: string }[], reached: Set<number>, key: string): QueuedMessage[] {
  const unlinked = expected.filter((m) => !reached.has(m.id));
  if (unlinked.length === 0) return [];
  return leaders.map((chat) => {
    const t = batch.t(isLanguage(chat.language) ? chat.language : "vi");
    return {
      dedupeKey: `${key}:unlinked:${chat.channel}:${chat.chatId}`,
      channel: chat.channel, chatId: chat.chatId, memberId: chat.memberId,
      message: { text: t("reminders:unlinked", { count: unlinked.length, when: formatMeetingTime(t, meeting.startsAt), names: unlinked.map((m) => m.fullName).join(", ") }) },
    };
  });
}
