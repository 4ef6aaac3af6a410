import type ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { FEEDBACK_STATUSES } from "../domain/feedback.ts";
import type { DigestItem, FeedbackDigest } from "../domain/feedbackDigest.ts";
import { formatDisplayDate, localDateOf, UTC_OFFSET_MINUTES } from "../domain/localTime.ts";
import { addresseeLabel } from "./addresseeLabel.ts";
import type { FeedbackExportItem } from "./feedbackDigest.ts";

export const XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DATE_FORMAT = "dd/mm/yyyy hh:mm";
const MS_PER_MINUTE = 60_000;

/**
 * The digest as an .xlsx a secretary can file or forward: a summary sheet of counts, the period's
 * items, and the overdue ones. An author is named only on a signed item; an anonymous one says so.
 * A photo is not in the file: its item says one came with it and how to see it in the chat.
 */
export async function digestWorkbook(digest: FeedbackDigest, items: FeedbackExportItem[], t: TFunction): Promise<Buffer> {
  // exceljs weighs ~30 MB once loaded: only when a workbook is made or read.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "chibo";
  workbook.created = digest.now;
  workbook.modified = digest.now;
  addSummary(workbook.addWorksheet(t("feedback:sheetSummary")), digest, t);
  addItems(workbook.addWorksheet(t("feedback:sheetItems")), items, t, digest.unitKind);
  addOverdue(workbook.addWorksheet(t("feedback:sheetOverdue")), digest.overdue, t);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A list of items as an .xlsx (the console's filtered queue): the items' sheet alone, in the list's order. */
export async function itemsWorkbook(items: FeedbackExportItem[], t: TFunction, now: Date): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "chibo";
  workbook.created = now;
  workbook.modified = now;
  addItems(workbook.addWorksheet(t("feedback:sheetItems")), items, t, null);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A file name for the digest of an organization's period, ASCII so every client keeps it. */
export function digestFileName(digest: FeedbackDigest): string {
  const from = localDateOf(digest.period.from);
  const safeCode = digest.organization.code.replace(/[^a-z0-9-]/gi, "-");
  return `gop-y-${safeCode}-${from.year}-${String(from.month).padStart(2, "0")}-${String(from.day).padStart(2, "0")}.xlsx`;
}

function addSummary(sheet: ExcelJS.Worksheet, digest: FeedbackDigest, t: TFunction) {
  sheet.columns = [{ width: 48 }, { width: 12 }];
  const lastDay = localDateOf(new Date(digest.period.to.getTime() - 1));
  sheet.addRow([t("feedback:digestTitle", { organization: digest.organization.name })]).font = { bold: true, size: 13 };
  sheet.addRow([t("feedback:digestPeriod", { from: formatDisplayDate(localDateOf(digest.period.from)), to: formatDisplayDate(lastDay) })]);
  sheet.addRow([]);
  sheet.addRow([t("feedback:digestTotal"), digest.total]).font = { bold: true };
  sheet.addRow([t("feedback:digestOverdue"), digest.overdue.length]).font = { bold: true };
  section(sheet, t("feedback:digestByStatus"), FEEDBACK_STATUSES.map((s) => [t(`feedback:status_${s}`), digest.byStatus[s]]));
  section(sheet, t("feedback:digestByAddressee"), digest.byAddressee.map((a) => [addresseeLabel(t, { addressee: a.key, agencyName: a.name }, digest.unitKind), a.count]));
  section(sheet, t("feedback:digestByCell"), digest.byCell.map((c) => [c.cellName, c.count]));
}

function section(sheet: ExcelJS.Worksheet, title: string, rows: [string, number][]) {
  sheet.addRow([]);
  sheet.addRow([title]).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
}

function addItems(sheet: ExcelJS.Worksheet, items: FeedbackExportItem[], t: TFunction, unitKind: string | null) {
  sheet.columns = [
    { header: t("feedback:columnReference"), width: 16 },
    { header: t("feedback:columnDate"), width: 17, style: { numFmt: DATE_FORMAT } },
    { header: t("feedback:columnCell"), width: 28 },
    { header: t("feedback:columnAuthor"), width: 24 },
    { header: t("feedback:columnAddressee"), width: 28 },
    { header: t("feedback:columnCategory"), width: 22 },
    { header: t("feedback:columnStatus"), width: 16 },
    { header: t("feedback:columnDue"), width: 17, style: { numFmt: DATE_FORMAT } },
    { header: t("feedback:columnText"), width: 60, style: { alignment: { wrapText: true, vertical: "top" } } },
    { header: t("feedback:columnAnswer"), width: 60, style: { alignment: { wrapText: true, vertical: "top" } } },
    { header: t("feedback:columnPhoto"), width: 36, style: { alignment: { wrapText: true, vertical: "top" } } },
  ];
  for (const item of items) {
    sheet.addRow([
      item.reference,
      excelLocal(item.createdAt),
      item.cellName,
      // Decided here again, whatever the caller passed: an anonymous item never shows a name.
      item.anonymous ? t("feedback:anonymous") : item.authorName ?? "",
      addresseeLabel(t, item, item.unitKind === undefined ? unitKind : item.unitKind),
      t(`feedback:category_${item.category}`),
      t(`feedback:status_${item.status}`),
      item.dueAt ? excelLocal(item.dueAt) : null,
      item.text,
      item.answer ?? "",
      // A note, not a link: the workbook is filed and forwarded, the photo stays with chibo.
      item.hasPhoto ? t("feedback:photoInChat", { reference: item.reference }) : null,
    ]);
  }
  header(sheet);
}

function addOverdue(sheet: ExcelJS.Worksheet, overdue: DigestItem[], t: TFunction) {
  sheet.columns = [
    { header: t("feedback:columnReference"), width: 16 },
    { header: t("feedback:columnCell"), width: 28 },
    { header: t("feedback:columnCategory"), width: 22 },
    { header: t("feedback:columnStatus"), width: 16 },
    { header: t("feedback:columnDue"), width: 17, style: { numFmt: DATE_FORMAT } },
    { header: t("feedback:columnText"), width: 60 },
  ];
  for (const item of overdue) {
    sheet.addRow([item.reference, item.cellName, t(`feedback:category_${item.category}`), t(`feedback:status_${item.status}`), item.dueAt ? excelLocal(item.dueAt) : null, item.excerpt]);
  }
  header(sheet);
}

function header(sheet: ExcelJS.Worksheet) {
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } };
}

/**
 * Excel stores wall-clock times without a zone; shifting to Vietnam time makes the cell read as
 * the local time the secretary expects, and it still sorts and filters as a date.
 */
export function excelLocal(instant: Date): Date {
  return new Date(instant.getTime() + UTC_OFFSET_MINUTES * MS_PER_MINUTE);
}
