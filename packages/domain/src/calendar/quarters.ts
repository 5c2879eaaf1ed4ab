import { addMonths, type IsoDate, makeIsoDate } from './dates';

export type QuarterNumber = 1 | 2 | 3 | 4;
export type Quarter = { year: number; quarter: QuarterNumber };

export function quarterOf(date: IsoDate): Quarter {
  const month = Number(date.slice(5, 7));
  return {
    year: Number(date.slice(0, 4)),
    quarter: (Math.floor((month - 1) / 3) + 1) as QuarterNumber,
  };
}

/** First and last day; the last day is the quarter's reference date (rapporteringstillfälle). */
export function quarterBounds(q: Quarter): { start: IsoDate; end: IsoDate } {
  const firstMonth = (q.quarter - 1) * 3 + 1;
  const start = makeIsoDate(q.year, firstMonth, 1);
  return { start, end: makeIsoDate(q.year, firstMonth + 3, 0) };
}

export function compareQuarters(a: Quarter, b: Quarter): number {
  return a.year - b.year || a.quarter - b.quarter;
}

export function addQuarters(q: Quarter, n: number): Quarter {
  const index = q.year * 4 + (q.quarter - 1) + n;
  return { year: Math.floor(index / 4), quarter: ((index % 4) + 1) as QuarterNumber };
}

/** `2026-Q2`: a stable key for storage and URLs. */
export function quarterKey(q: Quarter): string {
  return `${q.year}-Q${q.quarter}`;
}

export function parseQuarterKey(key: string): Quarter | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(key);
  return match ? { year: Number(match[1]), quarter: Number(match[2]) as QuarterNumber } : null;
}

/** Swedish label, e.g. "kvartal 2 2026". */
export function quarterLabel(q: Quarter): string {
  return `kvartal ${q.quarter} ${q.year}`;
}

/** A day relative to a quarter's last month: `months` after it (0 = that month), `day` or its last day. */
type WindowDay = { months: number; day: number | 'last' };
export type WindowCalendar = Record<QuarterNumber, { opens: WindowDay; closes: WindowDay }>;
export type WindowCalendarName = 'ivo' | 'lss-blankett';

const firstOfNext: WindowDay = { months: 1, day: 1 };
const endOfNext: WindowDay = { months: 1, day: 'last' };

/**
 * IVO's submission windows. `ivo` is the current e-tjänst (seed 000, the newest source):
 * Q1 → April, Q2 → July–August, Q3 → October, Q4 → January. `lss-blankett` is the older LSS form's
 * (seed 003): 15 March–15 April, 15 June–31 July, 15 September–15 October, 15 December–15 January.
 */
export const WINDOW_CALENDARS: Record<WindowCalendarName, WindowCalendar> = {
  ivo: {
    1: { opens: firstOfNext, closes: endOfNext },
    2: { opens: firstOfNext, closes: { months: 2, day: 'last' } },
    3: { opens: firstOfNext, closes: endOfNext },
    4: { opens: firstOfNext, closes: endOfNext },
  },
  'lss-blankett': {
    1: { opens: { months: 0, day: 15 }, closes: { months: 1, day: 15 } },
    2: { opens: { months: 0, day: 15 }, closes: endOfNext },
    3: { opens: { months: 0, day: 15 }, closes: { months: 1, day: 15 } },
    4: { opens: { months: 0, day: 15 }, closes: { months: 1, day: 15 } },
  },
};

export const DEFAULT_WINDOW_CALENDAR: WindowCalendarName = 'ivo';

function resolveDay(q: Quarter, at: WindowDay): IsoDate {
  const lastMonthStart = makeIsoDate(q.year, q.quarter * 3, 1);
  const monthStart = addMonths(lastMonthStart, at.months);
  const [y, m] = [Number(monthStart.slice(0, 4)), Number(monthStart.slice(5, 7))];
  return at.day === 'last' ? makeIsoDate(y, m + 1, 0) : makeIsoDate(y, m, at.day);
}

/** When reports for quarter `q` may be submitted to IVO (both days included). */
export function reportingWindow(
  q: Quarter,
  calendar: WindowCalendarName | WindowCalendar = DEFAULT_WINDOW_CALENDAR,
): { opens: IsoDate; closes: IsoDate } {
  const cal = typeof calendar === 'string' ? WINDOW_CALENDARS[calendar] : calendar;
  const spec = cal[q.quarter];
  return { opens: resolveDay(q, spec.opens), closes: resolveDay(q, spec.closes) };
}

/** The quarter whose window is open on `today`, if any. */
export function openWindowQuarter(
  today: IsoDate,
  calendar: WindowCalendarName | WindowCalendar = DEFAULT_WINDOW_CALENDAR,
): Quarter | null {
  // A window opens at most one month before its quarter ends and closes at most two months after.
  const current = quarterOf(today);
  for (const q of [addQuarters(current, -1), current]) {
    const { opens, closes } = reportingWindow(q, calendar);
    if (opens <= today && today <= closes) return q;
  }
  return null;
}

/**
 * The reporting period a rapportör most likely wants to see: the quarter whose window is open now;
 * between windows, the current quarter, whose lines are prepared for the next window (and whose
 * slutrapporteringar may be sent at once). An earlier quarter left with unfiled lines is the
 * screen's to point out, not the default.
 */
export function defaultReportQuarter(
  today: IsoDate,
  calendar: WindowCalendarName | WindowCalendar = DEFAULT_WINDOW_CALENDAR,
): Quarter {
  return openWindowQuarter(today, calendar) ?? quarterOf(today);
}
