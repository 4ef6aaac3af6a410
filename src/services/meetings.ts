import { DomainError } from "../domain/errors.ts";
import { fromLocal, parseIsoDate, toLocal } from "../domain/localTime.ts";
import { regularMeetingAfter, upcomingMeetings, type MeetingPolicy } from "../domain/meetingCalendar.ts";
import { checkPostponement, DEFAULT_MAX_POSTPONE_DAYS } from "../domain/postponement.ts";
import type { Organization } from "../generated/prisma/client.ts";
import type { Db } from "../storage/database.ts";
import { rowToRule } from "./meetingRules.ts";
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
   * Each cell's policy: holidays listed anywhere above it, its own shift setting, its district's
   * limit. Read with two queries for any number of cells, since cells share their ancestors.
   */
  async function policiesFor(cells: Organization[], rules: Map<number, { shiftOffDays: boolean }>): Promise<Map<number, CellPolicy>> {
    const pathIds = (cell: Organization) => cell.path.split("/").filter(Boolean).map(Number);
    const ancestorIds = [...new Set(cells.flatMap(pathIds))];
    const [ancestors, holidays] = await Promise.all([
      db.organization.findMany({ where: { id: { in: ancestorIds } }, select: { id: true, level: true, maxPostponeDays: true } }),
      db.holiday.findMany({ where: { organizationId: { in: ancestorIds } }, select: { organizationId: true, date: true } }),
    ]);
    const byId = new Map(ancestors.map((org) => [org.id, org]));
    return new Map(cells.map((cell) => {
      const ids = new Set(pathIds(cell));
      const district = [...ids].map((id) => byId.get(id)).find((org) => org?.level === "district");
      return [cell.id, {
        shiftOffDays: rules.get(cell.id)?.shiftOffDays ?? false,
        holidays: new Set(holidays.filter((h) => ids.has(h.organizationId)).map((h) => h.date)),
        maxPostponeDays: district?.maxPostponeDays ?? DEFAULT_MAX_POSTPONE_DAYS,
      }];
    }));
  }

  async function policyFor(cell: Organization): Promise<CellPolicy> {
    const rule = await db.meetingRule.findUnique({ where: { cellId: cell.id } });
    return (await policiesFor([cell], new Map(rule ? [[cell.id, rule]] : []))).get(cell.id)!;
  }

  /** The next `count` meetings of every cell in the subtree, soonest first; cells without a rule are listed apart. */
  async function upcoming(orgCode: string, options: { from: Date; count: number }) {
    const cells = await organizations.cellsUnder(orgCode);
    const rules = await db.meetingRule.findMany({ where: { cellId: { in: cells.map((c) => c.id) } } });
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
      ? await db.meeting.findMany({ where: { cellId: { in: withRule.map((c) => c.id) }, scheduledAt: { gte: new Date(earliest) } } })
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
   * Moves a cell's meeting later, within its district's limit and with a reason. Without
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
    const superior = cell.parentId ? await db.organization.findUnique({ where: { id: cell.parentId } }) : null;
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
