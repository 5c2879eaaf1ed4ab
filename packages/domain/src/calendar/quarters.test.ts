import { describe, expect, it } from 'vitest';
import {
  addDays,
  addQuarters,
  compareQuarters,
  defaultReportQuarter,
  openWindowQuarter,
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterOf,
  reportingWindow,
} from '../index';

const q = (year: number, quarter: 1 | 2 | 3 | 4): Quarter => ({ year, quarter });

describe('quarterOf', () => {
  it.each([
    ['2026-01-01', q(2026, 1)],
    ['2026-02-28', q(2026, 1)],
    ['2026-03-31', q(2026, 1)],
    ['2026-04-01', q(2026, 2)],
    ['2026-06-30', q(2026, 2)],
    ['2026-07-01', q(2026, 3)],
    ['2026-09-30', q(2026, 3)],
    ['2026-10-01', q(2026, 4)],
    ['2026-12-31', q(2026, 4)],
    ['2028-02-29', q(2028, 1)],
    ['2100-12-31', q(2100, 4)],
  ])('%s is in %o', (date, expected) => {
    expect(quarterOf(date)).toEqual(expected);
  });
});

describe('quarterBounds (end = the reference date)', () => {
  it.each([
    [q(2026, 1), '2026-01-01', '2026-03-31'],
    [q(2026, 2), '2026-04-01', '2026-06-30'],
    [q(2026, 3), '2026-07-01', '2026-09-30'],
    [q(2026, 4), '2026-10-01', '2026-12-31'],
    [q(2028, 1), '2028-01-01', '2028-03-31'],
    [q(2100, 1), '2100-01-01', '2100-03-31'],
  ])('%o: %s – %s', (quarter, start, end) => {
    expect(quarterBounds(quarter)).toEqual({ start, end });
  });

  it('quarters tile the calendar: every day is in exactly the quarter whose bounds hold it', () => {
    let quarter = q(2024, 1);
    for (let i = 0; i < 16; i++) {
      const { start, end } = quarterBounds(quarter);
      expect(quarterOf(start)).toEqual(quarter);
      expect(quarterOf(end)).toEqual(quarter);
      const next = addQuarters(quarter, 1);
      expect(quarterBounds(next).start).toBe(addDays(end, 1));
      quarter = next;
    }
  });
});

describe("reportingWindow 'ivo' (the default, seed 000)", () => {
  it.each([
    [q(2026, 1), '2026-04-01', '2026-04-30'],
    [q(2026, 2), '2026-07-01', '2026-08-31'],
    [q(2026, 3), '2026-10-01', '2026-10-31'],
    [q(2026, 4), '2027-01-01', '2027-01-31'],
    [q(2028, 1), '2028-04-01', '2028-04-30'],
    [q(2099, 4), '2100-01-01', '2100-01-31'],
  ])('%o: %s – %s', (quarter, opens, closes) => {
    expect(reportingWindow(quarter)).toEqual({ opens, closes });
    expect(reportingWindow(quarter, 'ivo')).toEqual({ opens, closes });
  });
});

describe("reportingWindow 'lss-blankett' (seed 003)", () => {
  it.each([
    [q(2026, 1), '2026-03-15', '2026-04-15'],
    [q(2026, 2), '2026-06-15', '2026-07-31'],
    [q(2026, 3), '2026-09-15', '2026-10-15'],
    [q(2026, 4), '2026-12-15', '2027-01-15'],
  ])('%o: %s – %s', (quarter, opens, closes) => {
    expect(reportingWindow(quarter, 'lss-blankett')).toEqual({ opens, closes });
  });
});

