import express, { type Router } from "express";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { idParam } from "../../ui.ts";
import { answerHeld, correctAttendance, postponeMeeting } from "./actions.ts";
import { calendarPage } from "./calendar.ts";
import { attendanceDownload, minutesDownload } from "./downloads.ts";
import { meetingPage } from "./meeting.ts";
import { areaGate, handler, meetingViewer } from "./shared.ts";

/**
 * Meetings and attendance: the month's calendar of the subtrees the viewer looks after, each
 * meeting with its roll call, the leaders' changes (corrections, held or not, postponement), the
 * year's attendance as .xlsx and a minutes draft as .docx. Every page checks the meeting's cell
 * against the console's grants (see and manage); anything else is "not found".
 */
export function meetingsRoutes(deps: ConsoleDeps): Router {
  const router = express.Router();
  router.use(areaGate);
  router.get("/", handler(calendarPage(deps)));
  router.get("/attendance.xlsx", handler(attendanceDownload(deps)));
  // A meeting of the calendar nobody has opened yet: stored now, then shown by its id.
  router.get("/open", handler(async (req, res) => {
    const cellId = idParam(req.query.cell);
    if (cellId === undefined || typeof req.query.date !== "string") throw new NotFound();
    const id = await deps.services.meetingConsole.view.open({ cellId, date: req.query.date, viewer: meetingViewer(viewerOf(res)) });
    res.redirect(303, `/console/meetings/${id}`);
  }));
  router.get("/:id", handler(meetingPage(deps)));
  router.get("/:id/minutes.docx", handler(minutesDownload(deps)));
  router.post("/:id/attendance", handler(correctAttendance(deps)));
  router.post("/:id/held", handler(answerHeld(deps)));
  router.post("/:id/postpone", handler(postponeMeeting(deps)));
  return router;
}
