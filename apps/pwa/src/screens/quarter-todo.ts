import { formatSwedishDateRange, type IsoDate, type Quarter, quarterLabel } from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { days, formatDate } from '../format/format';
import { KATEGORIER, type Kategori, type QuarterLine, type WindowState } from './quarter-view';

/*
 * The rapportör's to-do view of a reporting period, apart from the screen: each line with what is
 * left to do (its findings and whether it can be filed today, from quarter.todo, which comes after
 * the lines), the figures at the top, the filters kept in the address, and the order of the tables
 * and their rows — what can be done today first.
 */

export type QuarterTodo = RouterOutputs['quarter']['todo'];
export type EarlierPeriod = QuarterTodo['earlier'][number];

/** A line with what is left to do; null while quarter.todo has not answered for it. */
export type TodoLine = QuarterLine & {
  /** What validation finds in the line's individrapport as it would be filed now. */
  findings: number | null;
  /** Unfiled, nothing to correct, and the filing rule allows today. */
  canFileToday: boolean | null;
};

export const lineKeyOf = (line: { decisionId: string; episode: { start: string } }) =>
  `${line.decisionId}|${line.episode.start}`;

/**
 * The lines with quarter.todo's answer over them. A filed line has nothing left to do; an unfiled
 * line the answer does not name (it came after the answer was made) is unknown, like every line
 * while there is no answer.
 */
export function withTodo(lines: readonly QuarterLine[], todo: QuarterTodo | undefined): TodoLine[] {
  const checks = new Map(todo?.lines.map((l) => [`${l.decisionId}|${l.episodeStart}`, l]) ?? []);
  return lines.map((line) => {
    if (line.filed) return { ...line, findings: 0, canFileToday: false };
    const check = checks.get(lineKeyOf(line));
    return {
      ...line,
      findings: check?.findings ?? null,
      canFileToday: check?.canFileToday ?? null,
    };
  });
}

export type TodoSummary = {
  lines: number;
  filed: number;
  unfiled: number;
  /** Null while quarter.todo has not answered. */
  fileableToday: number | null;
  /** Lines whose report has something to correct; null while quarter.todo has not answered. */
  withFindings: number | null;
  /** Unhandled rapportör messages over every line. */
  unhandledMessages: number;
  linesWithMessages: number;
};

export function todoSummary(lines: readonly TodoLine[], todoLoaded: boolean): TodoSummary {
  const unfiled = lines.filter((l) => !l.filed);
  return {
    lines: lines.length,
    filed: lines.length - unfiled.length,
    unfiled: unfiled.length,
    fileableToday: todoLoaded ? unfiled.filter((l) => l.canFileToday === true).length : null,
    withFindings: todoLoaded ? unfiled.filter((l) => (l.findings ?? 0) > 0).length : null,
    unhandledMessages: lines.reduce((n, l) => n + l.unhandledMessages, 0),
    linesWithMessages: lines.filter((l) => l.unhandledMessages > 0).length,
  };
}

export const LINE_FILTERS = [
  { value: 'alla', label: 'Alla' },
  { value: 'kan-lamnas', label: 'Kan lämnas i dag' },
  { value: 'fel', label: 'Har fel att rätta' },
  { value: 'meddelanden', label: 'Har olästa meddelanden' },
  { value: 'inlamnade', label: 'Inlämnade' },
  { value: 'ej-inlamnade', label: 'Ej inlämnade' },
] as const;

export type LineFilter = (typeof LINE_FILTERS)[number]['value'];

/** The filter in the address (`?visa=kan-lamnas`); every line when none or an unknown one. */
export function parseLineFilter(value: string | null): LineFilter {
  return LINE_FILTERS.find((f) => f.value === value)?.value ?? 'alla';
}

/** Whether quarter.todo's answer is needed to tell which lines the filter keeps. */
export function needsTodo(filter: LineFilter): boolean {
  return filter === 'kan-lamnas' || filter === 'fel';
}

/** Whether the filter keeps the line (a line not yet known to the answer is not kept). */
export function matchesFilter(line: TodoLine, filter: LineFilter): boolean {
  switch (filter) {
    case 'alla':
      return true;
    case 'kan-lamnas':
      return line.canFileToday === true;
    case 'fel':
      return !line.filed && (line.findings ?? 0) > 0;
    case 'meddelanden':
      return line.unhandledMessages > 0;
    case 'inlamnade':
      return line.filed;
    case 'ej-inlamnade':
      return !line.filed;
  }
}

/** How many lines each filter keeps; null where the answer is needed and not there. */
export function filterCounts(
  lines: readonly TodoLine[],
  todoLoaded: boolean,
): Record<LineFilter, number | null> {
  return Object.fromEntries(
    LINE_FILTERS.map(({ value }) => [
      value,
      needsTodo(value) && !todoLoaded ? null : lines.filter((l) => matchesFilter(l, value)).length,
    ]),
  ) as Record<LineFilter, number | null>;
}

/**
 * A line's place in its table: what can be filed today first, then what has something to
 * correct, then the rest not filed (waiting for the window, or not yet checked), the filed last.
 */
function rank(line: TodoLine): number {
  if (line.filed) return 3;
  if (line.canFileToday === true) return 0;
  if ((line.findings ?? 0) > 0) return 1;
  return 2;
}