describe('openWindowQuarter and defaultReportQuarter', () => {
  // today, open window (or null), default quarter
  const ivo: [string, Quarter | null, Quarter][] = [
    ['2026-03-31', null, q(2026, 1)],
    ['2026-04-01', q(2026, 1), q(2026, 1)],
    ['2026-04-30', q(2026, 1), q(2026, 1)],
    ['2026-05-01', null, q(2026, 2)],
    ['2026-06-30', null, q(2026, 2)],
    ['2026-07-01', q(2026, 2), q(2026, 2)],
    ['2026-08-31', q(2026, 2), q(2026, 2)],
    ['2026-09-01', null, q(2026, 3)],
    ['2026-09-30', null, q(2026, 3)],
    ['2026-10-01', q(2026, 3), q(2026, 3)],
    ['2026-10-31', q(2026, 3), q(2026, 3)],
    ['2026-11-01', null, q(2026, 4)],
    ['2026-11-22', null, q(2026, 4)],
    ['2026-12-31', null, q(2026, 4)],
    ['2027-01-01', q(2026, 4), q(2026, 4)],
    ['2027-01-15', q(2026, 4), q(2026, 4)],
    ['2027-01-31', q(2026, 4), q(2026, 4)],
    ['2027-02-01', null, q(2027, 1)],
  ];
  it.each(ivo)("'ivo' on %s: open %o, default %o", (today, open, fallback) => {
    expect(openWindowQuarter(today)).toEqual(open);
    expect(openWindowQuarter(today, 'ivo')).toEqual(open);
    expect(defaultReportQuarter(today)).toEqual(fallback);
    expect(defaultReportQuarter(today, 'ivo')).toEqual(fallback);
  });

  const lss: [string, Quarter | null, Quarter][] = [
    ['2026-03-14', null, q(2026, 1)],
    // This window opens before its quarter has ended.
    ['2026-03-15', q(2026, 1), q(2026, 1)],
    ['2026-03-31', q(2026, 1), q(2026, 1)],
    ['2026-04-15', q(2026, 1), q(2026, 1)],
    ['2026-04-16', null, q(2026, 2)],
    ['2026-06-14', null, q(2026, 2)],
    ['2026-06-15', q(2026, 2), q(2026, 2)],
    ['2026-07-31', q(2026, 2), q(2026, 2)],
    ['2026-08-01', null, q(2026, 3)],
    ['2026-09-14', null, q(2026, 3)],
    ['2026-09-15', q(2026, 3), q(2026, 3)],
    ['2026-10-15', q(2026, 3), q(2026, 3)],
    ['2026-10-16', null, q(2026, 4)],
    ['2026-11-22', null, q(2026, 4)],
    ['2026-12-14', null, q(2026, 4)],
    ['2026-12-15', q(2026, 4), q(2026, 4)],
    ['2026-12-31', q(2026, 4), q(2026, 4)],
    ['2027-01-15', q(2026, 4), q(2026, 4)],
    ['2027-01-16', null, q(2027, 1)],
  ];
  it.each(lss)("'lss-blankett' on %s: open %o, default %o", (today, open, fallback) => {
    expect(openWindowQuarter(today, 'lss-blankett')).toEqual(open);
    expect(defaultReportQuarter(today, 'lss-blankett')).toEqual(fallback);
  });

  it.each(['ivo', 'lss-blankett'] as const)(
    "'%s': every day 2024–2030 agrees with a brute-force search over all windows",
    (calendar) => {
      const windows: { quarter: Quarter; opens: string; closes: string }[] = [];
      for (let year = 2023; year <= 2030; year++) {
        for (const quarter of [1, 2, 3, 4] as const) {
          windows.push({
            quarter: q(year, quarter),
            ...reportingWindow(q(year, quarter), calendar),
          });
        }
      }
      for (let day = '2024-01-01'; day <= '2030-12-31'; day = addDays(day, 1)) {
        const open = windows.filter((w) => w.opens <= day && day <= w.closes);
        // Windows never overlap.
        expect(open.length).toBeLessThanOrEqual(1);
        const expected = open[0]?.quarter ?? null;
        expect(openWindowQuarter(day, calendar)).toEqual(expected);
        expect(defaultReportQuarter(day, calendar)).toEqual(expected ?? quarterOf(day));
      }
    },
  );
});

describe('addQuarters, compareQuarters, quarterKey, parseQuarterKey', () => {
  it.each([
    [q(2026, 1), 1, q(2026, 2)],
    [q(2026, 4), 1, q(2027, 1)],
    [q(2026, 1), -1, q(2025, 4)],
    [q(2026, 3), 0, q(2026, 3)],
    [q(2026, 2), 8, q(2028, 2)],
    [q(2026, 2), -9, q(2024, 1)],
    [q(2026, 4), 5, q(2028, 1)],
    [q(1990, 1), 443, q(2100, 4)],
  ])('%o + %i = %o', (quarter, n, expected) => {
    expect(addQuarters(quarter, n)).toEqual(expected);
    expect(addQuarters(expected, -n)).toEqual(quarter);
  });

  it('compareQuarters orders by year, then quarter', () => {
    expect(compareQuarters(q(2026, 2), q(2026, 2))).toBe(0);
    expect(compareQuarters(q(2026, 1), q(2026, 2))).toBeLessThan(0);
    expect(compareQuarters(q(2026, 2), q(2026, 1))).toBeGreaterThan(0);
    expect(compareQuarters(q(2025, 4), q(2026, 1))).toBeLessThan(0);
    expect(compareQuarters(q(2027, 1), q(2026, 4))).toBeGreaterThan(0);
    const shuffled = [q(2027, 1), q(2025, 4), q(2026, 3), q(2026, 1), q(2026, 4)];
    expect([...shuffled].sort(compareQuarters)).toEqual([
      q(2025, 4),
      q(2026, 1),
      q(2026, 3),
      q(2026, 4),
      q(2027, 1),
    ]);
  });

  it('compareQuarters agrees with addQuarters', () => {
    for (let n = -12; n <= 12; n++) {
      expect(Math.sign(compareQuarters(addQuarters(q(2026, 2), n), q(2026, 2)))).toBe(Math.sign(n));
    }
  });

  it('quarterKey is YYYY-Qn and parseQuarterKey reverses it', () => {
    expect(quarterKey(q(2026, 2))).toBe('2026-Q2');
    expect(parseQuarterKey('2026-Q2')).toEqual(q(2026, 2));
    let quarter = q(1990, 1);
    for (let i = 0; i < 444; i++) {
      expect(parseQuarterKey(quarterKey(quarter))).toEqual(quarter);
      quarter = addQuarters(quarter, 1);
    }
  });

  it.each(['2026-Q0', '2026-Q5', '2026Q1', '2026-q1', '26-Q1', '2026-Q1 ', '', 'Q1-2026'])(
    'parseQuarterKey(%j) is null',
    (key) => {
      expect(parseQuarterKey(key)).toBeNull();
    },
  );
});
