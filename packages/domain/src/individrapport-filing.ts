import {
  addMonths,
  daysBetween,
  formatSwedishDate,
  formatSwedishDateRange,
  type IsoDate,
  isIsoDate,
} from './calendar/dates';
import {
  DEFAULT_WINDOW_CALENDAR,
  type Quarter,
  quarterBounds,
  quarterLabel,
  reportingWindow,
  type WindowCalendar,
  type WindowCalendarName,
} from './calendar/quarters';
import { episodeMessageKeys, episodeMessages, type RapportorMessage } from './messages';
import type { ReportLine } from './quarter-report';
import type { Decision } from './schemas';

/*
 * When a report line may be marked as filed with IVO, the warning before a window closes, and which
 * rapportör messages a line settles.
 *
 * The filing rule (issue 5: "a slutrapportering can be filed at any time, a new line only in its
 * window"), as read here:
 * - A line whose episode is still not executed at the reference date — a nyrapportering or an
 *   återrapportering — reports the state on the quarter's last day, in the quarter's reporting
 *   period (seed 000: "rapportera in beslutet i kommande rapporteringsperiod", "en återrapportering
 *   ska göras vid varje rapporteringsperiod"). It is filed from the day the window opens up to the
 *   day it closes, both included; not before (the quarter's state is not final) and not after.
 * - A line whose episode was executed or closed — the slutrapportering, and the new line that is
 *   "both not executed and executed" (seed 003) — may be filed at any time from its end date on:
 *   "Så snart ett beslut blir verkställt eller avslutas ska det rapporteras in, även om det
 *   inträffar mellan rapporteringsperioderna" (seed 000, under both new and continued reports).
 * - Never dated in the future.
 */

export type FilingCheck = { ok: true } | { ok: false; reason: string };

/** True when the line may only be filed inside its quarter's reporting window. */
export function isWindowBound(line: Pick<ReportLine, 'status'>): boolean {
  return line.status === 'ej_verkstalld';
}

/**
 * May the line of quarter `quarter` be recorded as filed with IVO on `filedOn`, today being
 * `today`? The reason, when not, is a Swedish sentence for the user.
 */
export function filingCheck(input: {
  line: Pick<ReportLine, 'report' | 'status' | 'statusDate'>;
  quarter: Quarter;
  filedOn: IsoDate;
  today: IsoDate;
  calendar?: WindowCalendarName | WindowCalendar;
}): FilingCheck {
  const { line, quarter, filedOn, today } = input;
  if (!isIsoDate(filedOn)) {
    return { ok: false, reason: 'Ange datum för rapporteringen i formen ÅÅÅÅ-MM-DD' };
  }
  if (filedOn > today) {
    return {
      ok: false,
      reason: `Rapporteringsdatumet ${formatSwedishDate(filedOn)} ligger i framtiden`,
    };
  }
  if (!isWindowBound(line)) {
    const end = line.statusDate ?? quarterBounds(quarter).end;
    if (filedOn < end) {
      const what = line.status === 'verkstalld' ? 'verkställdes' : 'avslutades';
      return {
        ok: false,
        reason: `Beslutet ${what} ${formatSwedishDate(end)}; rapporteringen kan inte vara daterad före det`,
      };
    }
    return { ok: true };
  }
  const window = reportingWindow(quarter, input.calendar ?? DEFAULT_WINDOW_CALENDAR);
  if (filedOn < window.opens || filedOn > window.closes) {
    const kind = line.report === 'ny' ? 'En nyrapportering' : 'En återrapportering';
    return {
      ok: false,
      reason: `${kind} för ${quarterLabel(quarter)} lämnas i rapporteringsperioden ${formatSwedishDateRange(window.opens, window.closes)}`,
    };
  }
  return { ok: true };
}

/**
 * May a filing made in IVO's e-tjänst be recorded afterwards (domain.md, "What IVO already has")?
 * Its date follows the filing rule (filingCheck: inside the quarter's window while the line is not
 * executed; on or after the execution or closing date for a slutrapportering; never in the future),
 * and the report type must be one the e-tjänst could have taken: an återrapportering only for an
 * episode IVO already had (not in the quarter the schedule calls it new), a nyrapportering only
 * while no earlier filing of the episode is recorded. `earlierFiled`: a filing of the same episode
 * for an earlier quarter is recorded. The refusal names the field it concerns.
 */
