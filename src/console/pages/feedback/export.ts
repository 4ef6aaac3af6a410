import type { Request, Response, Router } from "express";
import { parseQueueFilters } from "../../../domain/feedbackQueue.ts";
import { formatIsoDate, localDateOf } from "../../../domain/localTime.ts";
import { itemsWorkbook, XLSX_MIME_TYPE } from "../../../services/feedbackWorkbook.ts";
import { viewerOf, type ConsoleDeps } from "../../context.ts";
import { reviewerOf, route } from "./shared.ts";

/**
 * The filtered queue as an .xlsx, every page of it: by its address for filters alone, posted when
 * words are searched. The service logs the export; anonymous items name nobody in the file.
 */
export function exportRoutes(deps: ConsoleDeps, router: Router): void {
  async function download(_req: Request, res: Response, input: Record<string, unknown>): Promise<void> {
    const viewer = viewerOf(res);
    const now = deps.clock.now();
    const { filters } = parseQueueFilters(input);
    const items = await deps.services.feedbackQueue.exportItems(reviewerOf(viewer), filters, now);
    const workbook = await itemsWorkbook(items, viewer.t, now);
    res.set({
      "content-type": XLSX_MIME_TYPE,
      "content-disposition": `attachment; filename="gop-y-${formatIsoDate(localDateOf(now))}.xlsx"`,
    }).send(workbook);
  }
  router.get("/export", route((req, res) => download(req, res, { ...req.query })));
  router.post("/export", route((req, res) => download(req, res, { ...(req.body as object) })));
}