export type TodoGroup = {
  kategori: Kategori;
  title: string;
  empty: string;
  /** Every line the group has in the period. */
  total: number;
  /** The lines the filter keeps, in the to-do order. */
  lines: TodoLine[];
};

/**
 * The tables, grouped by the report type sent (a line the schedule calls åter- or
 * slutrapportering goes as a nyrapportering while no earlier filing is recorded). The
 * slutrapporteringar come first while any is unfiled: they may be sent at once, between windows,
 * and should be as soon as the decision is executed or closed. Within a table, the to-do order
 * (rank), else the server's (first overdue day).
 */
export function todoGroups(lines: readonly TodoLine[], filter: LineFilter): TodoGroup[] {
  const slutFirst = lines.some((l) => l.sendKategori === 'slutrapportering' && !l.filed);
  const order: Kategori[] = slutFirst
    ? ['slutrapportering', 'nyrapportering', 'aterrapportering']
    : ['nyrapportering', 'aterrapportering', 'slutrapportering'];
  return order.map((kategori) => {
    const { title, empty } = KATEGORIER.find((k) => k.kategori === kategori)!;
    const all = lines.filter((l) => l.sendKategori === kategori);
    const kept = all
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => matchesFilter(line, filter))
      .sort((a, b) => rank(a.line) - rank(b.line) || a.index - b.index)
      .map(({ line }) => line);
    return { kategori, title, empty, total: all.length, lines: kept };
  });
}

/**
 * "1–31 oktober 2026", "1 juli–31 augusti 2026", "15 december 2026–15 januari 2027": the
 * domain's form, the one the server's and the domain's messages write a period in too.
 */
export function windowSpanText(opens: IsoDate, closes: IsoDate): string {
  return formatSwedishDateRange(opens, closes);
}

/** "Rapporteringsperiod: kvartal 3 2026 (lämnas 1–31 oktober 2026)". */
export function periodTitle(q: Quarter, window: { opens: IsoDate; closes: IsoDate }): string {
  return `Rapporteringsperiod: ${quarterLabel(q)} (lämnas ${windowSpanText(window.opens, window.closes)})`;
}

/** The window as a figure at the top: "Stänger om 10 dagar", "Öppnar om 30 dagar", "Stängd". */
export function windowCountdown(w: WindowState): { figure: string; detail: string } {
  switch (w.state) {
    case 'upcoming':
      return { figure: `Öppnar om ${days(w.daysUntil)}`, detail: formatDate(w.opens) };
    case 'open':
      return w.daysLeft === 0
        ? { figure: 'Stänger i dag', detail: formatDate(w.closes) }
        : { figure: `Stänger om ${days(w.daysLeft)}`, detail: formatDate(w.closes) };
    case 'closed':
      return { figure: 'Stängd', detail: `sedan ${formatDate(w.closes)}` };
  }
}

/** How a filed line came into evb. */
export function filedHowText(how: QuarterLine['filedHow']): string | null {
  switch (how) {
    case 'evb':
      return 'markerad i evb';
    case 'efterhand':
      return 'registrerad i efterhand';
    case 'import':
      return 'importerad';
    default:
      return null;
  }
}

/**
 * What a filed line says when its filed report used events voided (makulerade) since (the
 * server's note, `filedVoidedSince`): the filed copy stands and nothing is to be filed again; a
 * correction may go in the next report. Null when the line has no such note.
 */
export function voidedSinceShort(
  line: Pick<QuarterLine, 'filed'> & { filedVoidedSince?: string | null },
): { fact: string; advice: string } | null {
  if (!line.filed || !line.filedVoidedSince) return null;
  const several = !line.filedVoidedSince.includes('bygger på en händelse');
  return {
    fact: several
      ? 'Bygger på händelser som sedan makulerats'
      : 'Bygger på en händelse som sedan makulerats',
    advice:
      'IVO har det som skickades, och raden behöver inte lämnas in igen. Skicka vid behov en rättelse i nästa rapport.',
  };
}

/**
 * The short form of why a line goes as another report type than its schedule's: the full
 * sentence (sendNotice) is on the individrapport.
 */
export function sendNoticeShort(line: Pick<QuarterLine, 'send' | 'report'>): string | null {
  if (line.send === line.report) return null;
  return line.send === 'ny'
    ? 'Skickas som nyrapportering: tidigare kvartal är inte registrerade som rapporterade'
    : 'Skickas som återrapportering';
}

/** "1 rad", "3 rader". */
export function rows(n: number): string {
  return n === 1 ? '1 rad' : `${n} rader`;
}

/** "2 fel att rätta". */
export function findingsText(n: number): string {
  return n === 1 ? '1 fel att rätta' : `${n} fel att rätta`;
}

/** The earlier periods' notice, one item each: "kvartal 2 2026: 3 rader ej inlämnade (1 kan lämnas i dag)". */
export function earlierPeriodText(p: EarlierPeriod): string {
  const base = `${quarterLabel(p.quarter)}: ${rows(p.unfiled)} ej ${p.unfiled === 1 ? 'inlämnad' : 'inlämnade'}`;
  return p.fileableToday > 0 ? `${base} (${p.fileableToday} kan lämnas i dag)` : base;
}
