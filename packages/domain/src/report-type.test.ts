import { describe, expect, it } from 'vitest';
import {
  earlierLineQuarters,
  type Quarter,
  quarterReport,
  recordedFilingCheck,
  reportTypeToSend,
} from './index';
import { decision, ev } from './testing/fixtures';

const q = (year: number, quarter: 1 | 2 | 3 | 4): Quarter => ({ year, quarter });

// Decided 2026-01-15: overdue from 2026-04-16, so new in Q2 2026, återrapportering from Q3.
const beslut = decision('2026-01-15');
const lineOf = (quarter: Quarter, events = [] as ReturnType<typeof ev>[]) => {
  const [line] = quarterReport(beslut, events, quarter);
  if (!line) throw new Error('no line');
  return line;
};

describe('reportTypeToSend', () => {
  it('sends the schedule’s nyrapportering as one', () => {
    expect(
      reportTypeToSend({ line: lineOf(q(2026, 2)), quarter: q(2026, 2), filedQuarters: [] }),
    ).toEqual({ scheduled: 'ny', send: 'ny', unrecordedEarlier: [], notice: null });
  });

  it('sends an återrapportering as a nyrapportering while no earlier filing is recorded', () => {
    const result = reportTypeToSend({
      line: lineOf(q(2026, 4)),
      quarter: q(2026, 4),
      filedQuarters: [],
    });
    expect(result).toMatchObject({
      scheduled: 'ater',
      send: 'ny',
      unrecordedEarlier: [q(2026, 2), q(2026, 3)],
    });
    expect(result.notice).toContain('(kvartal 2 2026 och kvartal 3 2026)');
    expect(result.notice).toContain('registrera de tidigare inlämningarna');
  });

  it('sends an återrapportering once any earlier filing of the episode is recorded', () => {
    const result = reportTypeToSend({
      line: lineOf(q(2026, 4)),
      quarter: q(2026, 4),
      filedQuarters: [q(2026, 2)],
    });
    expect(result).toEqual({
      scheduled: 'ater',
      send: 'ater',
      unrecordedEarlier: [q(2026, 3)],
      notice: null,
    });
  });

  it('ignores a filing of the same quarter or a later one', () => {
    const result = reportTypeToSend({
      line: lineOf(q(2026, 3)),
      quarter: q(2026, 3),
      filedQuarters: [q(2026, 3), q(2026, 4)],
    });
    expect(result.send).toBe('ny');
  });

  it('a slutrapportering with nothing recorded is sent as new, with its ended status', () => {
    const events = [ev({ type: 'verkstalld', date: '2026-11-02' })];
    const line = lineOf(q(2026, 4), events);
    expect(line).toMatchObject({ report: 'ater', status: 'verkstalld' });
    expect(reportTypeToSend({ line, quarter: q(2026, 4), filedQuarters: [] }).send).toBe('ny');
  });

  it('lists every earlier quarter of a long wait, across years', () => {
    expect(earlierLineQuarters(lineOf(q(2027, 2)), q(2027, 2))).toEqual([
      q(2026, 2),
      q(2026, 3),
      q(2026, 4),
      q(2027, 1),
    ]);
  });
});

describe('recordedFilingCheck', () => {
  const base = { today: '2026-12-02', earlierFiled: false } as const;

  it('records a filing sent inside its window, after the window has closed', () => {
    expect(
      recordedFilingCheck({
        ...base,
        line: lineOf(q(2026, 2)),
        quarter: q(2026, 2),
        filedOn: '2026-08-15',
        report: 'ny',
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a date outside the window, or in the future, naming the date field', () => {
    expect(
      recordedFilingCheck({
        ...base,
        line: lineOf(q(2026, 2)),
        quarter: q(2026, 2),
        filedOn: '2026-09-01',
        report: 'ny',
      }),
    ).toEqual({
      ok: false,
      field: 'filedOn',
      reason:
        'En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
    });
    expect(
      recordedFilingCheck({
        ...base,
        line: lineOf(q(2026, 3)),
        quarter: q(2026, 3),
        filedOn: '2026-12-03',
        report: 'ny',
      }),
    ).toMatchObject({ ok: false, field: 'filedOn', reason: expect.stringContaining('framtiden') });
  });

  it('a slutrapportering: any date on or after the execution', () => {
    const line = lineOf(q(2026, 4), [ev({ type: 'verkstalld', date: '2026-11-02' })]);
    const check = (filedOn: string) =>
      recordedFilingCheck({
        ...base,
        line,
        quarter: q(2026, 4),
        filedOn,
        report: 'ater',
        earlierFiled: true,
      });
    expect(check('2026-11-02')).toEqual({ ok: true });
    expect(check('2026-11-01')).toMatchObject({ ok: false, field: 'filedOn' });
  });

  it('refuses an återrapportering in the quarter the delay was new to IVO', () => {
    expect(
      recordedFilingCheck({
        ...base,
        line: lineOf(q(2026, 2)),
        quarter: q(2026, 2),
        filedOn: '2026-07-10',
        report: 'ater',
      }),
    ).toMatchObject({
      ok: false,
      field: 'report',
      reason: expect.stringContaining('nyrapportering'),
    });
  });

  it('refuses a nyrapportering once an earlier filing is recorded, and takes one before', () => {
    const args = {
      ...base,
      line: lineOf(q(2026, 3)),
      quarter: q(2026, 3),
      filedOn: '2026-10-10',
      report: 'ny',
    } as const;
    expect(recordedFilingCheck(args)).toEqual({ ok: true });
    expect(recordedFilingCheck({ ...args, earlierFiled: true })).toMatchObject({
      ok: false,
      field: 'report',
      reason: expect.stringContaining('återrapportering'),
    });
    expect(recordedFilingCheck({ ...args, report: 'ater', earlierFiled: true })).toEqual({
      ok: true,
    });
  });
});
