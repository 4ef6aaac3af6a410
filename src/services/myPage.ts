import type { Db } from "../storage/database.ts";
import type { MeetingService } from "./meetings.ts";
import { loadOrgIndex } from "./orgIndex.ts";

/** Upcoming meetings shown on a member's own page. */
const UPCOMING_COUNT = 3;
/** How far back a member's own page reaches. */
const PAST_DAYS = 365;
const MS_PER_DAY = 86_400_000;
/** More meetings than a year of the most frequent rule (weekly) gives. */
const MAX_MEETINGS_PER_YEAR = 60;

/** One meeting of the member's cell (or a cell they answered for before moving), with their answer. */
export interface MyMeeting {
  cellName: string;
  startsAt: Date;
  place: string | null;
  /** Why it was moved, when it was. */
  postponeReason: string | null;
  /** "planned" | "held" | "not_held" (as the cell's officers recorded it). */
  status: string;
  answer: "present" | "absent" | null;
  reason: string | null;
  /** "button" | "text" | "secretary": who recorded the answer. */
  source: string | null;
}

/** One feedback item the member sent, anonymous ones too: they wrote them, and only they see that. */
export interface MyFeedbackItem {
  reference: string;
  createdAt: Date;
  category: string;
  addressee: string;
  agencyName: string | null;
  anonymous: boolean;
  status: string;
  text: string;
  answer: string | null;
  answeredAt: Date | null;
}

/**
 * What a member sees on their own page of the console: their meetings of the last year and the
 * next ones with their answers, and their feedback. Nobody else's data, so nothing here is a read
 * of another person's data to log.
 */
export function createMyPageService(deps: { db: Db; meetings: MeetingService }) {
  const { db, meetings } = deps;

  async function myMeetings(memberId: number, now: Date): Promise<{ upcoming: MyMeeting[]; past: MyMeeting[] }> {
    const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, include: { cell: true } });
    const since = new Date(now.getTime() - PAST_DAYS * MS_PER_DAY);
    // The calendar from a year back (or from when the member joined): past dates and the next ones.
    const from = new Date(Math.max(since.getTime(), member.createdAt.getTime()));
    const [{ meetings: planned }, stored, answers] = await Promise.all([
      meetings.upcoming(member.cell.code, { from, count: MAX_MEETINGS_PER_YEAR + UPCOMING_COUNT }),
      db.meeting.findMany({ where: { cellId: member.cellId, OR: [{ scheduledAt: { gte: since } }, { postponedTo: { gte: since } }] } }),
      db.attendance.findMany({
        where: { memberId, meeting: { OR: [{ scheduledAt: { gte: since } }, { postponedTo: { gte: since } }] } },
        include: { meeting: { include: { cell: { select: { name: true } } } } },
      }),
    ]);
    const byKey = new Map<string, MyMeeting>();
    const key = (cellId: number, scheduledAt: Date) => `${cellId}:${scheduledAt.getTime()}`;
    for (const m of planned) {
      byKey.set(key(m.cell.id, m.scheduledAt), {
        cellName: m.cell.name, startsAt: m.startsAt, place: m.place, postponeReason: m.postponeReason, status: "planned", answer: null, reason: null, source: null,
      });
    }
    for (const m of stored) {
      const known = byKey.get(key(m.cellId, m.scheduledAt));
      byKey.set(key(m.cellId, m.scheduledAt), {
        cellName: member.cell.name, startsAt: m.postponedTo ?? m.scheduledAt, place: m.place ?? known?.place ?? null,
        postponeReason: m.postponeReason, status: m.status, answer: null, reason: null, source: null,
      });
    }
    for (const a of answers) {
      const k = key(a.meeting.cellId, a.meeting.scheduledAt);
      const known = byKey.get(k);
      byKey.set(k, {
        cellName: a.meeting.cell.name, startsAt: a.meeting.postponedTo ?? a.meeting.scheduledAt, place: a.meeting.place ?? known?.place ?? null,
        postponeReason: a.meeting.postponeReason, status: a.meeting.status,
        answer: a.answer === "present" || a.answer === "absent" ? a.answer : null, reason: a.reason, source: a.source,
      });
    }
    const all = [...byKey.values()].filter((m) => m.startsAt.getTime() >= since.getTime());
    const upcoming = all.filter((m) => m.startsAt.getTime() > now.getTime()).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).slice(0, UPCOMING_COUNT);
    const past = all.filter((m) => m.startsAt.getTime() <= now.getTime()).sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
    return { upcoming, past };
  }

  /** The member's feedback, newest first, and the unit that names its addressees ("UBND xã"). */
  async function myFeedback(memberId: number): Promise<{ items: MyFeedbackItem[]; unitKind: string | null }> {
    const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, select: { cellId: true, cell: { select: { path: true } } } });
    const [items, index] = await Promise.all([
      db.feedback.findMany({
        where: { authorId: memberId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { reference: true, createdAt: true, category: true, addressee: true, agencyName: true, anonymous: true, status: true, text: true, answer: true, answeredAt: true },
      }),
      loadOrgIndex(db, [member.cell]),
    ]);
    return { items, unitKind: index.unitKind(member.cellId) };
  }

  /** When the member asked for their data to be erased, if they did. */
  async function erasureRequestedAt(memberId: number): Promise<Date | null> {
    const member = await db.member.findUnique({ where: { id: memberId }, select: { eraseRequestedAt: true } });
    return member?.eraseRequestedAt ?? null;
  }

  return { myMeetings, myFeedback, erasureRequestedAt };
}

export type MyPageService = ReturnType<typeof createMyPageService>;
