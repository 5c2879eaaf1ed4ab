/** A calendar date, `YYYY-MM-DD`, in Europe/Stockholm. No rule in the domain has a time of day. */
export type IsoDate = string;

/*
 * Dates are handled as whole day numbers (days since 1970-01-01) with the civil-calendar
 * conversions of Howard Hinnant's "chrono-compatible low-level date algorithms". No Date object,
 * time zone or daylight saving time is involved, so a date can never move by a day; and this is the
 * hottest code of the product (every deadline of every decision), 10–20 times faster than going
 * through Date. `dates.oracle.test.ts` checks it against date-fns for every day 1990–2100.
 */

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function dayNumber(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civil(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function format(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The number written by the ASCII digits from `from` up to `to`; -1 if any is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * The parts of a real calendar date written `YYYY-MM-DD` (ASCII digits), or null. Read without a
 * regular expression: every date rule parses dates, and this is several times faster.
 */
function readIsoDate(date: string): { y: number; m: number; d: number } | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 7);
  const d = digitsAt(date, 8, 10);
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : null;
}

function parse(date: IsoDate): { y: number; m: number; d: number } {
  const parts = readIsoDate(date);
  if (parts) return parts;
  throw new RangeError(`Ogiltigt datum: "${date}" (ska vara ett verkligt datum, ÅÅÅÅ-MM-DD)`);
}

function toDays(date: IsoDate): number {
  const { y, m, d } = parse(date);
  return dayNumber(y, m, d);
}

function fromDays(days: number): IsoDate {
  const { y, m, d } = civil(days);
  return format(y, m, d);
}

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-29 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && readIsoDate(value) !== null;
}

/**
 * The years a date given to evb may have. A decision, an event or a birth in a case lies within
 * them; outside them a "date" is a typing error or an attack (year 0000 is no date PostgreSQL
 * knows, and years past 9999 no longer fit YYYY-MM-DD once three months are added).
 */
export const EARLIEST_CASE_YEAR = 1900;
export const LATEST_CASE_YEAR = 2199;

/** A real calendar date (see {@link isIsoDate}) in the years a case can have. */
export function isCaseDate(value: unknown): value is IsoDate {
  if (!isIsoDate(value)) return false;
  const year = digitsAt(value, 0, 4);
  return year >= EARLIEST_CASE_YEAR && year <= LATEST_CASE_YEAR;
}

/** The same day-of-month `months` months later, clamped to the month's last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDays(toDays(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDays(to) - toDays(from);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  // 1970-01-01 was a Thursday.
  return ((((toDays(date) + 3) % 7) + 7) % 7) + 1;
}

/**
 * The date `day` days into month `month` of `year`, where month and day may run over, as with Date:
 * (2026, 13, 1) is 2027-01-01 and (2026, 4, 0) is 2026-03-31.
 */
export function makeIsoDate(year: number, month: number, day: number): IsoDate {
  const index = year * 12 + (month - 1);
  const y = Math.floor(index / 12);
  return fromDays(dayNumber(y, index - y * 12 + 1, 1) + day - 1);
}

/** ISO dates compare correctly as strings; these name the intent. */
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

// Made on first use, not when the module loads: loading the time zone data holds a phone's main
// thread for a long moment, and the PWA's first screen does not need it.
let stockholmDate: Intl.DateTimeFormat | undefined;

/** Today's date in Europe/Stockholm, whatever zone the server or phone runs in. */
export function todayInStockholm(now: Date = new Date()): IsoDate {
  stockholmDate ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const parts = Object.fromEntries(stockholmDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The months' names in Swedish, January first: how the screens and messages write dates. */
export const SWEDISH_MONTHS = [
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

/**
 * Swedish long form for the screens and for every Swedish message, e.g. "4 maj 2026". Month
 * names written out here rather than through Intl, so server, browser and tests agree.
 */
export function formatSwedishDate(date: IsoDate): string {
  const { y, m, d } = parse(date);
  return `${d} ${SWEDISH_MONTHS[m - 1]} ${y}`;
}

/**
 * A span of days as the screens write a reporting period: "1–31 oktober 2026",
 * "1 juli–31 augusti 2026", "15 december 2026–15 januari 2027"; one day alone as its date.
 */
export function formatSwedishDateRange(from: IsoDate, to: IsoDate): string {
  const a = parse(from);
  const b = parse(to);
  if (from === to) return formatSwedishDate(from);
  if (a.y !== b.y) return `${formatSwedishDate(from)}–${formatSwedishDate(to)}`;
  if (a.m !== b.m) return `${a.d} ${SWEDISH_MONTHS[a.m - 1]}–${formatSwedishDate(to)}`;
  return `${a.d}–${formatSwedishDate(to)}`;
}
