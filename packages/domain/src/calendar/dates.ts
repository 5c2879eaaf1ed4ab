import { UTCDate } from '@date-fns/utc';
import {
  addDays as addDaysFns,
  addMonths as addMonthsFns,
  differenceInCalendarDays,
  format,
  getISODay,
} from 'date-fns';

/** A calendar date, `YYYY-MM-DD`, in Europe/Stockholm. No rule in the domain has a time of day. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Dates are computed as UTC midnights so that daylight saving time and the machine's zone never
 * move a date by a day.
 */
function toUtc(date: IsoDate): UTCDate {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Ogiltigt datum: "${date}" (ska vara ÅÅÅÅ-MM-DD)`);
  const [, y, m, d] = match;
  const utc = new UTCDate(Number(y), Number(m) - 1, Number(d));
  if (format(utc, 'yyyy-MM-dd') !== date) {
    throw new RangeError(`Ogiltigt datum: "${date}" finns inte i kalendern`);
  }
  return utc;
}

function fromUtc(date: Date): IsoDate {
  return format(date, 'yyyy-MM-dd');
}

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-29 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  try {
    toUtc(value);
    return true;
  } catch {
    return false;
  }
}

/** The same day-of-month `months` months later, clamped to the month's last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return fromUtc(addMonthsFns(toUtc(date), months));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(addDaysFns(toUtc(date), days));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(toUtc(to), toUtc(from));
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  return getISODay(toUtc(date));
}

export function makeIsoDate(year: number, month: number, day: number): IsoDate {
  return fromUtc(new UTCDate(year, month - 1, day));
}

/** ISO dates compare correctly as strings; these name the intent. */
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

const stockholmDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Europe/Stockholm, whatever zone the server or phone runs in. */
export function todayInStockholm(now: Date = new Date()): IsoDate {
  const parts = Object.fromEntries(stockholmDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Swedish long form for UI and PDFs, e.g. "4 maj 2026". */
export function formatSwedishDate(date: IsoDate): string {
  const d = toUtc(date);
  return `${d.getDate()} ${SWEDISH_MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

const SWEDISH_MONTHS = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
] as const;
