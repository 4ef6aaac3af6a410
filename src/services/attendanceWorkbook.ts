import type { TFunction } from "i18next";
import { formatDisplayDate, localDateOf, pad, toLocal } from "../domain/localTime.ts";
import type { AttendanceMark, AttendanceYear } from "./attendanceYear.ts";

const MARKS: AttendanceMark[] = ["present", "excused", "unexcused", "noAnswer", "exempt", "notAdmitted"];
/** A soft red behind the row of a member the absence rule flags, so it stands out when printed too. */
const FLAG_FILL = { type: "pattern" as const, pattern: "solid" as const, fgColor: { argb: "FFFDE2E1" } };
const HEADER_ROW = 5;

/**
 * The year's attendance as an .xlsx: a title and a legend, then one row per member (one short
 * mark per meeting), the totals and the absence flag. Meetings not marked held are named so in
 * their column: they do not count for absences.
 */
export async function attendanceWorkbook(sheetData: AttendanceYear, t: TFunction): Promise<Buffer> {
  // exceljs weighs ~30 MB once loaded: only when a workbook is made.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "chibo";
  workbook.created = sheetData.asOf;
  const sheet = workbook.addWorksheet(t("consoleMeetings:sheetName", { year: sheetData.year }));
  const { meetings, rows, absenceLimit } = sheetData;
  sheet.addRow([t("consoleMeetings:sheetTitle", { cell: sheetData.cell.name, year: sheetData.year })]).font = { bold: true, size: 13 };
  sheet.addRow([t("consoleMeetings:sheetAsOf", { date: formatDisplayDate(localDateOf(sheetData.asOf)), limit: absenceLimit })]);
  sheet.addRow([MARKS.map((m) => `${t(`consoleMeetings:mark_${m}`)}: ${t(`consoleMeetings:markName_${m}`)}`).join("; ")]);
  sheet.addRow([]);
  const head = [
    t("consoleMeetings:columnNumber"), t("consoleMeetings:columnName"),
    ...meetings.map((m) => {
      const local = toLocal(m.startsAt);
      const day = `${pad(local.day)}/${pad(local.month)}`;
      return m.held ? day : `${day} ${t("consoleMeetings:columnNotHeld")}`;
    }),
    t("consoleMeetings:columnPresent"), t("consoleMeetings:columnExcused"), t("consoleMeetings:columnUnexcused"), t("consoleMeetings:columnFlag"),
  ];
  const header = sheet.addRow(head);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "top" };
  rows.forEach((row, i) => {
    const name = row.inactive ? `${row.fullName} ${t("consoleMeetings:leftCell")}` : row.fullName;
    const flag = row.flagged ? t("consoleMeetings:flagText", { count: row.unexcused, limit: absenceLimit }) : "";
    const added = sheet.addRow([i + 1, name, ...row.marks.map((m) => t(`consoleMeetings:mark_${m}`)), row.present, row.excused, row.unexcused, flag]);
    if (row.flagged) added.eachCell((cell) => (cell.fill = FLAG_FILL));
  });
  sheet.getColumn(1).width = 5;
  sheet.getColumn(2).width = 28;
  meetings.forEach((_m, i) => {
    const column = sheet.getColumn(3 + i);
    column.width = 8;
    column.alignment = { horizontal: "center" };
  });
  for (let c = 3 + meetings.length; c < 6 + meetings.length; c++) sheet.getColumn(c).width = 12;
  sheet.getColumn(6 + meetings.length).width = 40;
  sheet.views = [{ state: "frozen", xSplit: 2, ySplit: HEADER_ROW }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An ASCII name every client keeps: attendance-<cell code>-<year>.xlsx. */
export function attendanceFileName(sheetData: AttendanceYear): string {
  return `diem-danh-${sheetData.cell.code.replace(/[^a-z0-9-]/gi, "-")}-${sheetData.year}.xlsx`;
}
