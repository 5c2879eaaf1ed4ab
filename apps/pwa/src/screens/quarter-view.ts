import {
  addQuarters,
  daysBetween,
  defaultReportQuarter,
  filingCheck,
  formatSwedishDateRange,
  type IsoDate,
  openWindowQuarter,
  type Quarter,
  quarterOf,
  reportingWindow,
} from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { days, formatDate } from '../format/format';

/*
 * What the rapportör's quarter view shows, apart from the screen: which quarters may be picked,
 * the state of a reporting window, and the Swedish texts of a line's status and filing.
 */

export type QuarterLines = RouterOutputs['quarter']['lines'];
export type QuarterLine = QuarterLines['lines'][number];
export type Kategori = QuarterLine['kategori'];

/** How many quarters back from the current one the picker reaches. */
export const QUARTERS_BACK = 8;

/**
 * The quarters the picker offers, newest first: the current quarter and QUARTERS_BACK before it
 * (the domain's defaultReportQuarter is the current or the previous one, so always among them).
 */
export function quarterChoices(today: IsoDate): Quarter[] {
  const current = quarterOf(today);
  return Array.from({ length: QUARTERS_BACK + 1 }, (_, i) => addQuarters(current, -i));
}

/**
 * The reporting period the rapportör's to-do view opens on: the domain's defaultReportQuarter (the
 * quarter whose window is open, else the current quarter, prepared for the next window).
 */
export function defaultPeriod(today: IsoDate): Quarter {
  return defaultReportQuarter(today);
}

/**
 * The quarter the statistics open on: the one whose window is open, else the latest that has
 * ended (a quarter's statistics are its figures at its end).
 */
export function initialQuarter(today: IsoDate): Quarter {
  return openWindowQuarter(today) ?? addQuarters(quarterOf(today), -1);
}

/** "Kvartal 2 2026". */
export function quarterTitle(q: Quarter): string {
  return `Kvartal ${q.quarter} ${q.year}`;
}

export type WindowState =
  | { state: 'upcoming'; opens: IsoDate; closes: IsoDate; daysUntil: number }
  | { state: 'open'; opens: IsoDate; closes: IsoDate; daysLeft: number }
  | { state: 'closed'; opens: IsoDate; closes: IsoDate };

/** Whether the quarter's reporting window to IVO is open today, coming or closed. */
export function windowState(q: Quarter, today: IsoDate): WindowState {
  const { opens, closes } = reportingWindow(q);
  if (today < opens)
    return { state: 'upcoming', opens, closes, daysUntil: daysBetween(today, opens) };
  if (today > closes) return { state: 'closed', opens, closes };
  return { state: 'open', opens, closes, daysLeft: daysBetween(today, closes) };
}

export function windowText(w: WindowState): string {
  const span = formatSwedishDateRange(w.opens, w.closes);
  switch (w.state) {
    case 'upcoming':
      return `Rapporteringsperioden ${span} har inte börjat: den öppnar om ${days(w.daysUntil)}.`;
    case 'open':
      return w.daysLeft === 0
        ? `Rapporteringsperioden ${span} är öppen. I dag är sista dagen.`
        : `Rapporteringsperioden ${span} är öppen: ${days(w.daysLeft)} kvar efter i dag.`;
    case 'closed':
      return `Rapporteringsperioden ${span} är stängd.`;
  }
}

export const WINDOW_BADGES: Record<WindowState['state'], { label: string; tone: string }> = {
  upcoming: { label: 'Kommande', tone: 'badge-pending' },
  open: { label: 'Öppen', tone: 'badge-ok' },
  closed: { label: 'Stängd', tone: 'badge-problem' },
};

/** The three groups, in the order IVO's routine takes them. */
export const KATEGORIER: { kategori: Kategori; title: string; empty: string }[] = [
  {
    kategori: 'nyrapportering',
    title: 'Nyrapporteringar',
    empty: 'Inga nyrapporteringar i perioden.',
  },
  {
    kategori: 'aterrapportering',
    title: 'Återrapporteringar',
    empty: 'Inga återrapporteringar i perioden.',
  },
  {
    kategori: 'slutrapportering',
    title: 'Slutrapporteringar',
    empty: 'Inga slutrapporteringar i perioden.',
  },
];

/** What the waiting began with: the decision or an interruption. */
export function episodeKindText(line: Pick<QuarterLine, 'episode'>): string {
  return line.episode.kind === 'avbrott' ? 'Avbrott' : 'Beslut';
}

/**
 * The line's status at the quarter's reference date (the domain's ReportStatus): not executed,
 * executed or closed with the date; for an interruption, not resumed or resumed.
 */
export function statusText(line: Pick<QuarterLine, 'status' | 'statusDate' | 'episode'>): string {
  const avbrott = line.episode.kind === 'avbrott';
  const date = line.statusDate ? ` ${formatDate(line.statusDate)}` : '';
  switch (line.status) {
    case 'ej_verkstalld':
      return avbrott ? 'Avbrott – ej återupptaget' : 'Ej verkställt';
    case 'verkstalld':
      return avbrott ? `Återupptaget${date}` : `Verkställt${date}`;
    case 'avslutad':
      return `Avslutat${date}`;
  }
}

export const STATUS_TONES: Record<QuarterLine['status'], string> = {
  ej_verkstalld: 'badge-problem',
  verkstalld: 'badge-ok',
  avslutad: 'badge-ok',
};

export function filedText(line: Pick<QuarterLine, 'filed' | 'filedOn'>): string {
  if (!line.filed) return 'Ej inlämnad';
  return line.filedOn ? `Inlämnad ${formatDate(line.filedOn)}` : 'Inlämnad';
}

/** The nämnder a user reports for, from their role grants. */
export function reportingNamndIds(
  roles: readonly { role: string; namndId: string | null }[],
): string[] {
  return [
    ...new Set(
      roles
        .filter((g) => (g.role === 'rapportor' || g.role === 'huvudrapportor') && g.namndId)
        .map((g) => g.namndId as string),
    ),
  ];
}

/** The rapportör messages about a line nobody has handled: "1 meddelande", "2 meddelanden". */
export function messagesText(n: number): string {
  return n === 1 ? '1 meddelande' : `${n} meddelanden`;
}

/**
 * Why an unfiled line cannot be marked as filed with IVO today, as a sentence (the domain's filing
 * rule: a line still waiting only in its quarter's reporting window); null when it can, or is filed.
 * The sentence names the report type sent (`send`) when the line says it, else the schedule's.
 */
export function notFileableToday(
  line: Pick<QuarterLine, 'filed' | 'report' | 'status' | 'statusDate'> &
    Partial<Pick<QuarterLine, 'send'>>,
  quarter: Quarter,
  today: IsoDate,
): string | null {
  if (line.filed) return null;
  const check = filingCheck({
    line: {
      report: line.send ?? line.report,
      status: line.status,
      ...(line.statusDate ? { statusDate: line.statusDate } : {}),
    },
    quarter,
    filedOn: today,
    today,
  });
  if (check.ok) return null;
  const reason = check.reason.charAt(0).toLocaleLowerCase('sv') + check.reason.slice(1);
  return `Kan inte lämnas in i dag: ${reason}.`;
}
