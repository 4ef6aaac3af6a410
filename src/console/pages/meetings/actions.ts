import type { Request, Response } from "express";
import { isDomainError, NotFoundError } from "../../../domain/errors.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { idParam } from "../../ui.ts";
import { renderMeeting, type FormProblem } from "./meeting.ts";
import { meetingViewer } from "./shared.ts";

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
};

/**
 * Runs one change of a meeting; a rule's refusal re-renders the page with its sentence at the
 * form (400, nothing changed), a meeting out of reach is "not found".
 */
function change(deps: ConsoleDeps, form: FormProblem["form"], run: (req: Request, res: Response, meetingId: number) => Promise<string>) {
  return async (req: Request, res: Response): Promise<void> => {
    const meetingId = idParam(req.params.id);
    if (meetingId === undefined) throw new NotFound();
    try {
      const ok = await run(req, res, meetingId);
      res.redirect(303, `/console/meetings/${meetingId}?ok=${ok}`);
    } catch (error) {
      if (!isDomainError(error) || error instanceof NotFoundError) throw error;
      const values = Object.fromEntries(["member", "answer", "reason", "date", "time"].map((name) => [name, field(req, name)]));
      await renderMeeting(deps, req, res, { form, message: viewerOf(res).t(error.code, error.params), values });
    }
  };
}

/** POST /console/meetings/:id/attendance: member, answer (present|absent), reason. */
export const correctAttendance = (deps: ConsoleDeps) => change(deps, "correct", async (req, res, meetingId) => {
  const memberId = idParam(field(req, "member"));
  const answer = field(req, "answer");
  if (memberId === undefined || (answer !== "present" && answer !== "absent")) throw new BadForm();
  await deps.services.meetingConsole.record.correct({
    meetingId, memberId, answer, reason: field(req, "reason"), viewer: meetingViewer(viewerOf(res)), now: deps.clock.now(),
  });
  return "corrected";
});

/** POST /console/meetings/:id/held: held=yes|no. */
export const answerHeld = (deps: ConsoleDeps) => change(deps, "held", async (req, res, meetingId) => {
  const held = field(req, "held");
  if (held !== "yes" && held !== "no") throw new BadForm();
  const viewer = meetingViewer(viewerOf(res));
  const outcome = await deps.services.meetingConsole.record.answerHeld({ meetingId, held: held === "yes", viewer, now: deps.clock.now() });
  return outcome.kind;
});

/** POST /console/meetings/:id/postpone: date (YYYY-MM-DD), time (HH:MM), reason. */
export const postponeMeeting = (deps: ConsoleDeps) => change(deps, "postpone", async (req, res, meetingId) => {
  await deps.services.meetingConsole.record.postpone({
    meetingId, date: field(req, "date"), time: field(req, "time"), reason: field(req, "reason"), viewer: meetingViewer(viewerOf(res)), now: deps.clock.now(),
  });
  return "postponed";
});

/** A form no page of ours sends (a missing or unknown choice): the console's "cannot read this request". */
class BadForm extends Error {
  readonly status = 400;
  constructor() {
    super("unreadable meeting form");
  }
}
