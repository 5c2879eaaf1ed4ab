// The public API of @evb/domain (shared/docs/domain-api.md) as another package sees it: imported by
// name from the package entry, as TypeScript source, with no build step.
import {
  addDays,
  addMonths,
  type CaseEvent,
  CaseEventSchema,
  cycles,
  type Decision,
  DecisionSchema,
  DomainError,
  episodes,
  isValidPersonnummer,
  isWorkingDay,
  ivoIdSex,
  messageTitle,
  nextWorkingDay,
  previousWorkingDay,
  quarterBounds,
  quarterOf,
  quarterReport,
  reportingWindow,
} from '@evb/domain';
import { describe, expect, it } from 'vitest';

const decision: Decision = DecisionSchema.parse({
  id: 'b1',
  lagrum: 'LSS',
  insats: 'LSS_9_10',
  beslutsdatum: '2026-02-03',
  forhandsbesked: true,
});
const events: CaseEvent[] = [
  { id: 'e2', decisionId: 'b1', date: '2026-11-10', type: 'verkstalld' },
  {
    id: 'e1',
    decisionId: 'b1',
    date: '2026-03-20',
    type: 'tackat_nej',
    erbjudandedatum: '2026-03-10',
    orsak: 'geografiskt_lage',
  },
].map((e) => CaseEventSchema.parse(e));

describe('@evb/domain public API', () => {
  it('calendar', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isWorkingDay('2026-06-19')).toBe(false); // midsommarafton
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
    expect(previousWorkingDay('2026-05-03')).toBe('2026-04-30');
  });

  it('quarters and IVO windows', () => {
    expect(quarterOf('2026-11-22')).toEqual({ year: 2026, quarter: 4 });
    expect(quarterBounds({ year: 2026, quarter: 4 })).toEqual({
      start: '2026-10-01',
      end: '2026-12-31',
    });
    expect(reportingWindow({ year: 2026, quarter: 4 })).toEqual({
      opens: '2027-01-01',
      closes: '2027-01-31',
    });
    expect(reportingWindow({ year: 2026, quarter: 4 }, 'lss-blankett')).toEqual({
      opens: '2026-12-15',
      closes: '2027-01-15',
    });
  });

  it('episodes, cycles and the quarter report', () => {
    const [episode] = episodes(decision, events);
    expect(episode).toEqual({
      kind: 'beslut',
      start: '2026-02-03',
      end: { type: 'verkstalld', date: '2026-11-10' },
    });
    expect(cycles(episode!, 1)[0]).toMatchObject({
      overdueFrom: '2026-05-04',
      messageDue: '2026-05-04',
    });
    expect(quarterReport(decision, events, { year: 2026, quarter: 2 })).toMatchObject([
      { decisionId: 'b1', report: 'ny', status: 'ej_verkstalld', overdueFrom: '2026-05-04' },
    ]);
    expect(quarterReport(decision, events, { year: 2026, quarter: 4 })).toMatchObject([
      { report: 'ater', status: 'verkstalld', statusDate: '2026-11-10' },
    ]);
    expect(() =>
      episodes(decision, [{ id: 'x', decisionId: 'b1', date: '2026-01-01', type: 'verkstalld' }]),
    ).toThrow(DomainError);
  });

  it('messages and identities', () => {
    expect(
      messageTitle({ type: 'ny', date: '2026-05-04', insats: 'LSS_9_10', forhandsbesked: true }),
    ).toBe('IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10');
    expect(ivoIdSex('19800101-T123')).toBe('kvinna');
    expect(ivoIdSex('19800101-TF10')).toBe('man');
    expect(isValidPersonnummer('19121212-1212')).toBe(true);
  });
});
