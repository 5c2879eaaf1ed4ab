import { describe, expect, it } from 'vitest';
import { type Quarter, quarterReport } from './index';
import { decision, ev } from './testing/fixtures';

const q = (year: number, quarter: 1 | 2 | 3 | 4): Quarter => ({ year, quarter });

describe('quarterReport', () => {
  it('seed 003: decided 1 Aug, executed 1 Dec – reported in Q4 both as not executed and executed', () => {
    const d = decision('2009-08-01');
    const events = [ev({ type: 'verkstalld', date: '2009-12-01' })];
    expect(quarterReport(d, events, q(2009, 3))).toEqual([]);
    expect(quarterReport(d, events, q(2009, 4))).toEqual([
      {
        decisionId: 'b1',
        episode: {
          kind: 'beslut',
          start: '2009-08-01',
          end: { type: 'verkstalld', date: '2009-12-01' },
        },
        report: 'ny',
        status: 'verkstalld',
        statusDate: '2009-12-01',
        overdueFrom: '2009-11-02',
        daysWaited: 122,
      },
    ]);
    expect(quarterReport(d, events, q(2010, 1))).toEqual([]);
  });

  it('reports a waiting decision new once, then every quarter until the slutrapportering', () => {
    const d = decision('2026-02-03');
    const events = [ev({ type: 'verkstalld', date: '2026-11-10' })];
    expect(quarterReport(d, events, q(2026, 1))).toEqual([]);
    const [q2] = quarterReport(d, events, q(2026, 2));
    expect(q2).toMatchObject({ report: 'ny', status: 'ej_verkstalld', overdueFrom: '2026-05-04' });
    expect(q2!.daysWaited).toBe(147);
    expect(q2!.statusDate).toBeUndefined();
    expect(quarterReport(d, events, q(2026, 3))).toMatchObject([
      { report: 'ater', status: 'ej_verkstalld', daysWaited: 239 },
    ]);
    expect(quarterReport(d, events, q(2026, 4))).toMatchObject([
      { report: 'ater', status: 'verkstalld', statusDate: '2026-11-10', daysWaited: 280 },
    ]);
    expect(quarterReport(d, events, q(2027, 1))).toEqual([]);
  });

  it('a quarter knows nothing of what happened after its reference date', () => {
    const d = decision('2026-02-03');
    const events = [ev({ type: 'avslutad', date: '2026-10-02', anledning: 'behov_upphort' })];
    expect(quarterReport(d, events, q(2026, 3))).toMatchObject([
      { report: 'ater', status: 'ej_verkstalld' },
    ]);
    expect(quarterReport(d, events, q(2026, 4))).toMatchObject([
      { report: 'ater', status: 'avslutad', statusDate: '2026-10-02' },
    ]);
  });

  it('executed on the three-month date is within the limit; the day after is not', () => {
    const d = decision('2026-02-03');
    const within = [ev({ type: 'verkstalld', date: '2026-05-03' })];
    const dayLate = [ev({ type: 'verkstalld', date: '2026-05-04' })];
    for (const quarter of [q(2026, 1), q(2026, 2), q(2026, 3)]) {
      expect(quarterReport(d, within, quarter)).toEqual([]);
    }
    expect(quarterReport(d, dayLate, q(2026, 2))).toMatchObject([
      { report: 'ny', status: 'verkstalld', statusDate: '2026-05-04', daysWaited: 90 },
    ]);
  });

  it('a refusal never ends the wait', () => {
    const d = decision('2026-02-03');
    const events = [
      ev({ type: 'erbjudande', date: '2026-03-10', text: 'Gruppbostad Björken' }),
      ev({
        type: 'tackat_nej',
        date: '2026-03-20',
        erbjudandedatum: '2026-03-10',
        orsak: 'geografiskt_lage',
      }),
    ];
    expect(quarterReport(d, events, q(2026, 2))).toMatchObject([{ status: 'ej_verkstalld' }]);
  });

  it('an interruption not resumed within three months is reported as its own new case', () => {
    const d = decision('2025-10-01');
    const events = [
      ev({ type: 'verkstalld', date: '2025-11-01' }),
      ev({ type: 'avbrott', date: '2026-01-15' }),
    ];
    expect(quarterReport(d, events, q(2026, 1))).toEqual([]);
    expect(quarterReport(d, events, q(2026, 2))).toMatchObject([
      {
        episode: { kind: 'avbrott', start: '2026-01-15' },
        report: 'ny',
        status: 'ej_verkstalld',
        overdueFrom: '2026-04-16',
      },
    ]);
    expect(quarterReport(d, events, q(2026, 3))).toMatchObject([{ report: 'ater' }]);
  });

  it('a förhandsbesked is reported like any decision', () => {
    const d = decision('2026-01-15', { forhandsbesked: true });
    expect(quarterReport(d, [], q(2026, 2))).toMatchObject([{ report: 'ny' }]);
  });

  it('gives the same lines whatever order the events come in', () => {
    const d = decision('2025-06-30');
    const events = [
      ev({ type: 'verkstalld', date: '2025-07-20' }),
      ev({ type: 'avbrott', date: '2025-08-01' }),
      ev({ type: 'anteckning', date: '2025-09-01', text: 'Ny kontaktperson söks' }),
      ev({ type: 'verkstalld', date: '2025-12-01' }),
    ];
    const forward = quarterReport(d, events, q(2025, 4));
    expect(forward).toMatchObject([
      { report: 'ny', status: 'verkstalld', statusDate: '2025-12-01' },
    ]);
    expect(quarterReport(d, [...events].reverse(), q(2025, 4))).toEqual(forward);
  });
});
