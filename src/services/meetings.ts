import { DomainError } from "../domain/errors.ts";
import { fromLocal, parseIsoDate, toLocal } from "../domain/localTime.ts";
import { regularMeetingAfter, upcomingMeetings, type MeetingPolicy } from "../domain/meetingCalendar.ts";
import { checkPostponement } from "../domain/postponement.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { rowToRule } from "./meetingRules.ts";
import { loadOrgIndex } from "./orgIndex.ts";
import type { OrganizationService } from "./organizations.ts";

const MS_PER_DAY = 86_400_000;

export interface UpcomingMeeting {
  cell: Organization;
  /** The start the rule gives. */
  scheduledAt: Date;
  /** The start it really has: the postponed one when it was moved. */
  startsAt: Date;
  place: string | null;
  agenda: string | null;
  postponeReason: string | null;
}

export interface CellPolicy extends MeetingPolicy {
  maxPostponeDays: number;
}

export function createMeetingService(deps: { db: Db; organizations: OrganizationService }) {
  const { db, organizations } = deps;

  /**
   * Each cell's policy: its own shift setting, the days off that apply to it (statutory, and
   * listed on it or above it, nearest wins) and the postponement limit it inherits. Read with two
   * queries for any number of cells, since cells share their ancestors.
   */
  async function policiesFor(cells: Organization[], rules: Map<number, { shiftOffDays: boolean }>): Promise<Map<number, CellPolicy>> {
    const index = await loadOrgIndex(db, cells);
    return new Map(cells.map((cell) => [cell.id, {
      ...index.meetingPolicy(cell.id, rules.get(cell.id)?.shiftOffDays ?? false),
      maxPostponeDays: index.settings(cell.id).maxPostponeDays,
    }]));
  }

  async function policyFor(cell: Organization): Promise<CellPolicy> {
    const rule = await db.meetingRule.findUnique({ where: { cellId: cell.id } });
    return (await policiesFor([cell], new Map(rule ? [[cell.id, rule]] : []))).get(cell.id)!;
  }

  /**
   * The next `count` meetings of every cell in the subtree, soonest first; cells without a rule
   * are listed apart. Rules and stored meetings are read by the subtree's path, so a province of
   * thousands of cells binds no parameter per cell.
   */
  async function upcoming(orgCode: string, options: { from: Date; count: number }) {
    const root = await organizations.findByCode(orgCode);
    const inSubtree = { path: { startsWith: root.path }, level: "cell" };
    const [cells, rules] = await Promise.all([
      db.organization.findMany({ where: inSubtree, orderBy: { id: "asc" } }),
      db.meetingRule.findMany({ where: { cell: inSubtree } }),
    ]);
    const ruleByCell = new Map(rules.map((r) => [r.cellId, r]));
    const withRule = cells.filter((cell) => ruleByCell.has(cell.id));
    const policies = await policiesFor(withRule, ruleByCell);
    // Start each search a few days back so a meeting postponed past `from` is still found.
    const planned = withRule.map((cell) => {
      const policy = policies.get(cell.id)!;
      const lookBack = new Date(options.from.getTime() - (policy.maxPostponeDays + 1) * MS_PER_DAY);
      return { cell, rule: ruleByCell.get(cell.id)!, starts: upcomingMeetings(rowToRule(ruleByCell.get(cell.id)!), lookBack, options.count + 1, policy) };
    });
    const earliest = Math.min(...planned.flatMap((p) => p.starts.map((s) => s.getTime())));
    const stored = planned.length
      ? await db.meeting.findMany({ where: { cell: inSubtree, scheduledAt: { gte: new Date(earliest) } } })
      : [];
    const storedByKey = new Map(stored.map((m) => [`${m.cellId}:${m.scheduledAt.getTime()}`, m]));
    const meetings: UpcomingMeeting[] = planned.flatMap(({ cell, rule, starts }) =>
      starts
        .map((scheduledAt) => {
          const row = storedByKey.get(`${cell.id}:${scheduledAt.getTime()}`);
          return {
            cell,
            scheduledAt,
            startsAt: row?.postponedTo ?? scheduledAt,
            place: row?.place ?? rule.place,
            agenda: row?.agenda ?? null,
            postponeReason: row?.postponeReason ?? null,
          };
        })
        .filter((m) => m.startsAt.getTime() > options.from.getTime())
        .slice(0, options.count),
    );
    meetings.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.cell.id - b.cell.id);
    return { meetings, withoutRule: cells.filter((cell) => !ruleByCell.has(cell.id)) };
  }

  /**
   * Moves a cell's meeting later, within the limit that applies to it and with a reason. Without
   * `regularDate` it moves the meeting whose postponement window is still open.
   */
  async function postpone(input: { cellCode: string; regularDate?: string; newStart: Date; reason: string; now: Date; actorId?: number }) {
    const cell = await organizations.findByCode(input.cellCode);
    const rule = cell.level === "cell" ? await db.meetingRule.findUnique({ where: { cellId: cell.id } }) : null;
    if (!rule) throw new DomainError("org:noMeetingRule", { code: cell.code });
    const policy = await policyFor(cell);
    const regularStart = findRegularStart(rowToRule(rule), policy, input);
    const checked = checkPostponement({
      regularStart,
      newStart: input.newStart,
      reason: input.reason,
      maxDays: policy.maxPostponeDays,
      now: input.now,
    });
    const meeting = await db.meeting.upsert({
      where: { cellId_scheduledAt: { cellId: cell.id, scheduledAt: regularStart } },
      create: { cellId: cell.id, scheduledAt: regularStart, place: rule.place, postponedTo: checked.newStart, postponeReason: checked.reason, postponedById: input.actorId ?? null },
      update: { postponedTo: checked.newStart, postponeReason: checked.reason, postponedById: input.actorId ?? null, superiorInformedAt: null },
    });
    const superior = await organizations.superiorOf(cell);
    return { meeting, cell, superior, maxPostponeDays: policy.maxPostponeDays };
  }

  /**
   * The meeting a secretary may still move now: the regular start whose window is open, where it
   * stands (moved or not) and the days it may move to, each at the regular time of day.
   */
  async function postponable(cellCode: string, now: Date) {
    const cell = await organizations.findByCode(cellCode);
    const rule = cell.level === "cell" ? await db.meetingRule.findUnique({ where: { cellId: cell.id } }) : null;
    if (!rule) throw new DomainError("org:noMeetingRule", { code: cell.code });
    const policy = await policyFor(cell);
    const regularStart = findRegularStart(rowToRule(rule), policy, { now });
    const stored = await db.meeting.findUnique({ where: { cellId_scheduledAt: { cellId: cell.id, scheduledAt: regularStart } } });
    const choices = Array.from({ length: policy.maxPostponeDays }, (_, i) => new Date(regularStart.getTime() + (i + 1) * MS_PER_DAY))
      .filter((start) => start.getTime() > now.getTime());
    return { cell, regularStart, startsAt: stored?.postponedTo ?? regularStart, reason: stored?.postponeReason ?? null, maxPostponeDays: policy.maxPostponeDays, choices };
  }

  return { upcoming, postpone, postponable, policyFor };
}

function findRegularStart(
  rule: ReturnType<typeof rowToRule>,
  policy: CellPolicy,
  input: { regularDate?: string; now: Date },
): Date {
  if (input.regularDate) {
    const day = parseIsoDate(input.regularDate);
    if (!day) throw new DomainError("meeting:invalidDate", { value: input.regularDate });
    const dayStart = fromLocal({ ...day, hour: 0, minute: 0 });
    const candidate = regularMeetingAfter(rule, new Date(dayStart.getTime() - 1), policy);
    const local = toLocal(candidate);
    if (local.year !== day.year || local.month !== day.month || local.day !== day.day) {
      throw new DomainError("meeting:noMeetingOnDate", { value: input.regularDate });
    }
    return candidate;
  }
  // The latest regular meeting whose postponement window has not closed yet.
  const windowStart = new Date(input.now.getTime() - (policy.maxPostponeDays + 1) * MS_PER_DAY);
  return regularMeetingAfter(rule, windowStart, policy);
}

export type MeetingService = ReturnType<typeof createMeetingService>;
