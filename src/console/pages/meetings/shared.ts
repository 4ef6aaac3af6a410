import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { TFunction } from "i18next";
import { allows, scopePaths } from "../../../domain/consoleAccess.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { addMonths, pad, toLocal } from "../../../domain/localTime.ts";
import type { MeetingStatus } from "../../../domain/meetingStatus.ts";
import type { MeetingViewer } from "../../../services/meetingScope.ts";
import type { Viewer } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html, type Html } from "../../html.ts";

export const NS = "consoleMeetings";

/** The viewer as the meeting services check them: the console's grants for this area. */
export function meetingViewer(viewer: Viewer): MeetingViewer {
  return { memberId: viewer.id, roles: viewer.roles, may: (path, need) => allows(viewer.roles, "meetings", path, need) };
}

/** Only those with a role that sees meetings somewhere reach the area at all. */
export function areaGate(req: Request, res: Response, next: NextFunction): void {
  const viewer = res.locals.viewer as Viewer | undefined;
  if (!viewer || scopePaths(viewer.roles, "meetings", "see").length === 0) return next(new NotFound());
  next();
}

/** An async handler whose "not found" (missing, or outside scope) is the console's 404 page. */
export function handler(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    fn(req, res).catch((error: unknown) => next(error instanceof NotFoundError ? new NotFound() : error));
  };
}

/** A month from "YYYY-MM"; undefined when absent; null when unreadable. */
export function parseMonth(value: unknown): { year: number; month: number } | null | undefined {
  if (value === undefined || value === "") return undefined;
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 2000 && year <= 2100 && month >= 1 && month <= 12 ? { year, month } : null;
}

export const monthKey = (m: { year: number; month: number }) => `${m.year}-${pad(m.month)}`;
export const shiftMonth = (m: { year: number; month: number }, by: number) => addMonths(m.year, m.month, by);
export const thisMonth = (now: Date) => ({ year: toLocal(now).year, month: toLocal(now).month });

const STATUS_CLASS: Record<MeetingStatus, string> = {
  planned: "meetings-status", postponed: "meetings-status meetings-status-moved", unreported: "meetings-status meetings-status-late",
  held: "meetings-status meetings-status-held", not_held: "meetings-status meetings-status-late",
};

export function statusBadge(t: TFunction, status: MeetingStatus): Html {
  return html`<span class="${STATUS_CLASS[status]}">${t(`${NS}:status_${status}`)}</span>`;
}

/** "19:30" from an instant, for the time field's default. */
export function timeOfDay(at: Date): string {
  const local = toLocal(at);
  return `${pad(local.hour)}:${pad(local.minute)}`;
}
