import type { Request, Response } from "express";
import { toLocal } from "../../../domain/localTime.ts";
import { attendanceFileName, attendanceWorkbook } from "../../../services/attendanceWorkbook.ts";
import { DOCX_MIME_TYPE } from "../../../services/meetingMinutes.ts";
import { XLSX_MIME_TYPE } from "../../../services/feedbackWorkbook.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { NotFound } from "../../errors.ts";
import { html } from "../../html.ts";
import { page } from "../../layout.ts";
import { idParam } from "../../ui.ts";
import { meetingViewer, NS } from "./shared.ts";

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

function sendFile(res: Response, type: string, fileName: string, body: Buffer): void {
  res.set({ "content-type": type, "content-disposition": `attachment; filename="${fileName}"` }).send(body);
}

/** GET /console/meetings/attendance.xlsx?cell=<id>&year=YYYY: the cell's year, one row per member. */
export function attendanceDownload(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const now = deps.clock.now();
    const cellId = idParam(req.query.cell);
    if (cellId === undefined) throw new NotFound();
    const given = req.query.year;
    const year = given === undefined ? toLocal(now).year : typeof given === "string" && /^\d{4}$/.test(given) ? Number(given) : NaN;
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) {
      const body = html`<p class="error" role="alert">${viewer.t(`${NS}:badYear`, { from: FIRST_YEAR, to: LAST_YEAR })}</p>
<p><a href="/console/meetings">${viewer.t(`${NS}:backToCalendar`)}</a></p>`;
      res.status(400).type("html").send(page(viewer, { title: viewer.t(`${NS}:calendarTitle`), area: "meetings", body }).toString());
      return;
    }
    const sheet = await deps.services.meetingConsole.attendanceYear.year({ cellId, year, viewer: meetingViewer(viewer), now });
    sendFile(res, XLSX_MIME_TYPE, attendanceFileName(sheet), await attendanceWorkbook(sheet, viewer.t));
  };
}

/** GET /console/meetings/:id/minutes.docx: the draft of the meeting's minutes. */
export function minutesDownload(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = viewerOf(res);
    const meetingId = idParam(req.params.id);
    if (meetingId === undefined) throw new NotFound();
    const draft = { meetingId, viewer: meetingViewer(viewer), now: deps.clock.now(), t: viewer.t };
    const { fileName, body } = await deps.services.meetingConsole.minutes.draft(draft);
    sendFile(res, DOCX_MIME_TYPE, fileName, body);
  };
}
