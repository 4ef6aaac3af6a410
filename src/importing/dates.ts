import { daysInMonth, formatIsoDate, type LocalDate } from "../domain/localTime.ts";
import { parsed, refused, type Parsed } from "./types.ts";

/** Vietnamese write the day first: 15/03/1960, 5/3/1960, 15-03-1960, 15.03.1960. */
const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
/** ISO, which is also what readTable makes of a real Excel date cell. */
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** Excel's CSV export may append a time to a date cell: "15/03/1960 0:00". */
const TIME_SUFFIX = /\s+\d{1,2}:\d{2}(:\d{2})?$/;
const EARLIEST_YEAR = 1900;

/**
 * Reads a date cell into "YYYY-MM-DD"; an empty cell is null. A year alone ("1955") is refused:
 * we store whole days, and inventing 1 January would pass a guess off as a record. Two-digit
 * years are refused too ("60" could be 1960 or 2060). `today` bounds the date when given.
 */
export function parseImportDate(text: string, today?: LocalDate): Parsed<string | null> {
  const value = text.trim();
  if (value === "") return parsed(null);
  if (/^\d{4}$/.test(value)) return refused("import:yearOnly", { value });
  const date = readParts(value.replace(TIME_SUFFIX, ""));
  if (!date) return refused("import:invalidDate", { value });
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) {
    return refused("import:impossibleDate", { value });
  }
  if (date.year < EARLIEST_YEAR) return refused("import:dateTooEarly", { value, year: EARLIEST_YEAR });
  const iso = formatIsoDate(date);
  if (today && iso > formatIsoDate(today)) return refused("import:dateInFuture", { value });
  return parsed(iso);
}

function readParts(value: string): LocalDate | null {
  const dayFirst = DAY_FIRST.exec(value);
  if (dayFirst) return { day: Number(dayFirst[1]), month: Number(dayFirst[3]), year: Number(dayFirst[4]) };
  const yearFirst = YEAR_FIRST.exec(value);
  if (yearFirst) return { year: Number(yearFirst[1]), month: Number(yearFirst[2]), day: Number(yearFirst[3]) };
  return null;
}
