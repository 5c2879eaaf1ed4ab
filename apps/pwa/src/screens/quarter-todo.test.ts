import { describe, expect, it } from 'vitest';
import {
  earlierPeriodText,
  filedHowText,
  filterCounts,
  matchesFilter,
  parseLineFilter,
  periodTitle,
  type QuarterTodo,
  sendNoticeShort,
  type TodoLine,
  todoGroups,
  todoSummary,
  windowCountdown,
  windowSpanText,
  withTodo,
} from './quarter-todo';
import { type QuarterLine, windowState } from './quarter-view';

const line = (over: Partial<QuarterLine>): QuarterLine => ({
  kategori: 'nyrapportering',
  sendKategori: 'nyrapportering',
  decisionId: 'd1',
  person: { ivoId: '19800101-T123', namn: 'Ada Lind', skyddadIdentitet: false },
  insats: 'LSS_9_10',
  insatsLabel: 'Daglig verksamhet',
  verksamhetsomrade: 'LSS',
  forhandsbesked: false,
  episode: { kind: 'beslut', start: '2026-03-01' },
  report: 'ny',
  send: 'ny',
  sendNotice: null,
  unrecordedEarlier: [],
  status: 'ej_verkstalld',
  statusDate: null,
  overdueFrom: '2026-06-02',
  daysWaited: 200,
  filed: false,
  filedOn: null,
  filedHow: null,
  unhandledMessages: 0,
  ...over,
});

// A period's lines in the server's order: by the schedule's group, then the first overdue day.
const LINES: QuarterLine[] = [
  line({ decisionId: 'ny-klar', overdueFrom: '2026-07-02' }),
  line({ decisionId: 'ny-fel', overdueFrom: '2026-07-10', unhandledMessages: 2 }),
  line({
    decisionId: 'ny-inlamnad',
    overdueFrom: '2026-07-01',
    filed: true,
    filedOn: '2026-10-02',
    filedHow: 'evb',
  }),
  line({
    decisionId: 'ater-som-ny',
    kategori: 'aterrapportering',
    report: 'ater',
    send: 'ny',
    sendNotice: 'Enligt lagens schema är raden en återrapportering, men …',
    unrecordedEarlier: ['2026-Q2'],
    overdueFrom: '2026-05-01',
  }),
  line({
    decisionId: 'ater',
    kategori: 'aterrapportering',
    sendKategori: 'aterrapportering',
    report: 'ater',
    send: 'ater',
    overdueFrom: '2026-04-10',
    unhandledMessages: 1,
  }),
  line({
    decisionId: 'slut',
    kategori: 'slutrapportering',
    sendKategori: 'slutrapportering',
    report: 'ater',
    send: 'ater',
    status: 'verkstalld',
    statusDate: '2026-08-20',
    overdueFrom: '2026-04-16',
  }),
];

const TODO: QuarterTodo = {
  quarterKey: '2026-Q3',
  lines: [
    { decisionId: 'ny-klar', episodeStart: '2026-03-01', findings: 0, canFileToday: true },
    { decisionId: 'ny-fel', episodeStart: '2026-03-01', findings: 2, canFileToday: false },
    { decisionId: 'ater-som-ny', episodeStart: '2026-03-01', findings: 0, canFileToday: false },
    { decisionId: 'ater', episodeStart: '2026-03-01', findings: 1, canFileToday: false },
    { decisionId: 'slut', episodeStart: '2026-03-01', findings: 0, canFileToday: true },
  ],
  earlier: [],
};

const ids = (lines: readonly TodoLine[]) => lines.map((l) => l.decisionId);