export function recordedFilingCheck(input: {
  line: Pick<ReportLine, 'report' | 'status' | 'statusDate'>;
  quarter: Quarter;
  filedOn: IsoDate;
  today: IsoDate;
  report: 'ny' | 'ater';
  earlierFiled: boolean;
  calendar?: WindowCalendarName | WindowCalendar;
}): FilingCheck & { field?: 'filedOn' | 'report' } {
  const { line, quarter, report } = input;
  if (report === 'ater' && line.report === 'ny') {
    return {
      ok: false,
      field: 'report',
      reason: `Dröjsmålet var nytt för IVO ${quarterLabel(quarter)}: rapporten kan bara ha varit en nyrapportering`,
    };
  }
  if (report === 'ny' && input.earlierFiled) {
    return {
      ok: false,
      field: 'report',
      reason:
        'Dröjsmålet är registrerat som rapporterat för ett tidigare kvartal: IVO hade ärendet, så rapporten var en återrapportering',
    };
  }
  // The refusal names the type that was sent.
  const check = filingCheck({ ...input, line: { ...line, report } });
  return check.ok ? check : { ...check, field: 'filedOn' };
}

/** How many days before a window closes its unfiled lines are warned about. */
export const WINDOW_WARNING_DAYS = 7;

export type WindowWarning = {
  /** The window's last day. */
  closes: IsoDate;
  /** Days from today to that day (0 on the last day). */
  daysLeft: number;
  /** Lines that can only be filed in the window and are not filed yet. */
  unfiled: number;
  message: string;
};

/**
 * A warning when the quarter's window is open, closes within WINDOW_WARNING_DAYS days, and lines
 * that can only be filed in it (`unfiledWindowBound`, see isWindowBound) are not filed; else null.
 */
export function windowClosingWarning(
  quarter: Quarter,
  today: IsoDate,
  unfiledWindowBound: number,
  calendar: WindowCalendarName | WindowCalendar = DEFAULT_WINDOW_CALENDAR,
): WindowWarning | null {
  const window = reportingWindow(quarter, calendar);
  if (unfiledWindowBound <= 0 || today < window.opens || today > window.closes) return null;
  const daysLeft = daysBetween(today, window.closes);
  if (daysLeft > WINDOW_WARNING_DAYS) return null;
  const rader = unfiledWindowBound === 1 ? '1 rad' : `${unfiledWindowBound} rader`;
  const when = daysLeft === 0 ? 'i dag' : daysLeft === 1 ? 'i morgon' : `om ${daysLeft} dagar`;
  return {
    closes: window.closes,
    daysLeft,
    unfiled: unfiledWindowBound,
    message: `Rapporteringsperioden för ${quarterLabel(quarter)} stänger ${when} (${formatSwedishDate(window.closes)}) och ${rader} är inte rapporterade.`,
  };
}

/**
 * The rapportör messages that concern a line, due up to `until`: those of the line's episode dated
 * on or before the quarter's reference date. Later ones (the next quarter's återrapportering, or a
 * slutrapportering after the quarter) belong to a later line.
 */
export function lineMessages(
  decision: Decision,
  line: Pick<ReportLine, 'episode'>,
  quarter: Quarter,
  until: IsoDate,
): RapportorMessage[] {
  return episodeMessages(decision, line.episode, until, 1, quarterBounds(quarter).end);
}

/** The keys of `lineMessages` alone (see episodeMessageKeys). */
export function lineMessageKeys(
  decision: Decision,
  line: Pick<ReportLine, 'episode'>,
  quarter: Quarter,
  until: IsoDate,
): string[] {
  return episodeMessageKeys(decision, line.episode, until, quarterBounds(quarter).end);
}

/**
 * The messages a filing settles ("Meddelandet … tas sedan bort", seed 001): every message of the
 * line (see lineMessages), also one not yet due — a slutrapportering filed on the day of execution
 * settles the message due the next working day.
 */
export function messagesSettledByFiling(
  decision: Decision,
  line: Pick<ReportLine, 'episode'>,
  quarter: Quarter,
): RapportorMessage[] {
  // A message dated by the reference date is due within days of it: a month covers every holiday.
  return lineMessages(decision, line, quarter, addMonths(quarterBounds(quarter).end, 1));
}
