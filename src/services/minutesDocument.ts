import {
  AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
  type IParagraphOptions, type ITableCellBorders,
} from "docx";
import type { TFunction } from "i18next";
import { formatDisplayDate, formatDisplayDateTime, localDateOf, pad, toLocal } from "../domain/localTime.ts";
import type { Roster } from "./attendance.ts";

export interface MinutesDraft {
  /** The committee directly above the cell (the commune's party committee), when known. */
  superiorName: string | null;
  cellName: string;
  startsAt: Date;
  regularStart: Date;
  place: string | null;
  /** Set when the meeting was moved. */
  postponeReason: string | null;
  superiorInformedAt: Date | null;
  roster: Roster;
  feedbackSince: Date;
  feedbackUntil: Date;
  feedback: { reference: string; category: string; addressee: string; status: string }[];
}

/** Official documents are set in Times New Roman 13 pt (sizes are in half points). */
const FONT = "Times New Roman";
const BODY_SIZE = 26;
const TITLE_SIZE = 28;
const DOTS = "…".repeat(60);
const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS: ITableCellBorders = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER };
/** "Đảng ủy xã Hòa Bình" → "Hòa Bình": the place in the date line is the commune's name. */
const LOCALITY = /^(?:đảng ủy|đảng bộ)\s+(?:xã|phường|thị trấn|đặc khu)\s+(.+)$/iu;

const run = (text: string, options: { bold?: boolean; italics?: boolean; underline?: boolean; size?: number } = {}) =>
  new TextRun({ text, bold: options.bold, italics: options.italics, underline: options.underline ? {} : undefined, size: options.size });
const para = (children: TextRun[], options: Omit<IParagraphOptions, "children"> = {}) => new Paragraph({ spacing: { after: 80 }, ...options, children });
const line = (text: string, options: Parameters<typeof run>[1] = {}) => para([run(text, options)]);
const centered = (text: string, options: Parameters<typeof run>[1] = {}) => para([run(text, options)], { alignment: AlignmentType.CENTER });
const heading = (text: string) => para([run(text, { bold: true })], { spacing: { before: 200, after: 80 } });
const blanks = (count: number) => Array.from({ length: count }, () => line(DOTS));

/** A two-column block without borders: the header and the signatures. */
function sideBySide(left: Paragraph[], right: Paragraph[]): Table {
  const cell = (children: Paragraph[]) => new TableCell({ children, borders: NO_BORDERS, width: { size: 50, type: WidthType.PERCENTAGE } });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ children: [cell(left), cell(right)] })] });
}

function feedbackTable(t: TFunction, items: MinutesDraft["feedback"]): Table {
  const cell = (text: string, bold = false) => new TableCell({ children: [para([run(text, { bold })], { spacing: { after: 0 } })] });
  const head = ["minutesColumnReference", "minutesColumnCategory", "minutesColumnAddressee", "minutesColumnStatus"]
    .map((k) => cell(t(`consoleMeetings:${k}`), true));
  const rows = items.map((f) => new TableRow({ children: [cell(f.reference), cell(f.category), cell(f.addressee), cell(f.status)] }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ tableHeader: true, children: head }), ...rows] });
}

/** "19 giờ 30 phút, Thứ Hai ngày 07 tháng 12 năm 2026" in the reader's language. */
function spelledTime(t: TFunction, at: Date): string {
  const local = toLocal(at);
  return t("consoleMeetings:minutesTimeOfDay", {
    hour: pad(local.hour), minute: pad(local.minute), weekday: t(`common:weekday_${local.weekday}`),
    day: pad(local.day), month: pad(local.month), year: local.year,
  });
}

