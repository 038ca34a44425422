/**
 * Dates given on the command line (--expires, --valid-until, --as-of, --from, --to), parsed
 * strictly in one place. `new Date()` guesses: "12" is 2001-12-01, "0" the year 2000, and
 * 2026-02-31 rolls over into March; an audit date that silently means another day is worse
 * than a refusal.
 */
import { UsageError } from "./errors.js";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function daysInMonth(year: number, month: number): number {
  // Computed, not asked of Date.UTC, which reads the years 0-99 as 1900-1999.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why year-month-day is not a calendar date, or null when it is. */
function calendarProblem(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${MONTHS[month - 1] ?? ""} ${year} has ${days} days`;
  return null;
}

/** A day as YYYY-MM-DD (e.g. `--valid-until`, `--from`); returns it unchanged. */
export function parseDayOption(value: string, option: string): string {
  const m = DAY.exec(value);
  if (!m) throw new UsageError(`${option} expects a date as YYYY-MM-DD; got "${value}"`);
  const problem = calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  if (problem) throw new UsageError(`${option} expects a real calendar date as YYYY-MM-DD; got "${value}" (${problem})`);
  return value;
}

/**
 * A moment: a day (YYYY-MM-DD, meaning the end of that day in UTC) or an ISO 8601 time with
 * its zone (Z or ±hh:mm), seconds and fractions optional. A time without a zone is refused:
 * it would mean this machine's zone, which an auditor reading the report does not know.
 */
export function parseTimeOption(value: string, option: string): Date {
  const expected = `${option} expects a date as YYYY-MM-DD or an ISO 8601 time with its zone, such as 2026-03-02T09:00:00Z; got "${value}"`;
  if (DAY.test(value)) return new Date(`${parseDayOption(value, option)}T23:59:59.999Z`);
  const m = TIME.exec(value);
  if (!m) throw new UsageError(expected);
  const [hour, minute, second, offsetHours, offsetMinutes] = [m[4], m[5], m[6], m[10], m[11]].map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const problem = calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  if (problem) throw new UsageError(`${expected} (${problem})`);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) throw new UsageError(expected);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(expected);
  return date;
}