describe('the to-do view’s lines', () => {
  it('puts quarter.todo’s answer on each unfiled line; a filed line has nothing left to do', () => {
    const merged = withTodo(LINES, TODO);
    expect(merged.map((l) => [l.decisionId, l.findings, l.canFileToday])).toEqual([
      ['ny-klar', 0, true],
      ['ny-fel', 2, false],
      ['ny-inlamnad', 0, false],
      ['ater-som-ny', 0, false],
      ['ater', 1, false],
      ['slut', 0, true],
    ]);
    // Before the answer, and for a line the answer does not name, nothing is known.
    expect(withTodo(LINES, undefined).map((l) => l.canFileToday)).toEqual([
      null,
      null,
      false,
      null,
      null,
      null,
    ]);
    const late = withTodo([...LINES, line({ decisionId: 'ny-sen' })], TODO).at(-1)!;
    expect([late.findings, late.canFileToday]).toEqual([null, null]);
  });

  it('sums up what can be filed today, what has findings and the unhandled messages', () => {
    expect(todoSummary(withTodo(LINES, TODO), true)).toEqual({
      lines: 6,
      filed: 1,
      unfiled: 5,
      fileableToday: 2,
      withFindings: 2,
      unhandledMessages: 3,
      linesWithMessages: 2,
    });
    // Until quarter.todo answers, only what the lines themselves say.
    expect(todoSummary(withTodo(LINES, undefined), false)).toMatchObject({
      unfiled: 5,
      fileableToday: null,
      withFindings: null,
      unhandledMessages: 3,
    });
  });

  it('filters by what is left to do, and counts each filter', () => {
    const merged = withTodo(LINES, TODO);
    const kept = (filter: Parameters<typeof matchesFilter>[1]) =>
      ids(merged.filter((l) => matchesFilter(l, filter)));
    expect(kept('alla')).toHaveLength(6);
    expect(kept('kan-lamnas')).toEqual(['ny-klar', 'slut']);
    expect(kept('fel')).toEqual(['ny-fel', 'ater']);
    expect(kept('meddelanden')).toEqual(['ny-fel', 'ater']);
    expect(kept('inlamnade')).toEqual(['ny-inlamnad']);
    expect(kept('ej-inlamnade')).toEqual(['ny-klar', 'ny-fel', 'ater-som-ny', 'ater', 'slut']);
    expect(filterCounts(merged, true)).toEqual({
      alla: 6,
      'kan-lamnas': 2,
      fel: 2,
      meddelanden: 2,
      inlamnade: 1,
      'ej-inlamnade': 5,
    });
    // The two that need the reports are not counted before quarter.todo answers.
    expect(filterCounts(withTodo(LINES, undefined), false)).toMatchObject({
      'kan-lamnas': null,
      fel: null,
      inlamnade: 1,
    });
  });

  it('reads the filter from the address, every line for none or an unknown one', () => {
    expect(parseLineFilter('kan-lamnas')).toBe('kan-lamnas');
    expect(parseLineFilter('ej-inlamnade')).toBe('ej-inlamnade');
    expect(parseLineFilter(null)).toBe('alla');
    expect(parseLineFilter('<script>')).toBe('alla');
  });

  it('groups by the report type sent, slutrapporteringar first while one is unfiled, what can be filed today first', () => {
    const groups = todoGroups(withTodo(LINES, TODO), 'alla');
    expect(groups.map((g) => [g.kategori, g.total, ids(g.lines)])).toEqual([
      ['slutrapportering', 1, ['slut']],
      // The återrapportering sent as new is with the new ones; fileable, findings, waiting, filed.
      ['nyrapportering', 4, ['ny-klar', 'ny-fel', 'ater-som-ny', 'ny-inlamnad']],
      ['aterrapportering', 1, ['ater']],
    ]);
    // Once the slutrapportering is filed, the groups take IVO's order again.
    const slutFiled = LINES.map((l) =>
      l.decisionId === 'slut'
        ? { ...l, filed: true, filedOn: '2026-09-01', filedHow: 'evb' as const }
        : l,
    );
    expect(todoGroups(withTodo(slutFiled, TODO), 'alla').map((g) => g.kategori)).toEqual([
      'nyrapportering',
      'aterrapportering',
      'slutrapportering',
    ]);
    // A filter keeps each group's total and its own lines.
    const filtered = todoGroups(withTodo(LINES, TODO), 'fel');
    expect(filtered.map((g) => [g.kategori, g.total, ids(g.lines)])).toEqual([
      ['slutrapportering', 1, []],
      ['nyrapportering', 4, ['ny-fel']],
      ['aterrapportering', 1, ['ater']],
    ]);
    // Before quarter.todo answers: the unfiled lines in the server's order, the filed last.
    expect(ids(todoGroups(withTodo(LINES, undefined), 'alla')[1]!.lines)).toEqual([
      'ny-klar',
      'ny-fel',
      'ater-som-ny',
      'ny-inlamnad',
    ]);
  });
});

describe('the to-do view’s texts', () => {
  it('names the period with its window', () => {
    expect(
      periodTitle({ year: 2026, quarter: 3 }, { opens: '2026-10-01', closes: '2026-10-31' }),
    ).toBe('Rapporteringsperiod: kvartal 3 2026 (lämnas 1–31 oktober 2026)');
    expect(windowSpanText('2026-07-01', '2026-08-31')).toBe('1 juli–31 augusti 2026');
    expect(windowSpanText('2026-12-15', '2027-01-15')).toBe('15 december 2026–15 januari 2027');
  });

  it('counts down to the window’s end, or its start', () => {
    const q3 = { year: 2026, quarter: 3 } as const;
    expect(windowCountdown(windowState(q3, '2026-10-21'))).toEqual({
      figure: 'Stänger om 10 dagar',
      detail: '31 oktober 2026',
    });
    expect(windowCountdown(windowState(q3, '2026-10-31')).figure).toBe('Stänger i dag');
    expect(windowCountdown(windowState(q3, '2026-09-30'))).toEqual({
      figure: 'Öppnar om 1 dag',
      detail: '1 oktober 2026',
    });
    expect(windowCountdown(windowState(q3, '2026-11-22'))).toEqual({
      figure: 'Stängd',
      detail: 'sedan 31 oktober 2026',
    });
  });

  it('says how a filing came into evb, and why a line goes as another type', () => {
    expect(filedHowText('evb')).toBe('markerad i evb');
    expect(filedHowText('efterhand')).toBe('registrerad i efterhand');
    expect(filedHowText('import')).toBe('importerad');
    expect(filedHowText(null)).toBeNull();
    expect(sendNoticeShort({ report: 'ater', send: 'ny' })).toBe(
      'Skickas som nyrapportering: tidigare kvartal är inte registrerade som rapporterade',
    );
    expect(sendNoticeShort({ report: 'ater', send: 'ater' })).toBeNull();
    expect(sendNoticeShort({ report: 'ny', send: 'ny' })).toBeNull();
  });

  it('names an earlier period’s unfiled lines', () => {
    expect(
      earlierPeriodText({
        quarter: { year: 2026, quarter: 2 },
        quarterKey: '2026-Q2',
        unfiled: 3,
        fileableToday: 1,
      }),
    ).toBe('kvartal 2 2026: 3 rader ej inlämnade (1 kan lämnas i dag)');
    expect(
      earlierPeriodText({
        quarter: { year: 2026, quarter: 1 },
        quarterKey: '2026-Q1',
        unfiled: 1,
        fileableToday: 0,
      }),
    ).toBe('kvartal 1 2026: 1 rad ej inlämnad');
  });
});
