import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  type CaseEvent,
  type Decision,
  firstOverdueDay,
  latestStartOverdueBy,
  type Quarter,
  quarterStatistics,
  STATISTICS_TREND_QUARTERS,
  type StatisticsSubject,
  statisticsKon,
  statisticsTrend,
  waitBucket,
} from './index';

const q = (year: number, quarter: 1 | 2 | 3 | 4): Quarter => ({ year, quarter });

let eventCounter = 0;
function subject(
  id: string,
  beslutsdatum: string,
  events: { type: 'verkstalld' | 'avbrott' | 'avslutad'; date: string }[] = [],
  extra: Partial<Decision> & { ivoId?: string; kon?: 'kvinna' | 'man' } = {},
): StatisticsSubject {
  const { ivoId = '19800101-T123', kon = 'kvinna', ...decision } = extra;
  return {
    decision: { id, lagrum: 'LSS', insats: 'LSS_9_10', beslutsdatum, ...decision },
    events: events.map((e) => {
      eventCounter += 1;
      return {
        id: `e${eventCounter}`,
        decisionId: id,
        ...e,
        ...(e.type === 'avslutad' ? { anledning: 'behov_upphort' } : {}),
      } as CaseEvent;
    }),
    ivoId,
    kon,
  };
}

describe('waitBucket', () => {
  it('puts each boundary day in its group, in calendar months clamped to the month’s end', () => {
    // 31 January: three months is 30 April (clamped), six 31 July, twelve 31 January.
    const start = '2025-01-31';
    expect(waitBucket(start, '2025-04-30')).toBeNull();
    expect(waitBucket(start, '2025-05-01')).toBe('3_6');
    expect(waitBucket(start, '2025-07-31')).toBe('3_6');
    expect(waitBucket(start, '2025-08-01')).toBe('6_12');
    expect(waitBucket(start, '2026-01-31')).toBe('6_12');
    expect(waitBucket(start, '2026-02-01')).toBe('over_12');
    expect(waitBucket(start, '2030-01-01')).toBe('over_12');
  });

  it('counts from a 30 November start as the three-month limit does (to 28 February)', () => {
    expect(waitBucket('2026-11-30', '2027-02-28')).toBeNull();
    expect(waitBucket('2026-11-30', '2027-03-01')).toBe('3_6');
    expect(waitBucket('2026-11-30', '2027-05-30')).toBe('3_6');
    expect(waitBucket('2026-11-30', '2027-05-31')).toBe('6_12');
    expect(waitBucket('2026-11-30', '2027-11-30')).toBe('6_12');
    expect(waitBucket('2026-11-30', '2027-12-01')).toBe('over_12');
  });

  it('starts counting on the day the three-month limit is passed, for every start', () => {
    const day = fc.integer({ min: 0, max: 365 * 8 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(day, (start) => {
        const overdue = firstOverdueDay(start);
        expect(waitBucket(start, addDays(overdue, -1))).toBeNull();
        expect(waitBucket(start, overdue)).toBe('3_6');
        expect(waitBucket(start, addMonths(start, 6))).toBe('3_6');
        expect(waitBucket(start, addDays(addMonths(start, 6), 1))).toBe('6_12');
        expect(waitBucket(start, addMonths(start, 12))).toBe('6_12');
        expect(waitBucket(start, addDays(addMonths(start, 12), 1))).toBe('over_12');
      }),
    );
  });
});

describe('latestStartOverdueBy', () => {
  it('is the last start that is overdue on the day, for every day', () => {
    const day = fc.integer({ min: 0, max: 365 * 8 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(day, (date) => {
        const latest = latestStartOverdueBy(date);
        expect(firstOverdueDay(latest) <= date).toBe(true);
        expect(firstOverdueDay(addDays(latest, 1)) > date).toBe(true);
      }),
    );
    expect(latestStartOverdueBy('2026-03-31')).toBe('2025-12-30');
    expect(latestStartOverdueBy('2026-05-31')).toBe('2026-02-28');
  });
});

describe('statisticsKon', () => {
  it('takes the sex the IVO pseudo-id carries, over the registered kön', () => {
    expect(statisticsKon('19800101-T123', 'man')).toBe('kvinna');
    expect(statisticsKon('19800101-TF10', 'kvinna')).toBe('man');
    expect(statisticsKon('inte-ett-id', 'man')).toBe('man');
  });
});

describe('quarterStatistics', () => {
  // Q2 2026: 1 April – 30 June; reference date 30 June.
  const q2 = q(2026, 2);

  it('counts decisions and interruptions still waiting after three months on the reference date', () => {
    const stats = quarterStatistics(
      [
        // Waiting since 2026-03-01: overdue from 2 June, 3–6 months on 30 June.
        subject('a', '2026-03-01', [], { insats: 'LSS_9_10', ivoId: '19800101-T123' }),
        // Decided 2026-03-31: overdue only from 1 July – not counted.
        subject('b', '2026-03-31'),
        // Decided 2026-03-30: 30 June is the three-month day itself – not counted.
        subject('c', '2026-03-30'),
        // Decided 2026-03-29: three months is 29 June, overdue on 30 June – counted.
        subject('d', '2026-03-29', [], { insats: 'LSS_9_4', ivoId: '19750505-T010' }),
        // Executed on the reference date after more than three months: ended, not counted.
        subject('e', '2025-12-01', [{ type: 'verkstalld', date: '2026-06-30' }]),
        // Closed in the quarter after more than three months.
        subject('f', '2025-12-01', [{ type: 'avslutad', date: '2026-05-15' }]),
        // Executed within three months: no line at all.
        subject('g', '2026-01-10', [{ type: 'verkstalld', date: '2026-04-10' }]),
        // Executed, then interrupted 2026-01-15 and not resumed: an interruption, 3–6 months.
        subject(
          'h',
          '2025-06-01',
          [
            { type: 'verkstalld', date: '2025-07-01' },
            { type: 'avbrott', date: '2026-01-15' },
          ],
          { insats: 'LSS_9_4', ivoId: '19900101-T030' },
        ),
        // Waiting since 2025-06-30: on 30 June 2026 exactly twelve months – 6–12 months.
        subject('i', '2025-06-30', [], { insats: 'SOL_HEMTJANST', lagrum: 'SoL' }),
        // Waiting since 2025-06-29: more than twelve months.
        subject('j', '2025-06-29', [], { insats: 'SOL_HEMTJANST', lagrum: 'SoL' }),
        // Executed after the reference date: still waiting on 30 June.
        subject('k', '2025-12-30', [{ type: 'verkstalld', date: '2026-07-02' }]),
      ],
      q2,
    );
    expect(stats.referenceDate).toBe('2026-06-30');
    expect(stats.total).toEqual({
      beslut: { kvinna: 4, man: 1, total: 5 },
      avbrott: { kvinna: 0, man: 1, total: 1 },
      total: { kvinna: 4, man: 2, total: 6 },
    });
    expect(
      stats.byInsats.map((r) => [r.insats, r.counts.beslut.total, r.counts.avbrott.total]),
    ).toEqual([
      ['LSS_9_4', 1, 1],
      ['LSS_9_10', 2, 0],
      ['SOL_HEMTJANST', 2, 0],
    ]);
    expect(stats.byWait.map((r) => [r.vantetid, r.counts.total.total])).toEqual([
      ['3_6', 4],
      ['6_12', 1],
      ['over_12', 1],
    ]);
    expect(stats.byWait[0]!.counts.avbrott).toEqual({ kvinna: 0, man: 1, total: 1 });
    expect(stats.endedInQuarter).toEqual({ verkstalld: 1, avslutad: 1 });
  });

  it('sums every breakdown to the total', () => {
    const subjects = [
      subject('a', '2024-01-10', [], { ivoId: '19800101-T100' }),
      subject('b', '2025-02-10', [], { insats: 'LSS_9_2', ivoId: '19800101-T110' }),
      subject('c', '2025-09-10', [], { insats: 'LSS_9_2', ivoId: '19800101-T120' }),
    ];
    const stats = quarterStatistics(subjects, q(2026, 1));
    const sum = (rows: { counts: { total: { total: number } } }[]) =>
      rows.reduce((n, r) => n + r.counts.total.total, 0);
    expect(stats.total.total.total).toBe(3);
    expect(sum(stats.byInsats)).toBe(3);
    expect(sum(stats.byWait)).toBe(3);
    expect(stats.total.total.kvinna + stats.total.total.man).toBe(3);
  });

  it('is empty, with every waiting group and both law groups present, when nothing waits', () => {
    const stats = quarterStatistics([], q(2026, 1));
    expect(stats.total.total.total).toBe(0);
    expect(stats.byInsats).toEqual([]);
    expect(stats.byWait.map((r) => r.vantetid)).toEqual(['3_6', '6_12', 'over_12']);
    expect(stats.byLagrum.map((g) => [g.lagrum, g.counts.total.total, g.insatser])).toEqual([
      ['SoL', 0, []],
      ['LSS', 0, []],
    ]);
  });

  it('groups the insatser under SoL, then LSS, each in the code list’s order with its subtotal', () => {
    const sol = { lagrum: 'SoL' as const };
    const subjects = [
      // Given in no particular order: the grouping and order come from the code list.
      subject('a', '2025-10-01', [], { insats: 'LSS_9_10', ivoId: '19800101-T100' }),
      subject('b', '2025-10-01', [], { ...sol, insats: 'SOL_HEMTJANST', ivoId: '19800101-T110' }),
      subject('c', '2025-10-01', [], { insats: 'LSS_9_1', ivoId: '19800101-T120' }),
      subject('d', '2025-10-01', [], { ...sol, insats: 'SOL_SARSKILT_BOENDE' }),
      subject('e', '2025-10-01', [], { ...sol, insats: 'SOL_HEMTJANST', ivoId: '19800101-T131' }),
      subject('f', '2025-10-01', [], { insats: 'LSS_9_9_GRUPPBOSTAD', ivoId: '19800101-T151' }),
      subject('g', '2025-03-01', [
        { type: 'verkstalld', date: '2025-04-01' },
        { type: 'avbrott', date: '2025-11-01' },
      ]),
    ];
    const stats = quarterStatistics(subjects, q(2026, 1));
    expect(
      stats.byLagrum.map((g) => [
        g.lagrum,
        g.insatser.map((r) => [r.insats, r.counts.total.total]),
      ]),
    ).toEqual([
      [
        'SoL',
        [
          ['SOL_SARSKILT_BOENDE', 1],
          ['SOL_HEMTJANST', 2],
        ],
      ],
      [
        'LSS',
        [
          ['LSS_9_1', 1],
          ['LSS_9_9_GRUPPBOSTAD', 1],
          ['LSS_9_10', 2],
        ],
      ],
    ]);
    const [solGroup, lssGroup] = stats.byLagrum;
    expect(solGroup!.counts).toEqual({
      beslut: { kvinna: 1, man: 2, total: 3 },
      avbrott: { kvinna: 0, man: 0, total: 0 },
      total: { kvinna: 1, man: 2, total: 3 },
    });
    expect(lssGroup!.counts).toEqual({
      beslut: { kvinna: 2, man: 1, total: 3 },
      avbrott: { kvinna: 1, man: 0, total: 1 },
      total: { kvinna: 3, man: 1, total: 4 },
    });
    // The subtotals add up to the total, and the groups hold exactly the rows of byInsats.
    expect(solGroup!.counts.total.total + lssGroup!.counts.total.total).toBe(
      stats.total.total.total,
    );
    expect(stats.byLagrum.flatMap((g) => g.insatser.map((r) => r.insats)).sort()).toEqual(
      stats.byInsats.map((r) => r.insats).sort(),
    );
  });
});

describe('statisticsTrend', () => {
  it('gives the eight quarters ending with the chosen one, oldest first, counted as each quarter is', () => {
    const subjects = [
      // Waits from 2025-01-15 until executed 2026-02-10: counted Q2 2025 – Q4 2025.
      subject('a', '2025-01-15', [{ type: 'verkstalld', date: '2026-02-10' }]),
      // Waits from 2026-01-05: counted from Q2 2026.
      subject('b', '2026-01-05'),
    ];
    const trend = statisticsTrend(subjects, q(2026, 2));
    expect(trend).toHaveLength(STATISTICS_TREND_QUARTERS);
    expect(
      trend.map((t) => `${t.quarter.year}-${t.quarter.quarter}:${t.total.total.total}`),
    ).toEqual([
      '2024-3:0',
      '2024-4:0',
      '2025-1:0',
      '2025-2:1',
      '2025-3:1',
      '2025-4:1',
      '2026-1:0',
      '2026-2:1',
    ]);
    expect(trend[7]!.total).toEqual(quarterStatistics(subjects, q(2026, 2)).total);
  });
});