function attendanceSection(t: TFunction, roster: Roster): Paragraph[] {
  const k = (key: string, params: Record<string, unknown> = {}) => t(`consoleMeetings:${key}`, params);
  const total = roster.present.length + roster.absent.length + roster.pending.length + roster.exempt.length;
  const withReason = roster.absent.filter((a) => a.reason?.trim()).length;
  const paragraphs = [
    line(k("minutesChair", { dots: DOTS.slice(0, 30) })),
    line(k("minutesClerk", { dots: DOTS.slice(0, 30) })),
    line(k("minutesGuests", { dots: DOTS.slice(0, 30) })),
    line(k("minutesTotals", { total, exempt: roster.exempt.length, expected: total - roster.exempt.length })),
    line(k("minutesPresence", {
      present: roster.present.length, absent: roster.absent.length, withReason,
      withoutReason: roster.absent.length - withReason, pending: roster.pending.length,
    })),
  ];
  if (roster.absent.length) {
    paragraphs.push(line(k("minutesAbsentList"), { italics: true }));
    for (const a of roster.absent) paragraphs.push(line(`– ${k("minutesComrade", { name: a.member.fullName })}: ${a.reason?.trim() || k("minutesNoReason")}`));
  }
  if (roster.exempt.length) {
    paragraphs.push(line(k("minutesExemptList"), { italics: true }));
    paragraphs.push(line(roster.exempt.map((m) => m.fullName).join(", ")));
  }
  if (roster.pending.length) {
    paragraphs.push(line(k("minutesPendingList"), { italics: true }));
    paragraphs.push(line(roster.pending.map((m) => m.fullName).join(", ")));
  }
  return paragraphs;
}

/** The minutes draft as a .docx; every sentence comes from the locale files, in the reader's language. */
export async function minutesDocument(draft: MinutesDraft, t: TFunction): Promise<Buffer> {
  const k = (key: string, params: Record<string, unknown> = {}) => t(`consoleMeetings:${key}`, params);
  const day = toLocal(draft.startsAt);
  const regular = toLocal(draft.regularStart);
  const locality = draft.superiorName ? LOCALITY.exec(draft.superiorName.trim())?.[1] : undefined;
  const upper = (text: string) => text.toLocaleUpperCase("vi");
  const header = sideBySide(
    [
      ...(draft.superiorName ? [centered(upper(draft.superiorName))] : []),
      centered(upper(draft.cellName), { bold: true }),
      centered("*"),
    ],
    [
      centered(k("minutesParty"), { bold: true, underline: true }),
      centered(k("minutesDateLine", { place: locality ?? DOTS.slice(0, 12), day: pad(day.day), month: pad(day.month), year: day.year }), { italics: true }),
    ],
  );
  const postponed = draft.postponeReason
    ? [line(k("minutesPostponed", {
      from: formatDisplayDateTime(draft.regularStart), to: formatDisplayDateTime(draft.startsAt), reason: draft.postponeReason,
    })),
      ...(draft.superiorInformedAt ? [line(k("minutesSuperiorTold", { at: formatDisplayDateTime(draft.superiorInformedAt) }))] : [])]
    : [];
  const period = { from: formatDisplayDate(localDateOf(draft.feedbackSince)), to: formatDisplayDate(localDateOf(draft.feedbackUntil)) };
  const feedback = draft.feedback.length
    ? [
      line(k("minutesFeedbackIntro", { ...period, count: draft.feedback.length })),
      feedbackTable(t, draft.feedback),
      line(k("minutesFeedbackNote"), { italics: true }),
    ]
    : [line(k("minutesFeedbackNone", period))];
  const signatures = sideBySide(
    [centered(k("minutesClerkSigns"), { bold: true }), centered(k("minutesSignHint"), { italics: true })],
    [centered(k("minutesChairSigns"), { bold: true }), centered(k("minutesSignHint"), { italics: true })],
  );
  const document = new Document({
    creator: "chibo",
    title: k("minutesTitle"),
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE } } } },
    sections: [{
      properties: { page: { margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } },
      children: [
        header,
        para([run(k("minutesTitle"), { bold: true, size: TITLE_SIZE })], { alignment: AlignmentType.CENTER, spacing: { before: 360, after: 40 } }),
        centered(k("minutesSubtitle", { month: pad(regular.month), year: regular.year }), { italics: true }),
        heading(k("minutesSectionTime")),
        line(k("minutesStarts", { when: spelledTime(t, draft.startsAt) })),
        line(k("minutesPlace", { place: draft.place ?? DOTS.slice(0, 30) })),
        ...postponed,
        heading(k("minutesSectionPeople")),
        ...attendanceSection(t, draft.roster),
        heading(k("minutesSectionContent")),
        line(k("minutesContentTasks")), ...blanks(4),
        line(k("minutesContentStudy")), ...blanks(2),
        line(k("minutesContentFeedback")), ...feedback,
        line(k("minutesContentDiscussion")), ...blanks(4),
        heading(k("minutesSectionResolutions")), ...blanks(4),
        line(k("minutesEnds")),
        para([], { spacing: { after: 240 } }),
        signatures,
      ],
    }],
  });
  return Packer.toBuffer(document);
}
